using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// Discord REST requests per second through the rate limiter (bucket queues, global window, header parsing) against
/// the loopback emulator, with limits raised so the limiter decides but never waits; plus the limiter alone.
/// </summary>
[Config(typeof(ShortInProcessConfig))]
[MemoryDiagnoser]
public class RestLimiterBenchmarks
{
    private const int Parallel = 64;
    private DiscordEmulator _emulator = null!;
    private ServiceProvider _services = null!;
    private DiscordRestClient _rest = null!;
    private ulong[] _channels = [];
    private DiscordRateLimiter _limiter = null!;
    private RestRoute _route;
    private readonly MessagePayload _message = MessagePayload.FromText("benchmark");

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _emulator = new DiscordEmulator(new DiscordEmulatorOptions { GlobalLimitPerSecond = 1_000_000, DefaultRouteLimit = 1_000_000, DefaultRouteWindow = TimeSpan.FromSeconds(1) });
        var urls = await _emulator.StartAsync();
        var (guild, channel) = _emulator.AddGuild();
        _channels = [channel, .. Enumerable.Range(0, 15).Select(_ => _emulator.AddChannel(guild.Id))];
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = _emulator.BotToken,
            ["Discord:ApiBaseUrl"] = urls.RestBaseUrl.ToString(),
            ["Discord:CommandSync:Mode"] = "Off",
            ["Discord:GlobalRequestsPerSecond"] = "100000",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRest(configuration);
        _services = services.BuildServiceProvider();
        _rest = _services.GetRequiredService<DiscordRestClient>();
        _limiter = new DiscordRateLimiter(TimeProvider.System, 1_000_000);
        _route = RestRoute.From(HttpMethod.Post, "/channels/" + channel.ToString(CultureInfo.InvariantCulture) + "/messages", TimeProvider.System);
        await _rest.SendMessageAsync(channel, _message, CancellationToken.None);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    /// <summary>One create-message at a time, same bucket: latency through limiter + loopback HTTP + emulator.</summary>
    [Benchmark]
    public ValueTask<ulong> SendMessage_Serial() => _rest.SendMessageAsync(_channels[0], _message, CancellationToken.None);

    /// <summary>64 create-messages in flight across 16 channel buckets (each bucket still serial).</summary>
    [Benchmark(OperationsPerInvoke = Parallel)]
    public Task SendMessage_16Buckets_64InFlight() =>
        Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => _rest.SendMessageAsync(_channels[i % _channels.Length], _message, CancellationToken.None).AsTask()));

    /// <summary>The limiter's own cost per request: bucket lookup, bucket wait, global window (no HTTP).</summary>
    [Benchmark]
    public async ValueTask Limiter_Only()
    {
        var bucket = _limiter.AcquireBucket(_route);
        await bucket.Gate.WaitAsync();
        try
        {
            await _limiter.WaitForBucketAsync(bucket, CancellationToken.None);
            await _limiter.WaitForGlobalAsync(true, CancellationToken.None);
        }
        finally
        {
            bucket.Gate.Release();
            _limiter.ReleaseBucket(bucket);
        }
    }

    internal sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}

/// <summary>Decoding an INTERACTION_CREATE payload and encoding a message response (the per-interaction JSON cost).</summary>
[Config(typeof(RestLimiterBenchmarks.ShortInProcessConfig))]
[MemoryDiagnoser]
public class InteractionJsonBenchmarks
{
    private static readonly byte[] Command = System.Text.Encoding.UTF8.GetBytes("""
        {"id":"1300000000000000001","application_id":"1100000000000000001","type":2,"token":"aW50ZXJhY3Rpb246MTMwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg","version":1,
         "guild_id":"1200000000000000001","channel_id":"1200000000000000002","app_permissions":"2251799813685247","locale":"en-US","guild_locale":"en-US",
         "channel":{"id":"1200000000000000002","type":0,"name":"general","guild_id":"1200000000000000001"},
         "member":{"user":{"id":"1000000000000000001","username":"alice","global_name":"Alice","avatar":null,"discriminator":"0","public_flags":0},
                   "roles":["1200000000000000009"],"permissions":"2199023255551","joined_at":"2024-01-01T00:00:00.000000+00:00","nick":null,"pending":false,"flags":0,"mute":false,"deaf":false},
         "data":{"id":"1250000000000000001","name":"tasks","type":1,"options":[{"name":"create","type":1,"options":[{"name":"points","type":4,"value":50},{"name":"title","type":3,"value":"Follow us"}]}]},
         "entitlements":[],"authorizing_integration_owners":{"0":"1200000000000000001"},"context":0,"attachment_size_limit":10485760}
        """);

    private static readonly NafflesBotKit.Transport.InteractionResponse Response = new(
        NafflesBotKit.Transport.InteractionCallbackType.ChannelMessageWithSource,
        MessagePayload.FromEmbed(new Embed { Title = "Task created", Description = "Follow us on X", Color = 0x5865F2, Fields = [new EmbedField("Points", "50", true)] }, [new ActionRow([new Button { Label = "Complete", CustomId = "task:complete:42" }])]));

    [Benchmark]
    public NafflesBotKit.Interactions.Interaction Parse_CommandInteraction() => NafflesBotKit.Discord.Json.InteractionParser.Parse(Command);

    [Benchmark]
    public byte[] Serialize_EmbedResponse() => NafflesBotKit.Discord.Json.DiscordJson.SerializeInteractionResponse(Response);
}
