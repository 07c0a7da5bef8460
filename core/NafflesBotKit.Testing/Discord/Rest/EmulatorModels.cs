using System.Text.Json.Nodes;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Testing.Discord;

/// <summary>Settings of a <see cref="DiscordEmulator"/>.</summary>
public sealed class DiscordEmulatorOptions
{
    /// <summary>The clock for ids, rate-limit windows and interaction deadlines (share a FakeTimeProvider with the bot under test).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The bot token the REST API accepts.</summary>
    public string BotToken { get; init; } = "emulated-bot-token";

    /// <summary>The application (and bot user) id.</summary>
    public ulong ApplicationId { get; init; } = 1_100_000_000_000_000_001;

    /// <summary>The OAuth2 client secret.</summary>
    public string ClientSecret { get; init; } = "emulated-client-secret";

    /// <summary>The OAuth2 redirect URIs the application registered.</summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = ["https://bot.example/oauth/callback"];

    /// <summary>The global limit per bot token per second (Discord: 50).</summary>
    public int GlobalLimitPerSecond { get; init; } = 50;

    /// <summary>Route bucket size for routes without a specific limit.</summary>
    public int DefaultRouteLimit { get; init; } = 5;

    /// <summary>Route bucket window for routes without a specific limit.</summary>
    public TimeSpan DefaultRouteWindow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Whether the 3-second initial-response deadline is enforced (10062 after it).</summary>
    public bool EnforceInteractionDeadline { get; init; } = true;
}

/// <summary>The base URLs of a started emulator.</summary>
/// <param name="RestBaseUrl">The REST base URL, ending in <c>/api/v10</c>.</param>
/// <param name="ApiRoot">The URL ending in <c>/api</c> (for clients that append the version themselves, e.g. @discordjs/rest).</param>
/// <param name="Origin">Scheme, host and port.</param>
public sealed record DiscordEmulatorUrls(Uri RestBaseUrl, Uri ApiRoot, Uri Origin);

/// <summary>A message stored by the emulator.</summary>
public sealed class EmulatedMessage
{
    /// <summary>The id.</summary>
    public required ulong Id { get; init; }

    /// <summary>The channel.</summary>
    public required ulong ChannelId { get; init; }

    /// <summary>The interaction whose response or follow-up this is, if any.</summary>
    public ulong? InteractionId { get; init; }

    /// <summary>The last content.</summary>
    public string? Content { get; internal set; }

    /// <summary>The last embeds as Discord JSON.</summary>
    public JsonArray Embeds { get; internal set; } = [];

    /// <summary>The last components as Discord JSON.</summary>
    public JsonArray Components { get; internal set; } = [];

    /// <summary>The flags.</summary>
    public int Flags { get; internal set; }

    /// <summary>Uploaded files.</summary>
    public IReadOnlyList<EmulatedAttachment> Attachments { get; internal set; } = [];

    /// <summary>How many times it was edited.</summary>
    public int EditCount { get; internal set; }

    /// <summary>Whether it was deleted.</summary>
    public bool Deleted { get; internal set; }

    /// <summary>Whether a deferred response is still "thinking".</summary>
    public bool Loading { get; internal set; }

    internal JsonObject ToJson(ulong authorId) => new()
    {
        ["id"] = Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["type"] = InteractionId is null ? 0 : 20,
        ["channel_id"] = ChannelId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["author"] = new JsonObject { ["id"] = authorId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["username"] = "emulated-bot", ["discriminator"] = "0", ["bot"] = true },
        ["content"] = Content ?? string.Empty,
        ["embeds"] = Embeds.DeepClone(),
        ["components"] = Components.DeepClone(),
        ["attachments"] = new JsonArray([.. Attachments.Select((a, i) => (JsonNode)new JsonObject { ["id"] = a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["filename"] = a.FileName, ["size"] = a.Content.Length, ["content_type"] = a.ContentType })]),
        ["flags"] = Flags,
        ["timestamp"] = NafflesBotKit.Interactions.Snowflake.ToTimestamp(Id).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["pinned"] = false,
        ["tts"] = false,
        ["mention_everyone"] = false,
        ["mentions"] = new JsonArray(),
        ["mention_roles"] = new JsonArray(),
    };
}

/// <summary>A file uploaded with a message.</summary>
/// <param name="Id">Attachment id.</param>
/// <param name="FileName">The file name.</param>
/// <param name="ContentType">The part's content type.</param>
/// <param name="Content">The bytes.</param>
public sealed record EmulatedAttachment(ulong Id, string FileName, string ContentType, byte[] Content);

/// <summary>An interaction the emulator sent, and how the bot answered it.</summary>
public sealed class EmulatedInteraction
{
    private readonly List<EmulatedCallback> _callbacks = [];
    private readonly List<ulong> _followups = [];

    /// <summary>The id.</summary>
    public required ulong Id { get; init; }

