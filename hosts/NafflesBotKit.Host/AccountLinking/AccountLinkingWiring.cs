using System.Globalization;
using System.Net;
using NafflesBotKit.Host.Discord;
using NafflesBotKit.Services;

namespace NafflesBotKit.Host.AccountLinking;

/// <summary>
/// Registers account linking (<see cref="IAccountLinking"/> for plugins, and the OAuth2 endpoint at the path of
/// <c>Discord:RedirectUri</c>) when everything it needs is configured: a bot token, <c>Discord:ClientSecret</c>,
/// <c>Discord:RedirectUri</c> and the Naffles API. Otherwise plugins fall back to naffles.com's own page.
/// </summary>
internal static class AccountLinkingWiring
{
    public static bool IsConfigured(IConfiguration configuration) =>
        DiscordWiring.HasCredentials(configuration)
        && !string.IsNullOrWhiteSpace(configuration["Discord:ClientSecret"])
        && Uri.TryCreate(configuration["Discord:RedirectUri"], UriKind.Absolute, out _)
        && !string.IsNullOrWhiteSpace(configuration["Naffles:BaseUrl"]);

    public static IServiceCollection AddAccountLinking(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddOptions<AccountLinkingOptions>()
            .Bind(configuration.GetSection(AccountLinkingOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AccountLinkService>();
        services.AddSingleton<IAccountLinking>(sp => sp.GetRequiredService<AccountLinkService>());
        services.AddPluginExport<IAccountLinking>();
        return services;
    }

    public static WebApplication MapAccountLinking(this WebApplication app)
    {
        if (!IsConfigured(app.Configuration))
        {
            return app;
        }

        var path = new Uri(app.Configuration["Discord:RedirectUri"]!).AbsolutePath;
        app.MapGet(path, async (HttpContext http, AccountLinkService links) =>
        {
            var query = http.Request.Query;
            var outcome = query.ContainsKey("link")
                ? await links.StartAsync(query["link"].ToString(), http.RequestAborted).ConfigureAwait(false)
                : await links.CompleteAsync(query["state"].ToString(), query["code"].ToString(), query["error"].ToString(), http.RequestAborted).ConfigureAwait(false);
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return outcome.Redirect is { } redirect
                ? Results.Redirect(redirect.AbsoluteUri)
                : Results.Content(Render(outcome), "text/html; charset=utf-8", statusCode: outcome.Status);
        });
        return app;
    }

    /// <summary>The page the browser shows after the flow (everything dynamic is HTML-encoded).</summary>
    internal static string Render(LinkOutcome outcome)
    {
        var title = WebUtility.HtmlEncode(outcome.Title);
        var message = WebUtility.HtmlEncode(outcome.Message);
        var back = outcome.GuildId is { } guild
            ? string.Create(CultureInfo.InvariantCulture, $"<p><a href=\"https://discord.com/channels/{guild}\">Back to the Discord server</a></p>")
            : string.Empty;
        var mark = outcome.Success ? "&#x2705;" : "&#x274C;";
        return $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{title}} - Naffles</title>
            <style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.5rem}</style></head>
            <body><h1>{{mark}} {{title}}</h1><p>{{message}}</p>{{back}}</body>
            </html>
            """;
    }
}
