using System.Net.Http.Headers;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>Innermost handler: records every attempt (retries included) into the request log, redacted.</summary>
internal sealed class NafflesRequestLogHandler(NafflesRequestLog log, TimeProvider timeProvider) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!log.IsEnabled)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var options = log.Options;
        var apiKey = options.ApiKey;
        var max = options.DebugLog.MaxBodyChars;
        var startedAt = timeProvider.GetUtcNow();
        var start = timeProvider.GetTimestamp();
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var entry = new NafflesRequestLogEntry
        {
            Timestamp = startedAt,
            Method = request.Method.Method.ToUpperInvariant(),
            Url = Redactor.Url(request.RequestUri, apiKey),
            RequestHeaders = Headers(request.Headers, request.Content?.Headers, apiKey),
            RequestBody = Redactor.Truncate(Redactor.Body(requestBody, apiKey), max),
        };

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            var responseBody = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            log.Add(entry with
            {
                Status = (int)response.StatusCode,
                DurationMs = timeProvider.GetElapsedTime(start).TotalMilliseconds,
                ResponseHeaders = Headers(response.Headers, response.Content.Headers, apiKey),
                ResponseBody = Redactor.Truncate(Redactor.Body(responseBody, apiKey), max),
                Error = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}",
            });
            return response;
        }
        catch (Exception ex)
        {
            log.Add(entry with
            {
                DurationMs = timeProvider.GetElapsedTime(start).TotalMilliseconds,
                Error = Redactor.Body($"{ex.GetType().Name}: {ex.Message}", apiKey),
            });
            throw;
        }
    }

    private static Dictionary<string, string> Headers(HttpHeaders headers, HttpHeaders? contentHeaders, string? apiKey)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in contentHeaders is null ? [headers] : new[] { headers, contentHeaders })
        {
            foreach (var header in source.NonValidated)
            {
                result[header.Key] = Redactor.Header(header.Key, string.Join(", ", header.Value), apiKey);
            }
        }

        return result;
    }
}
