namespace NafflesBotKit.Naffles.Internal;

/// <summary>
/// Outermost handler: turns the final outcome of the resilience pipeline (after retries) into
/// <see cref="NafflesApiException"/>. Statuses a caller declared acceptable via
/// <see cref="AcceptedStatusKey"/> pass through so the caller can read the body.
/// </summary>
internal sealed class NafflesErrorHandler(TimeProvider timeProvider) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<int> AcceptedStatusKey = new("Naffles.AcceptedStatus");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not NafflesApiException && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw NafflesErrorClassifier.FromException(ex, request);
        }

        if (response.IsSuccessStatusCode
            || (request.Options.TryGetValue(AcceptedStatusKey, out var accepted) && (int)response.StatusCode == accepted))
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw NafflesErrorClassifier.FromResponse(response, body, timeProvider.GetUtcNow());
        }
    }
}
