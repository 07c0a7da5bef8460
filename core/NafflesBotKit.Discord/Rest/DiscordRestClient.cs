using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// Discord REST API v10 client: bot authentication, the User-Agent Discord requires, per-bucket queues and the
/// global limit (see <see cref="DiscordRateLimiter"/>), 429 handling, retries of 5xx and network failures, and
/// errors as <see cref="DiscordApiException"/>.
/// </summary>
public sealed partial class DiscordRestClient : IDiscordClient
{
    /// <summary>The name of the <see cref="HttpClient"/> registered with <c>IHttpClientFactory</c>.</summary>
    public const string HttpClientName = "NafflesBotKit.Discord";

    /// <summary>The User-Agent Discord requires (<c>DiscordBot ($url, $versionNumber)</c>).</summary>
    public const string UserAgent = "DiscordBot (https://github.com/nafflesbotkit, 1.0.0)";

    private const int MaxRateLimitRetries = 20;

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly string _baseUrl;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClientFactory">HTTP clients.</param>
    /// <param name="options">REST options.</param>
    /// <param name="time">Clock for every rate-limit wait.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="sharedGlobalLimit">The global limit shared with the bot's other processes (Redis), if any.</param>
    public DiscordRestClient(IHttpClientFactory httpClientFactory, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger, IDiscordGlobalRateLimit? sharedGlobalLimit = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _httpClientFactory = httpClientFactory;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _baseUrl = _options.ApiBaseUrl.TrimEnd('/');
        Limiter = new DiscordRateLimiter(time, _options.GlobalRequestsPerSecond, sharedGlobalLimit);
    }

    internal DiscordRateLimiter Limiter { get; }

    /// <summary>Requests past their rate-limit waits and not yet fully handled (tests drive fake time when it is 0).</summary>
    internal int SendingCount => Volatile.Read(ref _sending);

    private int _sending;

    /// <summary>The REST base URL in use.</summary>
    public string BaseUrl => _baseUrl;

    // ---- Gateway ----

