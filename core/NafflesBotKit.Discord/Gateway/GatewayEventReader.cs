using System.Globalization;
using System.Text.Json;
using NafflesBotKit.Discord.Gateway.Internal;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>The parts of READY a bot needs.</summary>
/// <param name="SessionId">Session id (for Resume).</param>
/// <param name="ResumeGatewayUrl">Where to resume.</param>
/// <param name="GuildIds">The guilds of this shard (unavailable until their GUILD_CREATE).</param>
public sealed record GatewayReady(string? SessionId, Uri? ResumeGatewayUrl, IReadOnlyList<ulong> GuildIds);

/// <summary>
/// Typed readers for the dispatches the framework maps (READY, GUILD_CREATE, GUILD_DELETE, GUILD_MEMBER_ADD), over
/// the raw <see cref="GatewayDispatch.Data"/> with <see cref="Utf8JsonReader"/>. Missing and undocumented fields are
/// tolerated. INTERACTION_CREATE is read by the Discord layer's InteractionParser, not here.
/// </summary>
public static class GatewayEventReader
{
    /// <summary>Reads READY.</summary>
    /// <param name="json">The dispatch's <c>d</c>.</param>
    public static GatewayReady ReadReady(ReadOnlySpan<byte> json)
    {
        var (session, resume, guilds) = GatewayPayloadReader.ReadReady(json);
        return new GatewayReady(session, resume is not null && Uri.TryCreate(resume, UriKind.Absolute, out var uri) ? uri : null, guilds);
    }

    /// <summary>Reads GUILD_CREATE into an SDK guild; null for an unavailable guild (no data) or a payload without id.</summary>
    /// <param name="json">The dispatch's <c>d</c>.</param>
    public static DiscordGuild? ReadGuildCreate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        ulong id = 0, owner = 0;
        ulong? systemChannel = null;
        string? name = null;
        var memberCount = 0;
        var unavailable = false;
        List<GuildChannel>? channels = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("owner_id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out owner);
            }
            else if (reader.ValueTextEquals("system_channel_id"u8))
            {
                reader.Read();
                systemChannel = GatewayPayloadReader.TryReadSnowflake(ref reader, out var sc) ? sc : null;
            }
            else if (reader.ValueTextEquals("member_count"u8))
            {
                reader.Read();
                memberCount = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("unavailable"u8))
            {
                reader.Read();
                unavailable = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("channels"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    channels = [];
                    while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                    {
                        channels.Add(ReadChannel(ref reader));
                    }
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (id == 0 || (unavailable && name is null))
        {
            return null; // an unavailable guild carries no data
        }

        return new DiscordGuild(id, name ?? "", owner, systemChannel, memberCount, channels);
    }

    /// <summary>Reads GUILD_DELETE: the guild id and whether it is an outage (<c>unavailable</c>) rather than a leave.</summary>
    /// <param name="json">The dispatch's <c>d</c>.</param>
    public static (ulong GuildId, bool Unavailable) ReadGuildDelete(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        ulong id = 0;
        var unavailable = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("unavailable"u8))
            {
                reader.Read();
                unavailable = reader.TokenType == JsonTokenType.True;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (id, unavailable);
    }

    /// <summary>Reads GUILD_MEMBER_ADD into <see cref="MemberJoined"/>; null when ids are missing.</summary>
    /// <param name="json">The dispatch's <c>d</c>.</param>
    public static MemberJoined? ReadGuildMemberAdd(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        if (!root.TryGetProperty("guild_id", out var g) || !ulong.TryParse(g.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var guildId)
            || !root.TryGetProperty("user", out var u) || !u.TryGetProperty("id", out var uid)
            || !ulong.TryParse(uid.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            return null;
        }

        var user = new DiscordUser(
            userId,
            u.TryGetProperty("username", out var un) && un.ValueKind == JsonValueKind.String ? un.GetString()! : "",
            u.TryGetProperty("global_name", out var gn) && gn.ValueKind == JsonValueKind.String ? gn.GetString() : null,
            u.TryGetProperty("avatar", out var av) && av.ValueKind == JsonValueKind.String ? av.GetString() : null,
            u.TryGetProperty("bot", out var bot) && bot.ValueKind == JsonValueKind.True);
        var joinedAt = root.TryGetProperty("joined_at", out var j) && j.ValueKind == JsonValueKind.String && j.TryGetDateTimeOffset(out var at) ? at : DateTimeOffset.MinValue;
        return new MemberJoined(guildId, user, joinedAt);
    }

    private static GuildChannel ReadChannel(ref Utf8JsonReader reader)
    {
        ulong id = 0;
        string? name = null;
        int type = 0, position = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                GatewayPayloadReader.TryReadSnowflake(ref reader, out id);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else if (reader.ValueTextEquals("position"u8))
            {
                reader.Read();
                position = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new GuildChannel(id, name, type, position);
    }
}
