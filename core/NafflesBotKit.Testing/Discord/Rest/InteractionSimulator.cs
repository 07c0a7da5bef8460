using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Interactions;
using NSec.Cryptography;

namespace NafflesBotKit.Testing.Discord;

/// <summary>How the emulator hands an interaction to the bot: signed HTTP (here) or the gateway (added by the gateway side).</summary>
public interface IInteractionTransport
{
    /// <summary>Delivers one interaction payload (the object Discord sends).</summary>
    /// <param name="payload">The interaction.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>What came back (for HTTP: the inline response).</returns>
    Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken);
}

/// <summary>What the bot's endpoint answered to a delivered interaction.</summary>
/// <param name="HttpStatus">The status, or null for gateway delivery.</param>
/// <param name="ContentType">The response content type.</param>
/// <param name="Body">The response body.</param>
public sealed record InteractionDeliveryResult(int? HttpStatus, string? ContentType, byte[] Body)
{
    /// <summary>For gateway delivery: the shard the INTERACTION_CREATE went to.</summary>
    public int? GatewayShardId { get; init; }

    /// <summary>For gateway delivery: the dispatch's sequence number.</summary>
    public long? GatewaySequence { get; init; }

    /// <summary>
    /// For HTTP: from handing the request to the connection to receiving the response headers. Discord's 3 s clock runs
    /// over exactly that span, so on the system clock the emulator judges an inline response by it rather than by when
    /// the (possibly busy) test process got around to sending the request and reading the answer.
    /// </summary>
    public TimeSpan? RoundTrip { get; init; }

    /// <summary>The body as JSON, when it is JSON.</summary>
    public JsonNode? Json => ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true && Body.Length > 0 ? JsonNode.Parse(Body) : null;
}

/// <summary>An interaction sent by the simulator and its delivery result.</summary>
/// <param name="Interaction">The emulator's record of it (responses, follow-ups).</param>
/// <param name="Delivery">What the transport returned.</param>
public sealed record SimulatedInteraction(EmulatedInteraction Interaction, InteractionDeliveryResult Delivery);

/// <summary>
/// Signs interaction payloads with the emulator application's Ed25519 key and POSTs them like Discord does
/// (<c>X-Signature-Ed25519</c> over <c>X-Signature-Timestamp</c> + body).
/// </summary>
public sealed class HttpInteractionTransport : IInteractionTransport, IDisposable
{
    private readonly HttpClient _http = new();
    private readonly Uri _endpoint;
    private readonly Key _key;
    private readonly TimeProvider _time;

    internal HttpInteractionTransport(Uri endpoint, Key key, TimeProvider time)
    {
        _endpoint = endpoint;
        _key = key;
        _time = time;
    }

    /// <summary>Signs a body as Discord does.</summary>
    /// <param name="key">The private key.</param>
    /// <param name="timestamp">The timestamp header value.</param>
    /// <param name="body">The raw body.</param>
    public static string Sign(Key key, string timestamp, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        ArgumentNullException.ThrowIfNull(body);
        var message = Encoding.UTF8.GetBytes(timestamp).Concat(body).ToArray();
        return Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(key, message));
    }

    /// <inheritdoc />
    public async Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("User-Agent", "Discord-Interactions/1.0 (+https://discord.com)");
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", Sign(_key, timestamp, body));
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", timestamp);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var roundTrip = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new InteractionDeliveryResult((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), responseBody) { RoundTrip = roundTrip };
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>How the simulator delivers an interaction.</summary>
public enum InteractionDelivery
{
    /// <summary>Whatever <see cref="InteractionSimulator.Transport"/> is (the last <c>Use…</c> call).</summary>
    Default,

    /// <summary>A signed POST to the Interactions Endpoint URL (<see cref="InteractionSimulator.UseHttp"/>).</summary>
    Http,

    /// <summary>An INTERACTION_CREATE dispatch on the guild's shard (<see cref="InteractionSimulator.UseGateway"/>).</summary>
    Gateway,
}

