using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Naffles;

namespace NafflesBotKit.Plugins.Webhooks;

/// <summary>
/// When <c>RegisterOnStart</c> and <c>PublicUrl</c> are set, registers <c>{PublicUrl}/webhooks/naffles</c> for our
/// three events with Naffles (<c>POST /api/webhooks</c>) in the background. A failure is logged, never fatal.
/// </summary>
internal sealed partial class WebhookRegistrationService(
    WebhookSettingsSource settings,
    IServiceProvider services,
    ILogger<WebhookRegistrationService> logger) : BackgroundService
{
    /// <summary>The registration, once done (tests and diagnostics).</summary>
    public WebhookRegistration? Registration { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var current = settings.Current;
        if (!current.RegisterOnStart)
        {
            return;
        }

        if (current.PublicUrl is null || current.CurrentSecret is null)
        {
            LogNotConfigured(logger);
            return;
        }

        var api = services.GetService<INafflesApi>();
        if (api is null)
        {
            LogNoApi(logger);
            return;
        }

        var url = new Uri(current.PublicUrl.AbsoluteUri.TrimEnd('/') + NafflesWebhookEndpoint.BasePath);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            Registration = await api.Webhooks.RegisterWebhookAsync(url, NafflesWebhookEndpoint.Events, current.CurrentSecret, timeout.Token).ConfigureAwait(false);
            LogRegistered(logger, url, Registration.Id);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogRegistrationFailed(logger, ex, url);
        }
    }

    [LoggerMessage(EventId = 6010, Level = LogLevel.Warning, Message = "RegisterOnStart is set but PublicUrl or a secret is missing; webhooks not registered with Naffles")]
    private static partial void LogNotConfigured(ILogger logger);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Warning, Message = "RegisterOnStart is set but the host has no Naffles API configured; webhooks not registered")]
    private static partial void LogNoApi(ILogger logger);

    [LoggerMessage(EventId = 6012, Level = LogLevel.Information, Message = "Registered webhook {Url} with Naffles (id {RegistrationId})")]
    private static partial void LogRegistered(ILogger logger, Uri url, string registrationId);

    [LoggerMessage(EventId = 6013, Level = LogLevel.Error, Message = "Registering webhook {Url} with Naffles failed; deliveries will not arrive until it is registered")]
    private static partial void LogRegistrationFailed(ILogger logger, Exception exception, Uri url);
}
