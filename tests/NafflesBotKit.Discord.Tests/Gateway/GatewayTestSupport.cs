using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Gateway;

internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;

    public override int Next(int minValue, int maxValue) => minValue + (int)((maxValue - minValue) * value);
}

internal sealed class RecordingThrottler(IIdentifyThrottler inner, TimeProvider time) : IIdentifyThrottler
{
    public ConcurrentQueue<(int ShardId, int Key, DateTimeOffset At)> Claims { get; } = new();

    public async ValueTask WaitAsync(int shardId, int maxConcurrency, CancellationToken cancellationToken)
    {
        await inner.WaitAsync(shardId, maxConcurrency, cancellationToken);
        Claims.Enqueue((shardId, shardId % maxConcurrency, time.GetUtcNow()));
    }

    /// <summary>The smallest gap between two identifies of one key (null if no key identified twice).</summary>
    public TimeSpan? SmallestGapPerKey() => Claims.GroupBy(c => c.Key)
        .SelectMany(g => g.OrderBy(c => c.At).Zip(g.OrderBy(c => c.At).Skip(1), (a, b) => b.At - a.At))
        .Select(t => (TimeSpan?)t).Min();
}

internal sealed class RecordingSink : IGatewayEventSink
{
    public ConcurrentQueue<GatewayDispatch> Dispatches { get; } = new();

    public ValueTask OnDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
    {
        Dispatches.Enqueue(dispatch);
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<GatewayDispatch> Of(string name) => Dispatches.Where(d => d.EventName == name).ToList();

    public int Count(string name) => Dispatches.Count(d => d.EventName == name);
}

internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((logLevel, category, formatter(state, exception)));
    }
}

/// <summary>An emulator plus a client sharing one fake clock.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private GatewayHarness(DiscordGatewayEmulator emulator, FakeTimeProvider time)
    {
        Emulator = emulator;
        Time = time;
    }

    public DiscordGatewayEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public RecordingSink Sink { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    public DiscordGatewayClient Client { get; private set; } = null!;

    public DiscordGatewayOptions Options { get; } = new();

    public IIdentifyThrottler Throttler { get; private set; } = null!;

    public static async Task<GatewayHarness> StartAsync(Action<DiscordGatewayEmulatorOptions>? emulator = null, Action<DiscordGatewayOptions>? client = null, double random = 0.5, bool connect = true, IGatewayEventSink? sink = null, Func<IIdentifyThrottler, TimeProvider, IIdentifyThrottler>? throttler = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var emulatorOptions = new DiscordGatewayEmulatorOptions { TimeProvider = time };
        emulatorOptions.Guilds.Add(new GatewayGuild(81384788765712384, "Naffles HQ"));
        emulatorOptions.Guilds.Add(new GatewayGuild(175928847299117063, "Raffle Room"));
        emulator?.Invoke(emulatorOptions);
        var emu = new DiscordGatewayEmulator(emulatorOptions);
        await emu.StartAsync();
        var h = new GatewayHarness(emu, time);
        h.Options.Token = "Bot " + emulatorOptions.Token;
        h.Options.ApiBaseUrl = emu.ApiBaseUrl;
        h.Options.Intents = GatewayIntents.Guilds | GatewayIntents.GuildMembers;
        using var http = new HttpClient();
        var info = await new HttpGatewayInfoSource(http, Microsoft.Extensions.Options.Options.Create(h.Options)).GetGatewayBotAsync(CancellationToken.None);
        client?.Invoke(h.Options);
        h.Throttler = new LocalIdentifyThrottler(time);
        h.Throttler = throttler?.Invoke(h.Throttler, time) ?? h.Throttler;
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(h.Logs).SetMinimumLevel(LogLevel.Debug));
        h.Client = new DiscordGatewayClient(Microsoft.Extensions.Options.Options.Create(h.Options), new StaticInfoSource(info), h.Throttler, sink ?? h.Sink, time, loggerFactory, new FixedRandom(random));
        if (connect)
        {
            await h.Client.StartAsync(CancellationToken.None);
        }

        return h;
    }

    /// <summary>Polls <paramref name="condition"/>, advancing fake time by <paramref name="step"/> between polls; bounded.</summary>
    public async Task WaitAsync(Func<bool> condition, string what, TimeSpan? step = null, int maxPolls = 2000)
    {
        for (var i = 0; i < maxPolls; i++)
        {
            if (condition())
            {
                return;
            }

            if (step is { } s && s > TimeSpan.Zero)
            {
                Time.Advance(s);
            }

            await Task.Delay(i < 50 ? 1 : 5);
        }

        throw new TimeoutException($"Gave up waiting for: {what}. Status: {string.Join(" | ", Client.Shards)}; connections: {string.Join(", ", Emulator.Connections.Select(c => $"#{c.Id} {c.Path} shard={c.ShardId} id={c.Identified} res={c.Resumed} cc={c.ClientCloseCode} sc={c.ServerCloseCode} end={c.Ended}"))}; violations: {string.Join("; ", Emulator.Violations)}");
    }

    public Task WaitReadyAsync(int shardId = 0, TimeSpan? step = null) =>
        WaitAsync(
            () => Client.GetShard(shardId) is { State: GatewayShardState.Ready } s && Emulator.IsLive(shardId) && s.LastSequence == Emulator.LastSequence(shardId),
            $"shard {shardId} ready and caught up",
            step);

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await Client.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await Emulator.DisposeAsync();
    }

    private sealed class StaticInfoSource(GatewayBotInfo info) : IGatewayInfoSource
    {
        public ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) => ValueTask.FromResult(info);
    }
}