/// <summary>
/// Builds interactions exactly as Discord does and delivers them through <see cref="Transport"/>, or per simulation
/// through the transport chosen with <see cref="DeliverVia"/>.
/// </summary>
public sealed class InteractionSimulator : IDisposable
{
    private readonly DiscordEmulator _emulator;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(ulong Guild, ulong User), Permissions> _permissions = new();
    private readonly AsyncLocal<InteractionDelivery> _delivery = new();
    private HttpInteractionTransport? _http;
    private GatewayInteractionTransport? _gateway;

    internal InteractionSimulator(DiscordEmulator emulator) => _emulator = emulator;

    /// <summary>The delivery seam: the transport used when no <see cref="DeliverVia"/> scope says otherwise.</summary>
    public IInteractionTransport? Transport { get; set; }

    /// <summary>Delivers interactions as signed HTTP requests to the bot's interactions endpoint (and makes it the default).</summary>
    /// <param name="endpoint">The bot's Interactions Endpoint URL.</param>
    public void UseHttp(Uri endpoint)
    {
        _http?.Dispose();
        _http = new HttpInteractionTransport(endpoint, _emulator.SigningKey, _emulator.Time);
        Transport = _http;
    }

    /// <summary>
    /// Delivers interactions as INTERACTION_CREATE over <paramref name="gateway"/> (and makes it the default); the bot
    /// answers on this emulator's REST callback endpoint. Point this emulator's <see cref="DiscordEmulator.GatewayUrl"/>
    /// at the gateway so the bot finds it through <c>GET /gateway/bot</c>.
    /// </summary>
    /// <param name="gateway">The gateway emulator the bot connects to.</param>
    /// <returns>The transport (to tune <see cref="GatewayInteractionTransport.ResponseWait"/>).</returns>
    public GatewayInteractionTransport UseGateway(DiscordGatewayEmulator gateway)
    {
        _gateway = new GatewayInteractionTransport(gateway, _emulator);
        Transport = _gateway;
        return _gateway;
    }

    /// <summary>
    /// Delivers the simulations started in this async flow through <paramref name="delivery"/> until the returned scope
    /// is disposed (both transports must have been set up with <see cref="UseHttp"/> and <see cref="UseGateway"/>).
    /// </summary>
    /// <param name="delivery">The transport to use.</param>
    /// <returns>The scope.</returns>
    public IDisposable DeliverVia(InteractionDelivery delivery)
    {
        var previous = _delivery.Value;
        _delivery.Value = delivery;
        return new DeliveryScope(this, previous);
    }

    /// <summary>Sets the permissions a member has in a guild's channels (default: everything but Administrator).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The user.</param>
    /// <param name="permissions">The permissions.</param>
    public void SetMemberPermissions(ulong guildId, ulong userId, Permissions permissions) => _permissions[(guildId, userId)] = permissions;

    /// <summary>Sends a PING (type 1).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SimulatedInteraction> PingAsync(CancellationToken cancellationToken = default)
    {
        var payload = new JsonObject { ["type"] = 1 };
        return SendAsync(payload, InteractionType.Ping, null, 0, null, cancellationToken);
    }

    /// <summary>User <paramref name="user"/> in guild <paramref name="guildId"/> runs a registered slash command.</summary>
    /// <param name="user">The user.</param>
    /// <param name="guildId">The guild (null for a DM).</param>
    /// <param name="channelId">The channel.</param>
    /// <param name="commandPath">"name", "name sub" or "name group sub".</param>
    /// <param name="options">Option values: string, long/int, double, bool, or ulong ids for user/role/channel options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SimulatedInteraction> RunCommandAsync(EmulatedUser user, ulong? guildId, ulong channelId, string commandPath, IReadOnlyDictionary<string, object>? options = null, CancellationToken cancellationToken = default) =>
        CommandAsync(InteractionType.ApplicationCommand, user, guildId, channelId, commandPath, options, null, cancellationToken);