    /// <summary>The token.</summary>
    public required string Token { get; init; }

    /// <summary>The interaction type.</summary>
    public required InteractionType Type { get; init; }

    /// <summary>The channel.</summary>
    public ulong ChannelId { get; init; }

    /// <summary>The guild, if any.</summary>
    public ulong? GuildId { get; init; }

    /// <summary>The message of a component interaction.</summary>
    public ulong? SourceMessageId { get; init; }

    /// <summary>When it was created (emulator clock).</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The payload as sent.</summary>
    public required JsonObject Payload { get; init; }

    /// <summary>Initial responses received (Discord accepts one; later ones got 40060).</summary>
    public IReadOnlyList<EmulatedCallback> Callbacks { get { lock (_callbacks) { return [.. _callbacks]; } } }

    /// <summary>The accepted initial response, if any.</summary>
    public EmulatedCallback? Response { get { lock (_callbacks) { return _callbacks.FirstOrDefault(c => c.Accepted); } } }

    /// <summary>The original response message (for types 4 and 5).</summary>
    public ulong? OriginalMessageId { get; internal set; }

    /// <summary>Follow-up message ids.</summary>
    public IReadOnlyList<ulong> FollowupIds { get { lock (_followups) { return [.. _followups]; } } }

    /// <summary>How many acknowledgements were rejected with 40060 or 10062.</summary>
    public int RejectedCallbacks { get { lock (_callbacks) { return _callbacks.Count(c => !c.Accepted); } } }

    internal TaskCompletionSource<EmulatedCallback> Answered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the delivery returned and an inline HTTP response (if any) was recorded.</summary>
    internal TaskCompletionSource Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal void AddCallback(EmulatedCallback callback)
    {
        lock (_callbacks)
        {
            _callbacks.Add(callback);
        }

        if (callback.Accepted)
        {
            Answered.TrySetResult(callback);
        }
    }

    internal bool IsAcknowledged { get { lock (_callbacks) { return _callbacks.Any(c => c.Accepted); } } }

    internal void AddFollowup(ulong id)
    {
        lock (_followups)
        {
            _followups.Add(id);
        }
    }
}

/// <summary>An initial response as received.</summary>
/// <param name="Type">The callback type.</param>
/// <param name="Data">Its <c>data</c>, if any.</param>
/// <param name="Inline">True when it came back as the HTTP response of the interaction request.</param>
/// <param name="Accepted">False when Discord's rules rejected it (40060, 10062).</param>
/// <param name="Attachments">Uploaded files.</param>
public sealed record EmulatedCallback(int Type, JsonObject? Data, bool Inline, bool Accepted, IReadOnlyList<EmulatedAttachment> Attachments);

/// <summary>One HTTP request the emulator received.</summary>
/// <param name="Method">The method.</param>
/// <param name="Path">The path below <c>/api/v10</c>, with the query.</param>
/// <param name="Template">The matched route template (OpenAPI style), or null.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Headers">The request headers.</param>
/// <param name="Body">The raw body.</param>
/// <param name="Status">The status the emulator answered.</param>
public sealed record EmulatedRequest(string Method, string Path, string? Template, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status);

/// <summary>A user known to the emulator.</summary>
/// <param name="Id">The id.</param>
/// <param name="Username">The username.</param>
/// <param name="GlobalName">The display name.</param>
public sealed record EmulatedUser(ulong Id, string Username, string? GlobalName = null)
{
    /// <summary>The account's e-mail address, returned by <c>GET /users/@me</c> to tokens with the <c>email</c> scope.</summary>
    public string? Email { get; init; }

    /// <summary>Whether Discord has verified <see cref="Email"/>.</summary>
    public bool EmailVerified { get; init; } = true;
}

/// <summary>A guild known to the emulator.</summary>
public sealed class EmulatedGuild
{
    /// <summary>The id.</summary>
    public required ulong Id { get; init; }

    /// <summary>Role ids and names.</summary>
    public Dictionary<ulong, string> Roles { get; } = [];

    /// <summary>Members: user id to role ids.</summary>
    public Dictionary<ulong, HashSet<ulong>> Members { get; } = [];

    /// <summary>The bot's permissions in the guild.</summary>
    public Permissions BotPermissions { get; set; } = Permissions.Administrator;

    /// <summary>Audit-log reasons received (decoded).</summary>
    public List<string> AuditLogReasons { get; } = [];
}

/// <summary>An OAuth2 token request as received at <c>/oauth2/token</c>.</summary>
/// <param name="ContentType">The request's content type.</param>
/// <param name="Fields">The form fields.</param>
/// <param name="BasicAuth">Whether client credentials came as HTTP Basic.</param>
public sealed record OAuth2TokenRequest(string? ContentType, IReadOnlyDictionary<string, string> Fields, bool BasicAuth);
