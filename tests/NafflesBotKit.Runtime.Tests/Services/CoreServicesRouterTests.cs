using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Services.Permissions;
using NafflesBotKit.Runtime.Services.RateLimiting;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Runtime.Tests.Services.Fixture;
using NafflesBotKit.Runtime.Tests.Support;
using NafflesBotKit.Services;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Services;

/// <summary>Permissions and rate limits as the router runs them: the real guards, registered by AddNafflesBotServices.</summary>
public sealed class CoreServicesRouterTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly FakeRoles _roles = new();
    private readonly List<SecurityEvent> _security = [];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nbk-router-" + Guid.NewGuid().ToString("N"));
    private RecordingResponder _responder = new();
    private RuntimeHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Path"] = Path.Combine(_folder, "bot.db") })
            .Build();
        _harness = new RuntimeHarness(time: _time, configure: s =>
        {
            s.AddSingleton<ICommunityRoleSource>(_roles);
            s.AddNafflesBotServices(configuration);
        });
        _harness.Bus.Subscribe<SecurityEvent>((e, _) =>
        {
            lock (_security)
            {
                _security.Add(e);
            }

            return ValueTask.CompletedTask;
        });
        foreach (var hosted in _harness.Services.GetServices<IHostedService>().OfType<NafflesBotKit.Runtime.Services.GuildDataService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        Assert.NotNull(await _harness.Plugins.AddInProcessAsync(new ServicesFixturePlugin(), CancellationToken.None));
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Guards_AreRegisteredInOrder_PermissionsThenRateLimits()
    {
        var guards = _harness.Services.GetServices<IInteractionGuard>().OrderBy(g => g.Order).ToList();

        // Observation first (it never denies: activity monitors see denied interactions too), then the per-guild plugin
        // switch: a plugin that is off in a guild answers "not enabled here".
        Assert.IsType<InteractionObservationGuard>(guards[0]);
        Assert.IsType<NafflesBotKit.Runtime.Plugins.GuildPluginGuard>(guards[1]);
        Assert.Equal(50, guards[1].Order);
        Assert.IsType<PermissionGuard>(guards[2]);
        Assert.Equal(100, guards[2].Order);
        Assert.IsType<RateLimitGuard>(guards[3]);
        Assert.Equal(200, guards[3].Order);
    }

    [Fact]
    public async Task Command_MemberWithoutManageServer_IsRefusedEphemerallyNamingIt_AndCounted()
    {
        var outcome = await Dispatch(Command("naffles-create-task", permissions: Permissions.SendMessages));

        Assert.Equal(DispatchOutcome.Denied, outcome);
        var embed = AssertEphemeralError();
        Assert.Equal("❌ Missing permissions", embed.Title);
        Assert.Contains("**Manage Server**", embed.Description, StringComparison.Ordinal);
        var denial = Assert.Single(_security);
        Assert.Equal(SecurityEventKind.PermissionDenied, denial.Kind);
        Assert.Equal("naffles-create-task", denial.Subject);
        Assert.Equal(User.Id, denial.UserId);
    }

    [Theory]
    [InlineData(Permissions.ManageGuild)]
    [InlineData(Permissions.Administrator)]
    public async Task Command_MemberWithManageServerOrAdministrator_IsHandled(Permissions permissions)
    {
        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("naffles-create-task", permissions: permissions)));
        Assert.Equal("created", _responder.Single().Message!.Content);
    }

    [Fact]
    public async Task Command_GuildOwnerWithoutPermissions_IsHandled()
    {
        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-manage")));

        await _harness.Bus.PublishAsync(new GuildAvailable(new DiscordGuild(GuildId, "Naffles", User.Id)));

        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("fx-manage")));
    }

    [Fact]
    public async Task Command_OwnerOfAnotherGuild_IsNotExempt()
    {
        await _harness.Bus.PublishAsync(new GuildJoined(new DiscordGuild(GuildId, "Naffles", 999)));

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-manage")));
    }

    [Fact]
    public async Task Command_SeveralPermissionsMissing_NamesOnlyTheMissingOnes()
    {
        await Dispatch(Command("fx-manage", permissions: Permissions.ManageMessages));
        Assert.Contains("**Manage Server**", AssertEphemeralError().Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Manage Messages", AssertEphemeralError().Description, StringComparison.Ordinal);

        _responder = new RecordingResponder();
        await Dispatch(Command("fx-manage"));
        Assert.Contains("**Manage Server**, **Manage Messages**", AssertEphemeralError().Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Override_OfACustomizableCommand_ReplacesItsRequirement_UntilCleared()
    {
        var overrides = _harness.Services.GetRequiredService<IPermissionOverrides>();
        await overrides.SetAsync(GuildId, "naffles-create-task", Permissions.SendMessages);

        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("naffles-create-task", permissions: Permissions.SendMessages)));
        Assert.Equal(new Dictionary<string, Permissions> { ["naffles-create-task"] = Permissions.SendMessages }, await overrides.ListAsync(GuildId));

        Assert.True(await overrides.ClearAsync(GuildId, "naffles-create-task"));
        _time.Advance(TimeSpan.FromSeconds(30)); // past the command's cooldown
        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("naffles-create-task", permissions: Permissions.SendMessages)));
    }

    [Fact]
    public async Task Override_ToNone_LetsEveryoneUseTheCommand()
    {
        await _harness.Services.GetRequiredService<IPermissionOverrides>().SetAsync(GuildId, "naffles-create-task", Permissions.None);

        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("naffles-create-task")));
    }

    [Fact]
    public async Task Override_OfANonCustomizableCommand_IsIgnored()
    {
        await _harness.Services.GetRequiredService<IPermissionOverrides>().SetAsync(GuildId, "fx-manage", Permissions.None);

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-manage")));
    }

    [Fact]
    public async Task CommunityRole_AtOrAboveTheRequiredOne_IsHandled()
    {
        _roles.Role = CommunityRole.Manager;

        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("fx-moderate")));
    }

    [Fact]
    public async Task CommunityRole_BelowTheRequiredOne_IsRefusedNamingBoth()
    {
        _roles.Role = CommunityRole.Member;

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-moderate", permissions: Permissions.Administrator)));
        var text = AssertEphemeralError().Description;
        Assert.Contains("**Moderator**", text, StringComparison.Ordinal);
        Assert.Contains("you are **Member**", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommunityRole_NotAMember_IsRefused()
    {
        _roles.Role = null;

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-moderate")));
        Assert.Contains("not a member", AssertEphemeralError().Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommunityRole_LookupFails_IsRefusedAsUnverifiable()
    {
        _roles.Fail = true;

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-moderate")));
        Assert.Equal("❌ Unable to verify permissions", AssertEphemeralError().Title);
    }

    [Fact]
    public async Task CommunityRole_IsCachedFiveMinutesPerGuildAndUser()
    {
        _roles.Role = CommunityRole.Moderator;
        await Dispatch(Command("fx-moderate"));
        _roles.Role = CommunityRole.Member;
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("fx-moderate")));
        Assert.Equal(1, _roles.Calls);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Command("fx-moderate")));
        Assert.Equal(2, _roles.Calls);
    }

    [Fact]
    public async Task Buttons_TenClicksAMinute_AreAllHandled_TheEleventhIsRefusedWithTheRetryTime()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(DispatchOutcome.Handled, await Dispatch(Button($"complete_task_{i}")));
        }

        _time.Advance(TimeSpan.FromSeconds(30));
        _responder = new RecordingResponder();
        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Button("task:complete:x")));
        var reset = _time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds();
        Assert.Contains($"<t:{reset}:R>", AssertEphemeralError().Description, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Button("task:complete:x")));
    }

    [Fact]
    public async Task AllowlistEntry_FourthAttemptInFiveMinutes_IsRefused_OtherAllowlistsNot()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DispatchOutcome.Handled, await Dispatch(Button("enter_allowlist_a1")));
        }

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(Button("enter_allowlist_a1")));
        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Button("enter_allowlist_a2")));
    }

    [Fact]
    public async Task PluginStore_GivenToAPlugin_IsScopedToItsId()
    {
        Assert.Equal(DispatchOutcome.Handled, await Dispatch(Command("fx-remember")));
        Assert.Equal("store:" + ServicesFixturePlugin.Id, _responder.Single().Message!.Content);

        var stores = _harness.Services.GetRequiredService<PluginStoreFactory>();
        Assert.Equal("tester", await stores.For(ServicesFixturePlugin.Id).ForGuild(GuildId).GetAsync("last-user", TestJsonContext.Default.String));
        Assert.Null(await stores.For("another.plugin").ForGuild(GuildId).GetAsync("last-user", TestJsonContext.Default.String));
    }

    [Fact]
    public async Task GuildLeft_DeletesEverythingStoredForTheGuild()
    {
        await Dispatch(Command("fx-remember"));
        var store = _harness.Services.GetRequiredService<PluginStoreFactory>().For(ServicesFixturePlugin.Id).ForGuild(GuildId);
        Assert.NotNull(await store.GetAsync("last-user", TestJsonContext.Default.String));

        await _harness.Bus.PublishAsync(new GuildLeft(GuildId));

        Assert.Null(await store.GetAsync("last-user", TestJsonContext.Default.String));
    }

    [Fact]
    public async Task Dm_CommandWithARequirement_IsRefused()
    {
        var dm = Command("fx-manage", permissions: Permissions.Administrator) with { GuildId = null, Member = null };

        Assert.Equal(DispatchOutcome.Denied, await Dispatch(dm));
    }

    private ValueTask<DispatchOutcome> Dispatch(Interaction interaction) => _harness.Router.DispatchAsync(interaction, _responder, CancellationToken.None);

    private Embed AssertEphemeralError()
    {
        var sent = Assert.Single(_responder.Sent);
        Assert.True(sent.Message!.Flags.HasFlag(MessageFlags.Ephemeral));
        return Assert.Single(sent.Message.Embeds);
    }

    private sealed class FakeRoles : ICommunityRoleSource
    {
        public CommunityRole? Role { get; set; }

        public bool Fail { get; set; }

        public int Calls { get; private set; }

        public ValueTask<CommunityRole?> GetRoleAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
        {
            Calls++;
            return Fail ? throw new HttpRequestException("naffles down") : ValueTask.FromResult(Role);
        }
    }
}