    /// <summary>User types into an autocomplete option.</summary>
    /// <param name="user">The user.</param>
    /// <param name="guildId">The guild.</param>
    /// <param name="channelId">The channel.</param>
    /// <param name="commandPath">The command path.</param>
    /// <param name="focused">The focused option's name.</param>
    /// <param name="partial">What the user typed so far.</param>
    /// <param name="options">Other options already filled.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SimulatedInteraction> AutocompleteAsync(EmulatedUser user, ulong? guildId, ulong channelId, string commandPath, string focused, string partial, IReadOnlyDictionary<string, object>? options = null, CancellationToken cancellationToken = default)
    {
        var all = new Dictionary<string, object>(options ?? new Dictionary<string, object>()) { [focused] = partial };
        return CommandAsync(InteractionType.ApplicationCommandAutocomplete, user, guildId, channelId, commandPath, all, focused, cancellationToken);
    }

    /// <summary>User clicks a button or picks select values on a stored message.</summary>
    /// <param name="user">The user.</param>
    /// <param name="guildId">The guild (null in a DM).</param>
    /// <param name="messageId">The message holding the component.</param>
    /// <param name="customId">The component's custom id.</param>
    /// <param name="values">Chosen values for a select menu.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SimulatedInteraction> ClickAsync(EmulatedUser user, ulong? guildId, ulong messageId, string customId, IReadOnlyList<string>? values = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var message = _emulator.Message(messageId) ?? throw new InvalidOperationException($"Message {messageId} is not in the emulator.");
        var component = FindComponent(message.Components, customId)
            ?? throw new InvalidOperationException($"Message {messageId} has no component with custom_id '{customId}'.");
        var componentType = (int)component["type"]!;
        if (component["disabled"] is JsonValue d && (bool)d)
        {
            throw new InvalidOperationException($"Component '{customId}' is disabled; Discord would not send the click.");
        }

        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = componentType };
        if (componentType != 2)
        {
            data["values"] = new JsonArray([.. (values ?? []).Select(v => (JsonNode)v)]);
        }

        var payload = Common(InteractionType.MessageComponent, user, guildId, message.ChannelId);
        payload["data"] = data;
        payload["message"] = message.ToJson(_emulator.ApplicationId);
        return SendAsync(payload, InteractionType.MessageComponent, guildId, message.ChannelId, messageId, cancellationToken);
    }

    /// <summary>User submits a modal.</summary>
    /// <param name="user">The user.</param>
    /// <param name="guildId">The guild.</param>
    /// <param name="channelId">The channel.</param>
    /// <param name="customId">The modal's custom id.</param>
    /// <param name="fields">Text input values by custom id.</param>
    /// <param name="labelComponents">Use the newer label (type 18) shape instead of action rows.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<SimulatedInteraction> SubmitModalAsync(EmulatedUser user, ulong? guildId, ulong channelId, string customId, IReadOnlyDictionary<string, string> fields, bool labelComponents = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var id = 0;
        var components = new JsonArray();
        foreach (var (field, value) in fields)
        {
            var input = new JsonObject { ["type"] = 4, ["id"] = ++id + 1, ["custom_id"] = field, ["value"] = value };
            components.Add(labelComponents
                ? new JsonObject { ["type"] = 18, ["id"] = ++id, ["component"] = input }
                : new JsonObject { ["type"] = 1, ["id"] = ++id, ["components"] = new JsonArray(input) });
        }

        var payload = Common(InteractionType.ModalSubmit, user, guildId, channelId);
        payload["data"] = new JsonObject { ["custom_id"] = customId, ["components"] = components };
        return SendAsync(payload, InteractionType.ModalSubmit, guildId, channelId, null, cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose() => _http?.Dispose();

    private Task<SimulatedInteraction> CommandAsync(InteractionType type, EmulatedUser user, ulong? guildId, ulong channelId, string commandPath, IReadOnlyDictionary<string, object>? options, string? focused, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(commandPath);
        var path = commandPath.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var isGuildCommand = guildId is { } g && _emulator.Commands(g).OfType<JsonObject>().Any(c => (string?)c["name"] == path[0]);
        var command = (isGuildCommand ? _emulator.Commands(guildId) : _emulator.Commands()).OfType<JsonObject>().FirstOrDefault(c => (string?)c["name"] == path[0])
            ?? throw new InvalidOperationException($"/{path[0]} is not registered; Discord would not offer it.");

        var resolved = new JsonObject();
        var definitions = command["options"] as JsonArray ?? [];
        var built = new JsonArray();
        var target = built;
        foreach (var part in path.Skip(1))
        {
            var def = definitions.OfType<JsonObject>().FirstOrDefault(o => (string?)o["name"] == part && (int)o["type"]! is 1 or 2)
                ?? throw new InvalidOperationException($"/{commandPath}: '{part}' is not a subcommand.");
            var inner = new JsonArray();
            target.Add(new JsonObject { ["type"] = (int)def["type"]!, ["name"] = part, ["options"] = inner });
            target = inner;
            definitions = def["options"] as JsonArray ?? [];
        }

        foreach (var (name, value) in options ?? new Dictionary<string, object>())
        {
            var def = definitions.OfType<JsonObject>().FirstOrDefault(o => (string?)o["name"] == name)
                ?? throw new InvalidOperationException($"/{commandPath} has no option '{name}'.");
            var optionType = (int)def["type"]!;
            var option = new JsonObject { ["name"] = name, ["type"] = optionType, ["value"] = OptionValue(optionType, value, name == focused) };
            if (name == focused)
            {
                option["focused"] = true;
            }

            target.Add(option);
            AddResolved(resolved, optionType, value, guildId);
        }

        var data = new JsonObject { ["id"] = command["id"]!.DeepClone(), ["name"] = path[0], ["type"] = 1 };
        if (built.Count > 0)
        {
            data["options"] = built;
        }

        if (resolved.Count > 0 && type == InteractionType.ApplicationCommand)
        {
            data["resolved"] = resolved;
        }

        if (isGuildCommand)
        {
            data["guild_id"] = DiscordEmulator.Id(guildId!.Value);
        }

        var payload = Common(type, user, guildId, channelId);
        payload["data"] = data;
        return SendAsync(payload, type, guildId, channelId, null, cancellationToken);
    }

    private static JsonNode? OptionValue(int type, object value, bool focused) => (type, value) switch
    {
        (_, _) when focused => value.ToString(),
        (3, string s) => s,
        (4, _) => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        (10, _) => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        (5, bool b) => b,
        (6 or 7 or 8 or 9 or 11, _) => Convert.ToUInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
        _ => throw new InvalidOperationException($"Value {value} does not fit option type {type}."),
    };

    private void AddResolved(JsonObject resolved, int type, object value, ulong? guildId)
    {
        if (type is not (6 or 7 or 8 or 9))
        {
            return;
        }

        var id = Convert.ToUInt64(value, CultureInfo.InvariantCulture);
        var key = DiscordEmulator.Id(id);
        JsonObject Section(string name) => (JsonObject)(resolved[name] ??= new JsonObject());
        switch (type)
        {
            case 6 or 9 when UserOf(id) is { } user:
                Section("users")[key] = DiscordEmulator.UserJson(user);
                if (guildId is { } g && _emulator.MemberRoles(g, id) is { } roles)
                {
                    Section("members")[key] = new JsonObject
                    {
                        ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)DiscordEmulator.Id(r))]),
                        ["permissions"] = ((ulong)PermissionsOf(g, id)).ToString(CultureInfo.InvariantCulture),
                        ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                        ["nick"] = null,
                        ["pending"] = false,
                        ["flags"] = 0,
                    };
                }

                break;
            case 8 or 9 when guildId is { } g2 && _emulator.Guild(g2).Roles.TryGetValue(id, out var roleName):
                Section("roles")[key] = new JsonObject { ["id"] = key, ["name"] = roleName, ["permissions"] = "0", ["position"] = 1, ["color"] = 0, ["hoist"] = false, ["managed"] = false, ["mentionable"] = true, ["flags"] = 0 };
                break;
            case 7:
                Section("channels")[key] = new JsonObject { ["id"] = key, ["name"] = "channel-" + key[^4..], ["type"] = 0, ["permissions"] = "2147483647" };
                break;
        }
    }

    private EmulatedUser? UserOf(ulong id) => _emulator.FindUser(id);

    private Permissions PermissionsOf(ulong guildId, ulong userId) =>
        _permissions.TryGetValue((guildId, userId), out var p) ? p : (Permissions)((1UL << 41) - 1) & ~Permissions.Administrator;

    private JsonObject Common(InteractionType type, EmulatedUser user, ulong? guildId, ulong channelId)
    {
        var payload = new JsonObject
        {
            ["type"] = (int)type,
            ["channel_id"] = DiscordEmulator.Id(channelId),
            ["channel"] = new JsonObject { ["id"] = DiscordEmulator.Id(channelId), ["type"] = guildId is null ? 1 : 0, ["name"] = guildId is null ? null : "general", ["guild_id"] = guildId is null ? null : DiscordEmulator.Id(guildId.Value) },
            ["app_permissions"] = "2251799813685247",
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["attachment_size_limit"] = 10485760,
        };
        if (guildId is { } g)
        {
            payload["guild_id"] = DiscordEmulator.Id(g);
            payload["guild_locale"] = "en-US";
            payload["context"] = 0;
            payload["authorizing_integration_owners"] = new JsonObject { ["0"] = DiscordEmulator.Id(g) };
            var roles = _emulator.MemberRoles(g, user.Id) ?? [];
            payload["member"] = new JsonObject
            {
                ["user"] = DiscordEmulator.UserJson(user),
                ["roles"] = new JsonArray([.. roles.Select(r => (JsonNode)DiscordEmulator.Id(r))]),
                ["premium_since"] = null,
                ["permissions"] = ((ulong)PermissionsOf(g, user.Id)).ToString(CultureInfo.InvariantCulture),
                ["pending"] = false,
                ["nick"] = null,
                ["mute"] = false,
                ["deaf"] = false,
                ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                ["flags"] = 0,
            };
        }
        else
        {
            payload["context"] = 1;
            payload["authorizing_integration_owners"] = new JsonObject { ["0"] = "0" };
            payload["user"] = DiscordEmulator.UserJson(user);
        }

        return payload;
    }

    private async Task<SimulatedInteraction> SendAsync(JsonObject payload, InteractionType type, ulong? guildId, ulong channelId, ulong? sourceMessage, CancellationToken cancellationToken)
    {
        var transport = _delivery.Value switch
        {
            InteractionDelivery.Http => _http ?? throw new InvalidOperationException("HTTP delivery was chosen but UseHttp(url) was not called."),
            InteractionDelivery.Gateway => _gateway ?? throw new InvalidOperationException("Gateway delivery was chosen but UseGateway(gateway) was not called."),
            _ => Transport ?? throw new InvalidOperationException("No interaction transport: call UseHttp(url), UseGateway(gateway) or set Transport."),
        };
        var id = _emulator.NextId();
        var token = "aW50ZXJhY3Rpb246" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        var ordered = new JsonObject { ["id"] = DiscordEmulator.Id(id), ["application_id"] = DiscordEmulator.Id(_emulator.ApplicationId) };
        foreach (var (key, value) in payload.ToList())
        {
            payload.Remove(key);
            ordered[key] = value;
        }

        ordered["token"] = token;
        ordered["version"] = 1;
        var interaction = new EmulatedInteraction
        {
            Id = id,
            Token = token,
            Type = type,
            ChannelId = channelId,
            GuildId = guildId,
            SourceMessageId = sourceMessage,
            CreatedAt = _emulator.Time.GetUtcNow(),
            Payload = ordered,
        };
        _emulator.Register(interaction);
        InteractionDeliveryResult result;
        try
        {
            result = await transport.DeliverAsync((JsonObject)ordered.DeepClone(), cancellationToken).ConfigureAwait(false);
            if (result.HttpStatus == 200)
            {
                _emulator.RecordInlineResponse(interaction, result);
            }
        }
        finally
        {
            interaction.Delivered.TrySetResult();
        }

        return new SimulatedInteraction(interaction, result);
    }

    private sealed class DeliveryScope(InteractionSimulator owner, InteractionDelivery previous) : IDisposable
    {
        public void Dispose() => owner._delivery.Value = previous;
    }

    private static JsonObject? FindComponent(JsonArray components, string customId)
    {
        foreach (var c in components.OfType<JsonObject>())
        {
            if ((string?)c["custom_id"] == customId)
            {
                return c;
            }

            if (c["components"] is JsonArray inner && FindComponent(inner, customId) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
