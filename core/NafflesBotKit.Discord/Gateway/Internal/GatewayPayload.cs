using System.Buffers;
using System.Text.Json;

namespace NafflesBotKit.Discord.Gateway.Internal;

/// <summary>Gateway opcodes.</summary>
internal static class GatewayOp
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int PresenceUpdate = 3;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int RequestGuildMembers = 8;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>The decoded envelope <c>{op, d, s, t}</c>; <c>d</c> is a slice of the payload.</summary>
internal readonly struct GatewayEnvelope
{
    public int Op { get; init; }

    public long? Sequence { get; init; }

    public string? EventName { get; init; }

    public int DataStart { get; init; }

    public int DataLength { get; init; }

    public JsonTokenType DataToken { get; init; }
}

/// <summary>Allocation-light decoding of gateway payloads with <see cref="Utf8JsonReader"/>.</summary>
internal static class GatewayPayloadReader
{
    /// <summary>Reads the envelope; the only allocation is the event name of an unknown event.</summary>
    public static GatewayEnvelope ReadEnvelope(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A gateway payload must be a JSON object.");
        }

        var op = -1;
        long? seq = null;
        string? name = null;
        int dataStart = 0, dataLength = 0;
        var dataToken = JsonTokenType.Null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("op"u8))
            {
                reader.Read();
                op = reader.GetInt32();
            }
            else if (reader.ValueTextEquals("s"u8))
            {
                reader.Read();
                seq = reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : null;
            }
            else if (reader.ValueTextEquals("t"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? EventNames.Get(ref reader) : null;
            }
            else if (reader.ValueTextEquals("d"u8))
            {
                reader.Read();
                dataToken = reader.TokenType;
                dataStart = (int)reader.TokenStartIndex;
                reader.Skip();
                dataLength = (int)reader.BytesConsumed - dataStart;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (op < 0)
        {
            throw new JsonException("A gateway payload has no op.");
        }

        return new GatewayEnvelope { Op = op, Sequence = seq, EventName = name, DataStart = dataStart, DataLength = dataLength, DataToken = dataToken };
    }

    /// <summary>Reads <c>heartbeat_interval</c> of Hello.</summary>
    public static double ReadHeartbeatInterval(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isInterval = reader.ValueTextEquals("heartbeat_interval"u8);
            reader.Read();
            if (isInterval)
            {
                return reader.GetDouble();
            }

            reader.Skip();
        }

        throw new JsonException("Hello has no heartbeat_interval.");
    }

    /// <summary>Reads <c>session_id</c>, <c>resume_gateway_url</c> and the guild ids of READY; ignores the rest.</summary>
    public static (string? SessionId, string? ResumeUrl, List<ulong> GuildIds) ReadReady(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        string? session = null, resume = null;
        var guilds = new List<ulong>();
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("session_id"u8))
            {
                reader.Read();
                session = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("resume_gateway_url"u8))
            {
                reader.Read();
                resume = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("guilds"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isId = reader.ValueTextEquals("id"u8);
                        reader.Read();
                        if (isId && TryReadSnowflake(ref reader, out var id))
                        {
                            guilds.Add(id);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (session, resume, guilds);
    }

    /// <summary>Reads a snowflake sent as a string (or, leniently, a number).</summary>
    public static bool TryReadSnowflake(ref Utf8JsonReader reader, out ulong value)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return System.Buffers.Text.Utf8Parser.TryParse(reader.ValueSpan, out value, out var consumed) && consumed == reader.ValueSpan.Length
                || ulong.TryParse(reader.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
        }

        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetUInt64(out value);
        }

        value = 0;
        return false;
    }

    /// <summary>Interned names of frequent events, so the hot path does not allocate a string per dispatch.</summary>
    private static class EventNames
    {
        private static readonly string[] Known =
        [
            "INTERACTION_CREATE", "GUILD_CREATE", "GUILD_DELETE", "GUILD_UPDATE", "GUILD_MEMBER_ADD", "GUILD_MEMBER_REMOVE",
            "GUILD_MEMBER_UPDATE", "MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE", "MESSAGE_REACTION_ADD",
            "MESSAGE_REACTION_REMOVE", "PRESENCE_UPDATE", "TYPING_START", "VOICE_STATE_UPDATE", "CHANNEL_CREATE",
            "CHANNEL_UPDATE", "CHANNEL_DELETE", "THREAD_CREATE", "THREAD_UPDATE", "GUILD_ROLE_CREATE", "GUILD_ROLE_UPDATE",
            "GUILD_ROLE_DELETE", "READY", "RESUMED",
        ];

        private static readonly byte[][] KnownUtf8 = Known.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();

        public static string Get(ref Utf8JsonReader reader)
        {
            if (!reader.ValueIsEscaped)
            {
                var span = reader.ValueSpan;
                for (var i = 0; i < KnownUtf8.Length; i++)
                {
                    if (span.SequenceEqual(KnownUtf8[i]))
                    {
                        return Known[i];
                    }
                }
            }

            return reader.GetString()!;
        }
    }
}

/// <summary>Writes the payloads the client sends.</summary>
internal static class GatewayPayloadWriter
{
    public static void WriteHeartbeat(IBufferWriter<byte> output, long? seq)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("op"u8, GatewayOp.Heartbeat);
        if (seq is { } s)
        {
            w.WriteNumber("d"u8, s);
        }
        else
        {
            w.WriteNull("d"u8);
        }

        w.WriteEndObject();
    }

    public static void WriteIdentify(IBufferWriter<byte> output, string token, GatewayIntents intents, string os, int shardId, int shardCount, int largeThreshold)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("op"u8, GatewayOp.Identify);
        w.WriteStartObject("d"u8);
        w.WriteString("token"u8, token);
        w.WriteNumber("intents"u8, (int)intents);
        w.WriteStartObject("properties"u8);
        w.WriteString("os"u8, os);
        w.WriteString("browser"u8, "NafflesBotKit"u8);
        w.WriteString("device"u8, "NafflesBotKit"u8);
        w.WriteEndObject();
        w.WriteStartArray("shard"u8);
        w.WriteNumberValue(shardId);
        w.WriteNumberValue(shardCount);
        w.WriteEndArray();
        w.WriteNumber("large_threshold"u8, largeThreshold);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteResume(IBufferWriter<byte> output, string token, string sessionId, long? seq)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("op"u8, GatewayOp.Resume);
        w.WriteStartObject("d"u8);
        w.WriteString("token"u8, token);
        w.WriteString("session_id"u8, sessionId);
        if (seq is { } s)
        {
            w.WriteNumber("seq"u8, s);
        }
        else
        {
            w.WriteNull("seq"u8);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
