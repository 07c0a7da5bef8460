using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Gateway;
using NafflesBotKit.Events;
using NafflesBotKit.Runtime.Events;

namespace NafflesBotKit.Discord.Tests.Gateway;

public sealed class GatewayEventPublisherTests
{
    private static GatewayDispatch D(string name, string json, long seq = 1) => new(0, seq, name, Encoding.UTF8.GetBytes(json));

    private static (GatewayEventPublisher Sut, ConcurrentQueue<object> Events) CreateSut(IGatewayInteractionHandler? handler = null)
    {
        var bus = new EventBus(NullLogger<EventBus>.Instance);
        var events = new ConcurrentQueue<object>();
        bus.Subscribe<GuildJoined>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        bus.Subscribe<GuildAvailable>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        bus.Subscribe<GuildLeft>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        bus.Subscribe<MemberJoined>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        return (new GatewayEventPublisher(bus, handler), events);
    }

    [Fact]
    public async Task GuildCreate_ForReadyGuild_IsAvailable_OtherwiseJoined()
    {
        var (sut, events) = CreateSut();
        await sut.OnDispatchAsync(D("READY", """{"session_id":"s","guilds":[{"id":"100","unavailable":true}]}"""), default);
        await sut.OnDispatchAsync(D("GUILD_CREATE", """{"id":"100","name":"Old","owner_id":"7","member_count":12,"channels":[{"id":"101","name":"general","type":0,"position":3}],"system_channel_id":"101"}"""), default);
        await sut.OnDispatchAsync(D("GUILD_CREATE", """{"id":"200","name":"New","owner_id":"8"}"""), default);
        await sut.DrainAsync(default);

        var all = events.ToArray();
        var available = Assert.IsType<GuildAvailable>(all[0]);
        Assert.Equal(new GuildChannel(101, "general", 0, 3), Assert.Single(available.Guild.Channels!));
        Assert.Equal((100UL, "Old", 7UL, 101UL, 12), (available.Guild.Id, available.Guild.Name, available.Guild.OwnerId, available.Guild.SystemChannelId!.Value, available.Guild.MemberCount));
        Assert.Equal(200UL, Assert.IsType<GuildJoined>(all[1]).Guild.Id);
    }

    [Fact]
    public async Task GuildDelete_Unavailable_IsAnOutage_NotALeave()
    {
        var (sut, events) = CreateSut();
        await sut.OnDispatchAsync(D("GUILD_CREATE", """{"id":"300","name":"G","owner_id":"1"}"""), default);
        await sut.OnDispatchAsync(D("GUILD_DELETE", """{"id":"300","unavailable":true}"""), default);
        await sut.OnDispatchAsync(D("GUILD_CREATE", """{"id":"300","name":"G","owner_id":"1"}"""), default);
        await sut.OnDispatchAsync(D("GUILD_DELETE", """{"id":"300"}"""), default);
        await sut.DrainAsync(default);

        Assert.Collection(
            events,
            e => Assert.IsType<GuildJoined>(e),
            e => Assert.IsType<GuildAvailable>(e),
            e => Assert.Equal(300UL, Assert.IsType<GuildLeft>(e).GuildId));
        Assert.False(sut.IsKnownGuild(300));
    }

    [Fact]
    public void ReadReady_GivesSessionResumeUrlAndGuilds()
    {
        var ready = GatewayEventReader.ReadReady("{\"v\":10,\"session_id\":\"abc\",\"resume_gateway_url\":\"wss://gateway-us-east1-b.discord.gg\",\"guilds\":[{\"id\":\"1\",\"unavailable\":true},{\"id\":\"2\",\"unavailable\":true}],\"private_channels\":[]}"u8);
        Assert.Equal("abc", ready.SessionId);
        Assert.Equal(new Uri("wss://gateway-us-east1-b.discord.gg"), ready.ResumeGatewayUrl);
        Assert.Equal([1UL, 2UL], ready.GuildIds);
    }

