using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Testing.Naffles;

/// <summary>
/// Signs webhook bodies the seed's way: hex HMAC-SHA256 over <c>{timestamp}.{body}</c> with the shared
/// secret, timestamp in unix seconds.
/// </summary>
public static class NafflesWebhookSigner
{
    /// <summary>Computes the <c>x-naffles-signature</c> value.</summary>
    /// <param name="secret">The shared secret.</param>
    /// <param name="unixSeconds">The <c>x-naffles-timestamp</c> value.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <returns>Lower-case hex.</returns>
    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var data = new byte[prefix.Length + body.Length];
        prefix.CopyTo(data, 0);
        body.CopyTo(data.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), data));
    }
}

/// <summary>Delivers signed webhooks in the background and records each delivery.</summary>
internal sealed class NafflesWebhookSender(TimeProvider timeProvider) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Lock _gate = new();
    private readonly List<NafflesWebhookDelivery> _deliveries = [];
    private readonly List<Task> _inFlight = [];

    public IReadOnlyList<NafflesWebhookDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return [.. _deliveries];
            }
        }
    }

    public void Send(Uri baseUrl, string secret, string eventName, JsonObject payload)
    {
        var target = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/" + eventName);
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [NafflesWebhookHeaders.Signature] = NafflesWebhookSigner.Sign(secret, timestamp, body),
            [NafflesWebhookHeaders.Timestamp] = timestamp.ToString(CultureInfo.InvariantCulture),
            [NafflesWebhookHeaders.DeliveryId] = Guid.NewGuid().ToString(),
            ["x-naffles-event"] = eventName,
        };
        lock (_gate)
        {
            // Deliveries go out one at a time in event order, so receivers (and tests) see a stable sequence.
            var previous = _inFlight.Count == 0 ? Task.CompletedTask : _inFlight[^1];
            _inFlight.Add(AfterAsync(previous, target, eventName, body, headers));
        }
    }

    public async Task DrainAsync()
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _inFlight];
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task AfterAsync(Task previous, Uri target, string eventName, byte[] body, Dictionary<string, string> headers)
    {
        await previous.ConfigureAwait(false);
        await DeliverAsync(target, eventName, body, headers).ConfigureAwait(false);
    }

    private async Task DeliverAsync(Uri target, string eventName, byte[] body, Dictionary<string, string> headers)
    {
        await Task.Yield();
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _http.SendAsync(request).ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex)
        {
            error = ex.Message;
        }

        lock (_gate)
        {
            _deliveries.Add(new NafflesWebhookDelivery(target, eventName, Encoding.UTF8.GetString(body), headers, status, error));
        }
    }
}
