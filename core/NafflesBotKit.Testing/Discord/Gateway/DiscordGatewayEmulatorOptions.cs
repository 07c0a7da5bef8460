using System.Text.Json.Nodes;

namespace NafflesBotKit.Testing.Discord;

/// <summary>A guild the emulated bot is in: sent unavailable in READY, then as GUILD_CREATE.</summary>
/// <param name="Id">Guild id (its shard is <c>(id &gt;&gt; 22) % shard_count</c>).</param>
/// <param name="Name">Name.</param>
/// <param name="OwnerId">Owner id.</param>
/// <param name="MemberCount">Member count.</param>
public sealed record GatewayGuild(ulong Id, string Name, ulong OwnerId = 80351110224678912, int MemberCount = 2)
{
    /// <summary>Extra fields merged into the GUILD_CREATE payload (channels, roles, ...).</summary>
    public JsonObject? Extra { get; init; }
}

/// <summary>Configuration of <see cref="DiscordGatewayEmulator"/>.</summary>
public sealed class DiscordGatewayEmulatorOptions
{
    /// <summary>The only token the emulator accepts (without <c>Bot </c>); anything else closes with 4004.</summary>
    public string Token { get; set; } = "emulator-token";

    /// <summary>Recommended shard count returned by <c>GET /gateway/bot</c>.</summary>
    public int RecommendedShards { get; set; } = 1;

    /// <summary><c>session_start_limit.max_concurrency</c>.</summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>Identifies left in <c>session_start_limit.remaining</c> (decremented per Identify).</summary>
    public int SessionStartRemaining { get; set; } = 1000;

    /// <summary>Hello's <c>heartbeat_interval</c> in ms.</summary>
    public int HeartbeatIntervalMs { get; set; } = 41250;

    /// <summary>Privileged intents the application may use; others close with 4014.</summary>
    public int AllowedPrivilegedIntents { get; set; } = (1 << 1) | (1 << 8) | (1 << 15);

    /// <summary>The guilds of the bot.</summary>
    public IList<GatewayGuild> Guilds { get; } = [];

    /// <summary>The bot's user id.</summary>
    public ulong BotUserId { get; set; } = 1100000000000000001;

    /// <summary>The application id.</summary>
    public ulong ApplicationId { get; set; } = 1100000000000000001;

    /// <summary>Split each compressed payload over this many WebSocket messages (1 = one message per payload).</summary>
    public int SplitMessages { get; set; } = 1;

    /// <summary>Send each WebSocket message in frames of this many bytes (0 = one frame).</summary>
    public int FragmentSize { get; set; }

    /// <summary>Clock for the identify-concurrency and send-rate checks (share the client's fake clock in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Whether new connections get Hello (false: test the client's Hello timeout).</summary>
    public bool SendHello { get; set; } = true;

    /// <summary>Whether Identify is answered with READY (false: test the client's READY timeout).</summary>
    public bool AnswerIdentify { get; set; } = true;

    /// <summary>
    /// Slack subtracted from the 5 s identify window when checking concurrency (default none). Tests that advance a
    /// fake clock while an Identify is in flight may need a little.
    /// </summary>
    public TimeSpan IdentifyWindowSlack { get; set; }

    /// <summary>
    /// Dispatches for a shard with no live session are kept and delivered after the next READY (so tests of
    /// re-identify don't lose events). Real Discord drops them; turn off to emulate that.
    /// </summary>
    public bool KeepDispatchesWithoutSession { get; set; } = true;
}
