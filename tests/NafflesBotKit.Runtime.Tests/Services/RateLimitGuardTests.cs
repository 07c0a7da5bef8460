using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Events;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Events;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Services.RateLimiting;
using NafflesBotKit.Services;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Services;

public sealed class RateLimitGuardTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly EventBus _bus = new(NullLogger<EventBus>.Instance);
    private readonly List<SecurityEvent> _security = [];

    public RateLimitGuardTests() => _bus.Subscribe<SecurityEvent>((e, _) =>
    {
        lock (_security)
        {
            _security.Add(e);
        }

        return ValueTask.CompletedTask;
    });

    [Fact]
    public async Task Buttons_NormalUse_AreNeverBlocked()
    {
        // The v1 bot refused every click: its limiter's result object was read as "limited". Ten clicks a minute,
        // on different buttons, for three minutes, after the user has also used up their command budget.
        var sut = CreateSut();
        for (var i = 0; i < 10; i++)
        {
            await sut.CheckAsync(Command("naffles-status-" + i), CommandRoute("naffles-status-" + i), default);
        }

        for (var minute = 0; minute < 3; minute++)
        {
            for (var click = 0; click < 10; click++)
            {
                var verdict = await sut.CheckAsync(Button($"complete_task_t{click}"), ComponentRoute("complete_task_{taskId}"), default);
                Assert.True(verdict.Allowed, $"click {click} of minute {minute} was refused: {verdict.Reason}");
                _time.Advance(TimeSpan.FromSeconds(6));
            }
        }
    }

    [Fact]
    public async Task Buttons_ManyUsersOfOneGuildClickingAPopularPost_AreNotBlockedByTheGuildTier()
    {
        var sut = CreateSut();
        for (ulong user = 1; user <= 150; user++)
        {
            var click = Button("enter_allowlist_A") with { User = new DiscordUser(user, "u" + user) };
            var verdict = await sut.CheckAsync(click, ComponentRoute("enter_allowlist_{allowlistId}"), default);
            Assert.True(verdict.Allowed, $"user {user} was refused: {verdict.Reason}");
        }

        // Commands of the same guild still have the seed's 100 per minute.
        for (ulong user = 1; user <= 100; user++)
        {
            Assert.True((await sut.CheckAsync(Command("fx") with { User = new DiscordUser(user, "u") }, CommandRoute("fx"), default)).Allowed);
        }

        Assert.Equal("rate-limited:guild", (await sut.CheckAsync(Command("fx") with { User = new DiscordUser(101, "u") }, CommandRoute("fx"), default)).Reason);
    }

    [Fact]
    public async Task Buttons_EleventhClickWithinAMinute_IsRefusedWithTheResetTimestamp()
    {
        var sut = CreateSut();
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await sut.CheckAsync(Button("view_task_1"), ComponentRoute("view_task_{taskId}"), default)).Allowed);
        }

        _time.Advance(TimeSpan.FromSeconds(15));
        var verdict = await sut.CheckAsync(Button("view_task_1"), ComponentRoute("view_task_{taskId}"), default);

        Assert.False(verdict.Allowed);
        Assert.Equal("rate-limited:component", verdict.Reason);
        var reset = DateTimeOffset.Parse("2026-11-25T12:01:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.Contains($"<t:{reset}:R>", verdict.Denial!.Embeds[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowlistEntry_ThreePerFiveMinutesPerAllowlist()
    {
        var sut = CreateSut();
        var route = ComponentRoute("enter_allowlist_{allowlistId}");
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await sut.CheckAsync(Button("enter_allowlist_A"), route, default)).Allowed);
        }

        var fourth = await sut.CheckAsync(Button("enter_allowlist_A"), route, default);
        Assert.False(fourth.Allowed);
        Assert.Equal("rate-limited:tpl", fourth.Reason);
        Assert.True((await sut.CheckAsync(Button("enter_allowlist_B"), route, default)).Allowed);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await sut.CheckAsync(Button("enter_allowlist_A"), route, default)).Allowed);
    }

    [Fact]
    public async Task Commands_PerUserTier_EleventhWithinAMinuteRefused_OtherUsersUnaffected()
    {
        var sut = CreateSut();
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await sut.CheckAsync(Command("fx-" + i), CommandRoute("fx-" + i), default)).Allowed);
        }

        Assert.Equal("rate-limited:user", (await sut.CheckAsync(Command("fx-x"), CommandRoute("fx-x"), default)).Reason);
        var other = Command("fx-x") with { User = new DiscordUser(444, "other") };
        Assert.True((await sut.CheckAsync(other, CommandRoute("fx-x"), default)).Allowed);

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await sut.CheckAsync(Command("fx-x"), CommandRoute("fx-x"), default)).Allowed);
    }

    [Fact]
    public async Task CreateTask_FivePerFiveMinutes_SixthRefusedUntilTheWindowEnds()
    {
        var sut = CreateSut();
        var route = CommandRoute("naffles-create-task");
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await sut.CheckAsync(Command("naffles-create-task"), route, default)).Allowed);
            _time.Advance(TimeSpan.FromSeconds(15)); // past the 10 s cooldown, under the per-user tier
        }

        var sixth = await sut.CheckAsync(Command("naffles-create-task"), route, default);
        Assert.Equal("rate-limited:cmd", sixth.Reason);
        var reset = DateTimeOffset.Parse("2026-11-25T12:05:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        Assert.Contains($"<t:{reset}:R>", sixth.Denial!.Embeds[0].Description, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(225));
        Assert.True((await sut.CheckAsync(Command("naffles-create-task"), route, default)).Allowed);
    }

    [Fact]
    public async Task Cooldown_FromConfigurationOrAttribute_RefusesUntilItElapses()
    {
        var sut = CreateSut();
        var declared = CommandRoute("fx-slow-thing", new CooldownAttribute(30));
        Assert.True((await sut.CheckAsync(Command("fx-slow-thing"), declared, default)).Allowed);
        _time.Advance(TimeSpan.FromSeconds(29));
        var refused = await sut.CheckAsync(Command("fx-slow-thing"), declared, default);
        Assert.Equal("cooldown", refused.Reason);
        Assert.Contains("<t:", refused.Denial!.Embeds[0].Description, StringComparison.Ordinal);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await sut.CheckAsync(Command("fx-slow-thing"), declared, default)).Allowed);

        // naffles-link-community has the existing bot's 30 s cooldown by configuration.
        Assert.True((await sut.CheckAsync(Command("naffles-link-community"), CommandRoute("naffles-link-community"), default)).Allowed);
        Assert.Equal("cooldown", (await sut.CheckAsync(Command("naffles-link-community"), CommandRoute("naffles-link-community"), default)).Reason);
    }

    [Fact]
    public async Task RateLimitAttribute_GuildScope_IsSharedByTheGuildsUsers()
    {
        var sut = CreateSut();
        var route = CommandRoute("fx-announce", new RateLimitAttribute(2, 60) { Scope = RateLimitScope.Guild });
        Assert.True((await sut.CheckAsync(Command("fx-announce"), route, default)).Allowed);
        Assert.True((await sut.CheckAsync(Command("fx-announce") with { User = new DiscordUser(5, "b") }, route, default)).Allowed);

        var third = await sut.CheckAsync(Command("fx-announce") with { User = new DiscordUser(6, "c") }, route, default);

        Assert.Equal("rate-limited:attr", third.Reason);
    }

    [Fact]
    public async Task Violations_MoreThanTenByOneKey_RaiseOneSecurityEvent()
    {
        var sut = CreateSut();
        var route = ComponentRoute("view_task_{taskId}");
        for (var i = 0; i < 10; i++)
        {
            await sut.CheckAsync(Button("view_task_1"), route, default);
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.False((await sut.CheckAsync(Button("view_task_1"), route, default)).Allowed);
        }

        Assert.Empty(_security);
        await sut.CheckAsync(Button("view_task_1"), route, default);
        await sut.CheckAsync(Button("view_task_1"), route, default);

        var alert = Assert.Single(_security);
        Assert.Equal(SecurityEventKind.RateLimitAbuse, alert.Kind);
        Assert.Equal(User.Id, alert.UserId);
        Assert.Equal(11, alert.Count);
        Assert.Equal($"component:{User.Id}", alert.Subject);
    }

    [Fact]
    public async Task LimiterFailure_LetsTheInteractionThrough()
    {
        var sut = new RateLimitGuard(new ThrowingLimiter(), Options.Create(new RateLimitOptions()), _bus, _time, NullLogger<RateLimitGuard>.Instance);

        Assert.True((await sut.CheckAsync(Command("fx"), CommandRoute("fx"), default)).Allowed);
    }

    [Fact]
    public async Task Disabled_AllowsEverything()
    {
        var sut = CreateSut(new RateLimitOptions { Enabled = false, PerUser = new LimitSpec(1, 60) });
        for (var i = 0; i < 5; i++)
        {
            Assert.True((await sut.CheckAsync(Command("fx"), CommandRoute("fx"), default)).Allowed);
        }
    }

    [Fact]
    public void Options_Invalid_FailValidation()
    {
        var options = new RateLimitOptions { PerUser = new LimitSpec(0, 60) };
        options.Cooldowns["x"] = -1;

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Equal(2, errors.Count);
    }

    internal static RouteInfo CommandRoute(string name, params Attribute[] attributes) => new("test.plugin", RouteKind.Command, name, typeof(object), attributes);

    internal static RouteInfo ComponentRoute(string template, params Attribute[] attributes) => new("test.plugin", RouteKind.Component, template, typeof(object), attributes);

    private RateLimitGuard CreateSut(RateLimitOptions? options = null) =>
        new(new MemoryRateLimiter(_time), Options.Create(options ?? new RateLimitOptions()), _bus, _time, NullLogger<RateLimitGuard>.Instance);

    private sealed class ThrowingLimiter : IRateLimiter
    {
        public ValueTask<RateLimitDecision> TryAcquireAsync(IReadOnlyList<RateLimitRule> rules, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("redis down");
    }
}