public sealed class AddNafflesBotServicesTests
{
    [Fact]
    public void WithoutRedis_UsesSqliteAndMemory()
    {
        using var services = Build([]);

        Assert.IsType<SqliteKeyValueBackend>(services.GetRequiredService<IKeyValueBackend>());
        Assert.IsType<MemoryRateLimiter>(services.GetRequiredService<IRateLimiter>());
    }

    [Fact]
    public void WithRedisConfigured_UsesRedisForStoreLimitsAndSecondLevel()
    {
        using var services = Build(new() { ["Redis:Configuration"] = "127.0.0.1:1" });

        Assert.IsType<RedisKeyValueBackend>(services.GetRequiredService<IKeyValueBackend>());
        Assert.IsType<RedisRateLimiter>(services.GetRequiredService<IRateLimiter>());
        Assert.IsType<NafflesBotKit.Runtime.Services.Caching.RedisDistributedCache>(services.GetRequiredService<Microsoft.Extensions.Caching.Distributed.IDistributedCache>());
    }

    [Fact]
    public void InvalidOptions_FailValidation()
    {
        using var services = Build(new() { ["RateLimits:PerUser:Permits"] = "0", ["Cache:Kinds:Tasks:MaxEntries"] = "0" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<RateLimitOptions>>().Value);
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NafflesBotKit.Runtime.Services.Caching.CacheOptions>>().Value);
    }

