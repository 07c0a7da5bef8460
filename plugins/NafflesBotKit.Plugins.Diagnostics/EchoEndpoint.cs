using System.Globalization;
using System.Security.Cryptography;
using NafflesBotKit.Http;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Plugins.Diagnostics;

/// <summary>
/// <c>POST /diagnostics/echo</c>: answers with the size and SHA-256 of the body it received, so an operator can check
/// that requests reach plugins byte for byte (what webhook signature checks rely on). Bodies over 4 KiB get 413.
/// </summary>
[HttpEndpoint("POST", "/diagnostics/echo", MaxRequestBytes = 4096)]
internal sealed class EchoEndpoint(PluginManifest manifest) : HttpEndpointHandler
{
    public override ValueTask<PluginHttpResponse> HandleAsync(PluginHttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var hash = Convert.ToHexStringLower(SHA256.HashData(request.Body.Span));
        var text = string.Create(CultureInfo.InvariantCulture, $"{manifest.Id} {manifest.Version} received {request.Body.Length} bytes sha256={hash}");
        return ValueTask.FromResult(PluginHttpResponse.Text(200, text));
    }
}
