using System.Globalization;
using System.Text.RegularExpressions;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// The rate-limit identity of a request, modelled on discord.js <c>REST.generateRouteData</c>: a route key
/// <c>METHOD:/template</c> (ids as <c>:id</c>, webhook tokens as <c>:token</c>, reactions as <c>:reaction</c>)
/// and the major parameter (channel, guild, or webhook id/token) that splits one bucket hash into queues.
/// </summary>
internal readonly record struct RestRoute(string RouteKey, string MajorParameter, RouteKind Kind)
{
    private static readonly TimeSpan OldMessageAge = TimeSpan.FromDays(14);

    public static RestRoute From(HttpMethod method, string path, TimeProvider time)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var p = query >= 0 ? path[..query] : path;

        if (Patterns.Callback().IsMatch(p))
        {
            return new RestRoute($"{method.Method}:/interactions/:id/:token/callback", Patterns.Callback().Match(p).Groups[1].Value, RouteKind.InteractionCallback);
        }

        string major;
        var kind = RouteKind.Bot;
        var webhook = Patterns.WebhookToken().Match(p);
        if (webhook.Success)
        {
            major = webhook.Groups[1].Value + "/" + webhook.Groups[2].Value;
            kind = RouteKind.WebhookToken;
        }
        else
        {
            var m = Patterns.Major().Match(p);
            major = m.Success ? m.Groups[1].Value : "global";
        }

        var template = Patterns.WebhookToken().Replace(p, "/webhooks/$1/:token");
        template = Patterns.Reaction().Replace(template, "/reactions/:reaction");
        template = Patterns.Id().Replace(template, ":id");

        // Deleting a message older than two weeks is limited separately.
        if (method == HttpMethod.Delete)
        {
            var message = Patterns.ChannelMessage().Match(p);
            if (message.Success && ulong.TryParse(message.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var messageId)
                && time.GetUtcNow() - Snowflake.ToTimestamp(messageId) > OldMessageAge)
            {
                template += "/old";
            }
        }

        return new RestRoute($"{method.Method}:{template}", major, kind);
    }
}

/// <summary>How a request is limited.</summary>
internal enum RouteKind
{
    /// <summary>Bot-authenticated: its bucket and the global limit.</summary>
    Bot,

    /// <summary>Interaction webhook (follow-ups, @original): its bucket, not the global limit.</summary>
    WebhookToken,

    /// <summary>Interaction callback: no queue and no global limit (the token is per interaction).</summary>
    InteractionCallback,
}

internal static partial class Patterns
{
    [GeneratedRegex(@"^/interactions/(\d{17,20})/[^/]+/callback$")]
    public static partial Regex Callback();

    [GeneratedRegex(@"^/webhooks/(\d{17,20})/([^/?]+)")]
    public static partial Regex WebhookToken();

    [GeneratedRegex(@"^/(?:channels|guilds|webhooks)/(\d{17,20})")]
    public static partial Regex Major();

    [GeneratedRegex(@"/reactions/[^/]+")]
    public static partial Regex Reaction();

    [GeneratedRegex(@"\d{17,20}")]
    public static partial Regex Id();

    [GeneratedRegex(@"^/channels/\d{17,20}/messages/(\d{17,20})$")]
    public static partial Regex ChannelMessage();
}