    [Fact]
    public void Configuration_OverridesTheSeedDefaults()
    {
        using var services = Build(new() { ["RateLimits:Commands:naffles-create-task:Permits"] = "7", ["RateLimits:Commands:naffles-create-task:Seconds"] = "60", ["RateLimits:Cooldowns:naffles-help"] = "0" });
        var options = services.GetRequiredService<IOptions<RateLimitOptions>>().Value;

        Assert.Equal(7, options.Commands["naffles-create-task"].Permits);
        Assert.Equal(3, options.Commands["naffles-connect-allowlist"].Permits);
        Assert.Equal(0, options.Cooldowns["naffles-help"]);
        Assert.Equal(1000, options.Global.Permits);
    }

    [Fact]
    public void SdkServices_AreExportedToPlugins()
    {
        var collection = new ServiceCollection();
        collection.AddNafflesBotServices(new ConfigurationBuilder().Build());
        var exported = collection.Where(d => d.ImplementationInstance is NafflesBotKit.Runtime.Plugins.PluginServiceExport).Select(d => ((NafflesBotKit.Runtime.Plugins.PluginServiceExport)d.ImplementationInstance!).ServiceType).ToList();

        Assert.Equal(new[] { typeof(IPluginStore), typeof(IRateLimiter), typeof(IBotCache), typeof(IPermissionOverrides), typeof(NafflesBotKit.Plugins.IPluginAdministration) }.OrderBy(t => t.Name), exported.OrderBy(t => t.Name));
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var collection = new ServiceCollection();
        collection.AddNafflesBotServices(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return collection.BuildServiceProvider();
    }
}
