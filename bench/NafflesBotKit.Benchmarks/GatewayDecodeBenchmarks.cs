using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Discord.Gateway.Internal;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// Gateway dispatch decoding with zlib-stream on, as a shard does it: buffer the binary message, inflate through the
/// connection's one zlib context, read the envelope with Utf8JsonReader and copy <c>d</c> out for the sink. One
/// operation = one event; the stream is compressed once, with one deflate context and Z_SYNC_FLUSH per payload, like
/// Discord does.
/// </summary>
[MemoryDiagnoser]
public class GatewayDecodeBenchmarks
{
    private const int Events = 1000;
    private byte[][] _interactions = [];
    private byte[][] _guildCreates = [];

    [GlobalSetup]
    public void Setup()
    {
        _interactions = Compress(Enumerable.Range(0, Events).Select(i => Payload("INTERACTION_CREATE", i + 1, InteractionJson(i))));
        _guildCreates = Compress(Enumerable.Range(0, Events).Select(i => Payload("GUILD_CREATE", i + 1, GuildJson(i))));
    }

    /// <summary>INTERACTION_CREATE (~1.6 KB): inflate + envelope + copy of d.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long InteractionCreate() => Decode(_interactions, parseGuild: false);

    /// <summary>GUILD_CREATE (~20 KB: 40 channels, 30 roles, 25 members): inflate + envelope + copy of d + DiscordGuild mapping.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public long GuildCreate() => Decode(_guildCreates, parseGuild: true);

    private static long Decode(byte[][] messages, bool parseGuild)
    {
        long total = 0;
        using var inflater = new ZlibStreamInflater();
        foreach (var message in messages)
        {
            inflater.Append(message);
            if (!inflater.HasCompleteMessage)
            {
                continue;
            }

            var payload = inflater.Inflate();
            var envelope = GatewayPayloadReader.ReadEnvelope(payload);
            var data = payload.Slice(envelope.DataStart, envelope.DataLength).ToArray();
            total += data.Length + (envelope.Sequence ?? 0);
            if (parseGuild)
            {
                total += GatewayEventReader.ReadGuildCreate(data)?.Channels?.Count ?? 0;
            }
        }

        return total;
    }

    private static byte[][] Compress(IEnumerable<string> payloads)
    {
        using var output = new MemoryStream();
        using var deflate = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true);
        var list = new List<byte[]>();
        foreach (var p in payloads)
        {
            output.SetLength(0);
            deflate.Write(Encoding.UTF8.GetBytes(p));
            deflate.Flush();
            list.Add(output.ToArray());
        }

        return [.. list];
    }

    private static string Payload(string name, int seq, string d) => $$"""{"t":"{{name}}","s":{{seq}},"op":0,"d":{{d}}}""";

    private static string InteractionJson(int i) => $$"""
        {"version":1,"type":2,"token":"aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMTpYdkR4NnRrcHFTb0xjQnF0N2xvU2V2bXpKVlBvT0N1a0Z2d3pQZ0JHZ0V4NkVxZ1NjU3Z5R3ZqR0lpVkdqV3pR{{i}}",
        "member":{"user":{"username":"raffle_fan_{{i}}","public_flags":0,"primary_guild":null,"id":"{{80351110224678912 + i}}","global_name":"Raffle Fan","discriminator":"0","clan":null,"avatar_decoration_data":null,"avatar":"a_1f2e3d4c5b6a79881f2e3d4c5b6a7988"},
        "unusual_dm_activity_until":null,"roles":["1100000000000000100","1100000000000000101"],"premium_since":null,"permissions":"2248473465835073","pending":false,"nick":null,"mute":false,"joined_at":"2024-05-01T12:00:00.000000+00:00","flags":0,"deaf":false,"communication_disabled_until":null,"banner":null,"avatar":null},
        "locale":"en-US","id":"{{1300000000000000000 + i}}","guild_locale":"en-US","guild_id":"81384788765712384",
        "guild":{"locale":"en-US","id":"81384788765712384","features":["COMMUNITY","NEWS"]},"entitlements":[],"entitlement_sku_ids":[],
        "data":{"type":1,"name":"naffles-create-task","id":"1100000000000000200","guild_id":"81384788765712384",
        "options":[{"type":3,"name":"type","value":"twitter_follow"},{"type":3,"name":"title","value":"Follow Naffles on X #{{i}}"},{"type":4,"name":"points","value":250},{"type":4,"name":"duration","value":72}]},
        "context":0,"channel_id":"81384788765712385",
        "channel":{"type":0,"topic":"Raffles and tasks","theme_color":null,"rate_limit_per_user":0,"position":3,"permissions":"2248473465835073","parent_id":"81384788765712386","nsfw":false,"name":"general","last_message_id":"1299999999999999999","id":"81384788765712385","icon_emoji":null,"guild_id":"81384788765712384","flags":0},
        "authorizing_integration_owners":{"0":"81384788765712384"},"attachment_size_limit":8388608,"application_id":"1100000000000000001","app_permissions":"2248473465835073"}
        """;

    private static string GuildJson(int i)
    {
        var sb = new StringBuilder();
        sb.Append($$"""{"id":"{{81384788765712384 + ((ulong)i << 22)}}","name":"Naffles Community {{i}}","icon":"0123456789abcdef0123456789abcdef","owner_id":"80351110224678912","system_channel_id":"81384788765712385","joined_at":"2024-05-01T12:00:00.000000+00:00","large":false,"unavailable":false,"member_count":1234,"features":["COMMUNITY","NEWS","INVITE_SPLASH"],"premium_tier":2,"preferred_locale":"en-US","verification_level":2,"roles":[""");
        for (var r = 0; r < 30; r++)
        {
            sb.Append(r == 0 ? "" : ",").Append($$"""{"id":"{{1100000000000000100 + r}}","name":"Role {{r}}","permissions":"2248473465835073","position":{{r}},"color":3447003,"hoist":false,"managed":false,"mentionable":true,"flags":0}""");
        }

        sb.Append("""],"channels":[""");
        for (var c = 0; c < 40; c++)
        {
            sb.Append(c == 0 ? "" : ",").Append($$"""{"id":"{{81384788765712385 + c}}","name":"channel-{{c}}","type":{{(c % 5 == 0 ? 4 : 0)}},"position":{{c}},"parent_id":"81384788765712386","topic":null,"rate_limit_per_user":0,"nsfw":false,"permission_overwrites":[],"last_message_id":null,"flags":0}""");
        }

        sb.Append("""],"members":[""");
        for (var m = 0; m < 25; m++)
        {
            sb.Append(m == 0 ? "" : ",").Append($$"""{"user":{"id":"{{80351110224678912 + m}}","username":"member{{m}}","global_name":null,"avatar":null,"discriminator":"0"},"roles":["1100000000000000101"],"joined_at":"2024-05-01T12:00:00.000000+00:00","deaf":false,"mute":false,"flags":0}""");
        }

        sb.Append("""],"voice_states":[],"threads":[],"presences":[],"stage_instances":[],"guild_scheduled_events":[],"soundboard_sounds":[],"emojis":[],"stickers":[]}""");
        return sb.ToString();
    }
}