    [Fact]
    public async Task GuildMemberAdd_PublishesMemberJoined()
    {
        var (sut, events) = CreateSut();
        await sut.OnDispatchAsync(D("GUILD_MEMBER_ADD", """{"guild_id":"5","joined_at":"2026-01-02T03:04:05.000000+00:00","roles":[],"user":{"id":"42","username":"ann","global_name":"Ann","avatar":null}}"""), default);
        await sut.DrainAsync(default);
        var joined = Assert.IsType<MemberJoined>(Assert.Single(events));
        Assert.Equal(5UL, joined.GuildId);
        Assert.Equal((42UL, "ann", "Ann"), (joined.User.Id, joined.User.Username, joined.User.GlobalName));
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), joined.JoinedAt);
    }

    [Fact]
    public async Task Interactions_AreHandledConcurrently()
    {
        var handler = new BarrierHandler(5);
        var (sut, _) = CreateSut(handler);
        for (var i = 0; i < 5; i++)
        {
            await sut.OnDispatchAsync(D("INTERACTION_CREATE", $$"""{"id":"{{i}}","type":2}""", i + 1), default);
        }

        // Each handler waits until all five are running: one-at-a-time handling would never get there.
        await handler.AllRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await sut.DrainAsync(default).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(5, handler.Seen.Count);
    }

    [Fact]
    public async Task EndToEnd_EmulatorGuildsAndInteraction_ReachTheBusAndTheHandler()
    {
        var handler = new BarrierHandler(1);
        var bus = new EventBus(NullLogger<EventBus>.Instance);
        var events = new ConcurrentQueue<object>();
        bus.Subscribe<GuildAvailable>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        bus.Subscribe<GuildJoined>((e, _) => { events.Enqueue(e); return ValueTask.CompletedTask; });
        var publisher = new GatewayEventPublisher(bus, handler);
        await using var h = await GatewayHarness.StartAsync(sink: publisher);
        await h.WaitReadyAsync();
        await h.WaitAsync(() => events.Count(e => e is GuildAvailable) == 2, "two GuildAvailable");

        await h.Emulator.DispatchAsync(0, "GUILD_CREATE", NafflesBotKit.Testing.Discord.DiscordGatewayEmulator.BuildGuild(new(290926798999357250, "Joined Later")));
        await h.Emulator.DispatchAsync(0, "INTERACTION_CREATE", """{"id":"1234","application_id":"1","type":2,"token":"tok","version":1,"data":{"id":"9","name":"ping","type":1}}""");
        await h.WaitAsync(() => events.OfType<GuildJoined>().Any(), "GuildJoined");
        await handler.AllRunning.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(290926798999357250UL, events.OfType<GuildJoined>().Single().Guild.Id);
        Assert.Contains("\"name\":\"ping\"", Encoding.UTF8.GetString(handler.Seen.Single().Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddDiscordGateway_RegistersClientStatusAndHostedService_AndValidatesAtStart()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Gateway:Token"] = "t",
            ["Discord:Gateway:Intents"] = "Guilds, GuildMembers",
            ["Discord:Gateway:ShardCount"] = "4",
            ["Discord:Gateway:ShardIds:0"] = "2",
            ["Discord:Gateway:ShardIds:1"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IEventBus>(new EventBus(NullLogger<EventBus>.Instance));
        services.AddDiscordGateway(config);
        await using var sp = services.BuildServiceProvider();
        Assert.Equal([2, 3], sp.GetRequiredService<IOptions<DiscordGatewayOptions>>().Value.ShardIds);
        Assert.Same(sp.GetRequiredService<DiscordGatewayClient>(), sp.GetRequiredService<IGatewayStatus>());
        Assert.Contains(sp.GetServices<IHostedService>(), s => s is DiscordGatewayService);
        Assert.IsType<GatewayEventPublisher>(sp.GetRequiredService<IGatewayEventSink>());

        var bad = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Discord:Gateway:ShardIds:0"] = "1" }).Build();
        await using var badSp = new ServiceCollection().AddSingleton<IEventBus>(new EventBus(NullLogger<EventBus>.Instance)).AddDiscordGateway(bad).BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(() => badSp.GetRequiredService<IOptions<DiscordGatewayOptions>>().Value);
    }

    [Fact]
    public async Task Host_WithAddDiscordGateway_ConnectsToTheEmulator_AndStopsWith1000()
    {
        var options = new NafflesBotKit.Testing.Discord.DiscordGatewayEmulatorOptions();
        options.Guilds.Add(new NafflesBotKit.Testing.Discord.GatewayGuild(81384788765712384, "Naffles HQ"));
        await using var emulator = new NafflesBotKit.Testing.Discord.DiscordGatewayEmulator(options);
        await emulator.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Gateway:Token"] = options.Token,
            ["Discord:Gateway:ApiBaseUrl"] = emulator.ApiBaseUrl.ToString(),
            ["Discord:Gateway:Intents"] = "Guilds",
        });
        var available = new TaskCompletionSource<GuildAvailable>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bus = new EventBus(NullLogger<EventBus>.Instance);
        bus.Subscribe<GuildAvailable>((e, _) => { available.TrySetResult(e); return ValueTask.CompletedTask; });
        builder.Services.AddSingleton<IEventBus>(bus);
        builder.Services.AddDiscordGateway(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        Assert.Equal(81384788765712384UL, (await available.Task.WaitAsync(TimeSpan.FromSeconds(20))).Guild.Id);
        Assert.Equal(GatewayShardState.Ready, Assert.Single(host.Services.GetRequiredService<IGatewayStatus>().Shards).State);
        await host.StopAsync();
        for (var i = 0; i < 200 && !emulator.Connections[0].Ended; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(1000, emulator.Connections[0].ClientCloseCode);
    }

    [Fact]
    public void AddDiscordGateway_KeepsAnInfoSourceRegisteredByTheRestLayer()
    {
        var services = new ServiceCollection();
        var mine = new FixedInfoSource();
        services.AddSingleton<IGatewayInfoSource>(mine);
        services.AddSingleton<IEventBus>(new EventBus(NullLogger<EventBus>.Instance));
        services.AddDiscordGateway(new ConfigurationBuilder().Build());
        using var sp = services.BuildServiceProvider();
        Assert.Same(mine, sp.GetRequiredService<IGatewayInfoSource>());
    }

    private sealed class FixedInfoSource : IGatewayInfoSource
    {
        public ValueTask<GatewayBotInfo> GetGatewayBotAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult(new GatewayBotInfo(new Uri("wss://gateway.discord.gg"), 1, new SessionStartLimit(1000, 1000, TimeSpan.Zero, 1)));
    }

    private sealed class BarrierHandler(int count) : IGatewayInteractionHandler
    {
        private int _running;

        public TaskCompletionSource AllRunning { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentBag<GatewayDispatch> Seen { get; } = [];

        public async ValueTask HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken)
        {
            Seen.Add(dispatch);
            if (Interlocked.Increment(ref _running) == count)
            {
                AllRunning.TrySetResult();
            }

            await AllRunning.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
    }
}