    /// <summary><c>GET /gateway/bot</c>: the gateway URL, recommended shards and identify budget.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, "/gateway/bot", null, cancellationToken).ConfigureAwait(false);
        var wire = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.GatewayBotWire) ?? new GatewayBotWire();
        var limit = wire.SessionStartLimit ?? new SessionStartLimitWire();
        return new GatewayBotInfo(
            wire.Url ?? string.Empty,
            wire.Shards,
            new SessionStartLimit(limit.Total, limit.Remaining, TimeSpan.FromMilliseconds(limit.ResetAfter), limit.MaxConcurrency));
    }

    // ---- Application commands ----

    internal async ValueTask<List<ApplicationCommandWire>> GetCommandsAsync(ulong applicationId, ulong? guildId, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, CommandsPath(applicationId, guildId), null, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, DiscordJsonContext.Default.ListApplicationCommandWire) ?? [];
    }

    internal async ValueTask<List<ApplicationCommandWire>> BulkOverwriteCommandsAsync(ulong applicationId, ulong? guildId, IEnumerable<ApplicationCommandDefinition> commands, CancellationToken cancellationToken)
    {
        var json = DiscordJson.SerializeCommands(commands);
        var body = await SendAsync(HttpMethod.Put, CommandsPath(applicationId, guildId), () => Json(json), cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(body, DiscordJsonContext.Default.ListApplicationCommandWire) ?? [];
    }

    private static string CommandsPath(ulong applicationId, ulong? guildId) =>
        guildId is { } g ? $"/applications/{applicationId}/guilds/{g}/commands" : $"/applications/{applicationId}/commands";

    // ---- Interactions ----

    /// <summary><c>POST /interactions/{id}/{token}/callback</c>: the initial response (not queued, not globally limited).</summary>
    /// <param name="interactionId">The interaction.</param>
    /// <param name="token">Its token.</param>
    /// <param name="response">The callback.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask CreateInteractionResponseAsync(ulong interactionId, string token, InteractionResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Type is InteractionCallbackType.ChannelMessageWithSource or InteractionCallbackType.UpdateMessage)
        {
            response.Message?.Validate();
        }

        if (response.Type == InteractionCallbackType.Modal)
        {
            (response.Modal ?? throw new ArgumentException("A modal response needs a modal.", nameof(response))).Validate();
        }

        var json = DiscordJson.SerializeInteractionResponse(response);
        var files = response.Message?.Files ?? [];
        await SendAsync(HttpMethod.Post, $"/interactions/{interactionId}/{Uri.EscapeDataString(token)}/callback", () => Body(json, files), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /webhooks/{app}/{token}/messages/@original</c>: the original response's message id.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask<ulong> GetOriginalResponseAsync(ulong applicationId, string token, CancellationToken cancellationToken)
    {
        var body = await SendAsync(HttpMethod.Get, WebhookPath(applicationId, token) + "/messages/@original", null, cancellationToken).ConfigureAwait(false);
        return MessageId(body);
    }

    /// <summary><c>PATCH /webhooks/{app}/{token}/messages/@original</c>.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="message">The new content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask EditOriginalResponseAsync(ulong applicationId, string token, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var json = DiscordJson.SerializeMessage(message);
        await SendAsync(HttpMethod.Patch, WebhookPath(applicationId, token) + "/messages/@original", () => Body(json, message.Files), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /webhooks/{app}/{token}/messages/@original</c>.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask DeleteOriginalResponseAsync(ulong applicationId, string token, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, WebhookPath(applicationId, token) + "/messages/@original", null, cancellationToken).ConfigureAwait(false);

    /// <summary><c>POST /webhooks/{app}/{token}?wait=true</c>: a follow-up message.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The follow-up's id.</returns>
    public async ValueTask<ulong> CreateFollowupAsync(ulong applicationId, string token, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var json = DiscordJson.SerializeMessage(message);
        var body = await SendAsync(HttpMethod.Post, WebhookPath(applicationId, token) + "?wait=true", () => Body(json, message.Files), cancellationToken).ConfigureAwait(false);
        return MessageId(body);
    }

    /// <summary><c>PATCH /webhooks/{app}/{token}/messages/{id}</c>.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="messageId">The follow-up.</param>
    /// <param name="message">The new content.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask EditFollowupAsync(ulong applicationId, string token, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var json = DiscordJson.SerializeMessage(message);
        await SendAsync(HttpMethod.Patch, WebhookPath(applicationId, token) + $"/messages/{messageId}", () => Body(json, message.Files), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /webhooks/{app}/{token}/messages/{id}</c>.</summary>
    /// <param name="applicationId">The application.</param>
    /// <param name="token">The interaction token.</param>
    /// <param name="messageId">The follow-up.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async ValueTask DeleteFollowupAsync(ulong applicationId, string token, ulong messageId, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, WebhookPath(applicationId, token) + $"/messages/{messageId}", null, cancellationToken).ConfigureAwait(false);

    private static string WebhookPath(ulong applicationId, string token) => $"/webhooks/{applicationId}/{Uri.EscapeDataString(token)}";

    // ---- Messages, members, roles, DMs (IDiscordClient) ----

    /// <inheritdoc />
    public async ValueTask<ulong> SendMessageAsync(ulong channelId, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var json = DiscordJson.SerializeMessage(message);
        var body = await SendAsync(HttpMethod.Post, $"/channels/{channelId}/messages", () => Body(json, message.Files), cancellationToken).ConfigureAwait(false);
        return MessageId(body);
    }

    /// <inheritdoc />
    public async ValueTask EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Validate();
        var json = DiscordJson.SerializeMessage(message);
        await SendAsync(HttpMethod.Patch, $"/channels/{channelId}/messages/{messageId}", () => Body(json, message.Files), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"/channels/{channelId}/messages/{messageId}", null, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<GuildMember?> GetMemberAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        try
        {
            var body = await SendAsync(HttpMethod.Get, $"/guilds/{guildId}/members/{userId}", null, cancellationToken).ConfigureAwait(false);
            var wire = JsonSerializer.Deserialize(body, DiscordJsonContext.Default.MemberWire) ?? new MemberWire();
            return new GuildMember(
                guildId,
                InteractionParser.ToUser(wire.User) ?? new DiscordUser(userId, string.Empty),
                (wire.Roles ?? []).Select(DiscordJson.ParseId).ToList(),
                wire.Nick,
                InteractionParser.ParseTime(wire.JoinedAt));
        }
        catch (DiscordApiException e) when (e.Code == DiscordApiException.UnknownMember)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async ValueTask AddRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Put, $"/guilds/{guildId}/members/{userId}/roles/{roleId}", null, cancellationToken, auditLogReason).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask RemoveRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"/guilds/{guildId}/members/{userId}/roles/{roleId}", null, cancellationToken, auditLogReason).ConfigureAwait(false);

    /// <summary><c>POST /users/@me/channels</c>: opens (or returns) the DM channel with a user.</summary>
    /// <param name="userId">The user.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The DM channel's id.</returns>
    public async ValueTask<ulong> CreateDmChannelAsync(ulong userId, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new CreateDmWire { RecipientId = DiscordJson.Id(userId) }, DiscordJsonContext.Default.CreateDmWire);
        var body = await SendAsync(HttpMethod.Post, "/users/@me/channels", () => Json(json), cancellationToken).ConfigureAwait(false);
        return DiscordJson.ParseId((JsonSerializer.Deserialize(body, DiscordJsonContext.Default.ChannelWire) ?? new ChannelWire()).Id);
    }

    /// <inheritdoc />
    public async ValueTask<ulong> SendDirectMessageAsync(ulong userId, MessagePayload message, CancellationToken cancellationToken)
    {
        var channelId = await CreateDmChannelAsync(userId, cancellationToken).ConfigureAwait(false);
        return await SendMessageAsync(channelId, message, cancellationToken).ConfigureAwait(false);
    }

    private static ulong MessageId(byte[] body) =>
        body.Length == 0 ? 0 : DiscordJson.ParseId((JsonSerializer.Deserialize(body, DiscordJsonContext.Default.MessageResponseWire) ?? new MessageResponseWire()).Id);

    // ---- Bodies ----

    internal static HttpContent Json(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>JSON, or <c>multipart/form-data</c> with <c>payload_json</c> and <c>files[n]</c> when there are files.</summary>
    internal static HttpContent Body(byte[] json, IReadOnlyList<FileAttachment> files)
    {
        if (files.Count == 0)
        {
            return Json(json);
        }

        var multipart = new MultipartFormDataContent();
        var payload = Json(json);
        multipart.Add(payload, "payload_json");
        for (var i = 0; i < files.Count; i++)
        {
            var file = new ReadOnlyMemoryContent(files[i].Content);
            file.Headers.ContentType = new MediaTypeHeaderValue(files[i].ContentType);
            multipart.Add(file, string.Create(CultureInfo.InvariantCulture, $"files[{i}]"), files[i].FileName);
        }

        return multipart;
    }

    // ---- The request pipeline ----

    /// <summary>
    /// Sends one request through its bucket queue and the global limit, honouring 429s and retrying 5xx and network
    /// failures. Returns the response body; throws <see cref="DiscordApiException"/> for any other failure.
    /// </summary>
    internal async ValueTask<byte[]> SendAsync(HttpMethod method, string path, Func<HttpContent>? content, CancellationToken cancellationToken, string? auditLogReason = null)
    {
        var route = RestRoute.From(method, path, _time);
        if (route.Kind == RouteKind.InteractionCallback)
        {
            return await SendAttemptsAsync(method, path, content, route, null, auditLogReason, cancellationToken).ConfigureAwait(false);
        }

        var bucket = Limiter.AcquireBucket(route);
        try
        {
            await bucket.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await SendAttemptsAsync(method, path, content, route, bucket, auditLogReason, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                bucket.Gate.Release();
            }
        }
        finally
        {
            Limiter.ReleaseBucket(bucket);
        }
    }

    private async ValueTask<byte[]> SendAttemptsAsync(HttpMethod method, string path, Func<HttpContent>? content, RestRoute route, DiscordRateLimiter.Bucket? bucket, string? auditLogReason, CancellationToken cancellationToken)
    {
        var failures = 0;
        var rateLimits = 0;
        var client = _httpClientFactory.CreateClient(HttpClientName);
        TimeSpan? selfWait = null;
        while (true)
        {
            if (selfWait is { } wait)
            {
                selfWait = null;
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            if (bucket is not null)
            {
                await Limiter.WaitForBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
            }

            if (route.Kind == RouteKind.Bot && Limiter.RefusalReason() is { } refusal)
            {
                throw new DiscordApiException(0, 0, refusal, $"{method.Method} {route.RouteKey}", null);
            }

            if (route.Kind == RouteKind.Bot)
            {
                // Interaction callbacks and interaction webhooks are exempt from the global limit.
                await Limiter.WaitForGlobalAsync(countsTowardGlobal: true, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref _sending);
            try
            {
                using var request = new HttpRequestMessage(method, _baseUrl + path);
                request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
                if (route.Kind == RouteKind.Bot && !string.IsNullOrEmpty(_options.Token))
                {
                    request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _options.Token);
                }

                if (!string.IsNullOrEmpty(auditLogReason))
                {
                    request.Headers.TryAddWithoutValidation("X-Audit-Log-Reason", Uri.EscapeDataString(auditLogReason));
                }

                request.Content = content?.Invoke();

                HttpResponseMessage response;
                using var attemptTimeout = new CancellationTokenSource(_options.RequestTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimeout.Token);
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    if (++failures > _options.MaxRetries)
                    {
                        throw new DiscordApiException(0, 0, "Discord did not answer: " + e.Message, $"{method.Method} {route.RouteKey}", null);
                    }

                    Log.Retrying(_logger, method.Method, route.RouteKey, failures, e.Message);
                    continue;
                }

                using (response)
                {
                    var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    if (bucket is not null)
                    {
                        Limiter.Update(route, bucket, response.Headers);
                    }

                    Limiter.RecordStatus((int)response.StatusCode, route.Kind == RouteKind.Bot, response.Headers);

                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var error = TryParseError(body);
                        if (error is null && !response.Headers.Contains("Retry-After") && !response.Headers.Contains("X-RateLimit-Scope"))
                        {
                            // No rate-limit data at all: a Cloudflare block (error 1015). Retrying only extends it.
                            throw new DiscordApiException(429, 0, "Blocked by Discord's edge (Cloudflare) for too many invalid requests; not retrying.", $"{method.Method} {route.RouteKey}", null);
                        }

                        var (global, retryAfter) = Limiter.OnRateLimited(bucket, response.Headers, error?.RetryAfter, error?.Global);
                        Log.RateLimited(_logger, method.Method, route.RouteKey, global, retryAfter.TotalSeconds);
                        if (++rateLimits > MaxRateLimitRetries)
                        {
                            throw Error(response.StatusCode, body, method, route);
                        }

                        if (bucket is null || (global && route.Kind != RouteKind.Bot))
                        {
                            // Callbacks (no queue) and interaction webhooks (outside the global pause) wait here themselves.
                            selfWait = retryAfter;
                        }

                        continue;
                    }

                    if ((int)response.StatusCode >= 500)
                    {
                        if (++failures > _options.MaxRetries)
                        {
                            throw Error(response.StatusCode, body, method, route);
                        }

                        Log.Retrying(_logger, method.Method, route.RouteKey, failures, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        throw Error(response.StatusCode, body, method, route);
                    }

                    return body;
                }
            }
            finally
            {
                Interlocked.Decrement(ref _sending);
            }
        }
    }

    private static ErrorWire? TryParseError(byte[] body)
    {
        try
        {
            return body.Length == 0 ? null : JsonSerializer.Deserialize(body, DiscordJsonContext.Default.ErrorWire);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DiscordApiException Error(HttpStatusCode status, byte[] body, HttpMethod method, RestRoute route)
    {
        var error = TryParseError(body);
        return new DiscordApiException(
            (int)status,
            error?.Code ?? 0,
            error?.Message ?? status.ToString(),
            $"{method.Method} {route.RouteKey[(route.RouteKey.IndexOf(':', StringComparison.Ordinal) + 1)..]}",
            error?.Errors?.GetRawText());
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Discord rate limit on {Method} {Route} (global: {Global}); retrying after {RetryAfter:0.###} s")]
        public static partial void RateLimited(ILogger logger, string method, string route, bool global, double retryAfter);

        [LoggerMessage(2, LogLevel.Warning, "Discord request {Method} {Route} failed (attempt {Attempt}): {Reason}; retrying")]
        public static partial void Retrying(ILogger logger, string method, string route, int attempt, string reason);
    }
}

/// <summary>The answer of <c>GET /gateway/bot</c>.</summary>
/// <param name="Url">The gateway URL (connect with <c>?v=10&amp;encoding=json</c>).</param>
/// <param name="Shards">Recommended shard count.</param>
/// <param name="SessionStartLimit">The identify budget.</param>
public sealed record GatewayBotInfo(string Url, int Shards, SessionStartLimit SessionStartLimit);

/// <summary>The identify budget.</summary>
/// <param name="Total">Identifies allowed per 24 h.</param>
/// <param name="Remaining">Identifies left.</param>
/// <param name="ResetAfter">When the budget resets.</param>
/// <param name="MaxConcurrency">Identifies allowed per 5 s.</param>
public sealed record SessionStartLimit(int Total, int Remaining, TimeSpan ResetAfter, int MaxConcurrency);
