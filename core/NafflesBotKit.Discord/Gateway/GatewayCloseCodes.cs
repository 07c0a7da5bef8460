namespace NafflesBotKit.Discord.Gateway;

/// <summary>What a shard does after its connection ends.</summary>
public enum GatewayRecovery
{
    /// <summary>Reconnect to <c>resume_gateway_url</c> and send Resume.</summary>
    Resume,

    /// <summary>Reconnect to the gateway URL and Identify anew.</summary>
    Identify,

    /// <summary>Stop the shard; retrying cannot help (and would burn the identify budget).</summary>
    Fatal,
}

/// <summary>Gateway close codes and what to do about them (docs table + discord.js 2.x).</summary>
public static class GatewayCloseCodes
{
    /// <summary>The private code used to close a connection without invalidating the session (as discord.js does).</summary>
    public const int Resumable = 4200;

    /// <summary>Maps a close code to a recovery; null = the socket dropped without a close frame (resume).</summary>
    /// <param name="code">The close code.</param>
    public static GatewayRecovery Classify(int? code) => code switch
    {
        null => GatewayRecovery.Resume,
        1000 or 1001 => GatewayRecovery.Identify, // the server ended the session (discord.js PR #8405)
        4000 or 4001 or 4002 => GatewayRecovery.Resume,
        4003 or 4005 or 4006 or 4007 or 4008 or 4009 => GatewayRecovery.Identify,
        4004 or 4010 or 4011 or 4012 or 4013 or 4014 => GatewayRecovery.Fatal,
        _ => GatewayRecovery.Resume,
    };

    /// <summary>A human description of a fatal code.</summary>
    /// <param name="code">The close code.</param>
    public static string Describe(int code) => code switch
    {
        4004 => "authentication failed (bad token)",
        4010 => "invalid shard",
        4011 => "sharding required (too many guilds for the shard count; re-fetch /gateway/bot and raise ShardCount)",
        4012 => "invalid API version",
        4013 => "invalid intents",
        4014 => "disallowed intents (enable the privileged intents in the Developer Portal)",
        4000 => "unknown error",
        4001 => "unknown opcode",
        4002 => "decode error",
        4003 => "not authenticated",
        4005 => "already authenticated",
        4007 => "invalid seq",
        4008 => "rate limited",
        4009 => "session timed out",
        _ => "close code " + code.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
