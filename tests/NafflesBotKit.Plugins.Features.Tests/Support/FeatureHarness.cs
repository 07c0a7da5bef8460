using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Naffles;
using NafflesBotKit.Runtime.Events;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Plugins.Features.Tests.Support;

/// <summary>
/// The real runtime (router, guards, store, event bus) and the real Naffles client against a real
/// <see cref="NafflesEmulator"/> over loopback HTTP; Discord REST is a <see cref="FakeDiscordClient"/>.
/// </summary>
public sealed class FeatureHarness : IAsyncDisposable
{
    public const string CommunityId = "c1";

    private readonly ServiceProvider _services;
    private readonly string _dataDir;

    private FeatureHarness(ServiceProvider services, NafflesEmulator naffles, FakeTimeProvider time, string dataDir, FakeDiscordClient discord)
    {
        Discord = discord;
        _services = services;
        Naffles = naffles;
        Time = time;
        _dataDir = dataDir;
    }

    public NafflesEmulator Naffles { get; }

    public FakeTimeProvider Time { get; }

    public FakeDiscordClient Discord { get; }

    public IServiceProvider Services => _services;

    public PluginManager Plugins => _services.GetRequiredService<PluginManager>();

    public InteractionRouter Router => _services.GetRequiredService<InteractionRouter>();

    public EventBus Bus => _services.GetRequiredService<EventBus>();

    /// <summary>Where the plugin projects lay themselves out after build (one folder per plugin, as a host loads them).</summary>
    public static string BotPluginsDir { get; } = typeof(FeatureHarness).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "BotPluginsDir").Value!;

    public static async Task<FeatureHarness> StartAsync(IEnumerable<BotPlugin> plugins, IDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        var naffles = await NafflesEmulator.StartAsync(new NafflesEmulatorOptions { TimeProvider = time });
        var dataDir = Path.Combine(Path.GetTempPath(), "nbk-features-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var values = new Dictionary<string, string?>
        {
            ["Plugins:Path"] = Path.Combine(dataDir, "plugins"),
            ["Plugins:DrainTimeout"] = "00:00:05",
            ["Storage:Path"] = Path.Combine(dataDir, "store.db"),
            ["Storage:Shares:naffles.communities:0"] = "naffles.social-tasks",
            ["Storage:Shares:naffles.communities:1"] = "naffles.allowlists",
            ["RateLimits:Enabled"] = "false",
            ["Naffles:BaseUrl"] = naffles.BaseUrl.ToString(),
            ["Naffles:ApiKey"] = naffles.ApiKey,
            ["Naffles:Retry:MaxRetries"] = "0",
            ["Naffles:CircuitBreaker:FailureThreshold"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddNafflesBotRuntime(configuration);
        services.AddNafflesBotServices(configuration);
        services.AddNafflesApi(configuration);
        services.AddPluginExport<INafflesApi>();
        var discord = new FakeDiscordClient();
        services.AddSingleton<IDiscordClient>(discord);
        services.AddPluginExport<IDiscordClient>();
        var harness = new FeatureHarness(services.BuildServiceProvider(), naffles, time, dataDir, discord);
        return await harness.InitAsync(plugins);
    }

    private async Task<FeatureHarness> InitAsync(IEnumerable<BotPlugin> plugins)
    {
        foreach (var plugin in plugins)
        {
            Assert.NotNull(await Plugins.AddInProcessAsync(plugin, CancellationToken.None));
        }

        return this;
    }

    /// <summary>Seeds a community, links the guild to it as the Communities plugin would, and seeds the admin as owner.</summary>
    public async Task SeedLinkedCommunityAsync(ulong guildId = TestInteractions.GuildId)
    {
        Naffles.AddCommunity(CommunityId, "Alpha Community");
        Naffles.AddUser("u-admin", "admin", TestInteractions.AdminId.ToString(CultureInfo.InvariantCulture), "0xadmin");
        Naffles.AddMembership(CommunityId, "u-admin", CommunityRoles.Owner);
        await LinkGuildAsync(guildId, CommunityId);
    }

    public async Task LinkGuildAsync(ulong guildId, string communityId) =>
        await _services.GetRequiredService<PluginStoreFactory>().For(GuildCommunityLinks.OwnerPluginId).ForGuild(guildId)
            .SetAsync(GuildCommunityLinks.Key, new GuildCommunityLink(communityId, "Alpha Community", TestInteractions.AdminId, Time.GetUtcNow()), GuildCommunityLinks.TypeInfo);

    public string SeedLinkedUser(DiscordUser user, string? wallet = null)
    {
        var id = "u-" + user.Id.ToString(CultureInfo.InvariantCulture);
        Naffles.AddUser(id, user.Username, user.Id.ToString(CultureInfo.InvariantCulture), wallet ?? "0x" + user.Id.ToString("x", CultureInfo.InvariantCulture));
        Naffles.AddMembership(CommunityId, id);
        return id;
    }

    public async Task<RecordingResponder> DispatchAsync(Interaction interaction)
    {
        var responder = new RecordingResponder();
        await Router.DispatchAsync(interaction, responder, CancellationToken.None);
        return responder;
    }

    public T Plugin<T>(string pluginId)
        where T : class =>
        Plugins.Loaded.Single(p => p.Manifest.Id == pluginId).Services!.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await Plugins.UnloadAllAsync(CancellationToken.None);
        await _services.DisposeAsync();
        await Naffles.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
