using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Naffles.Internal;
using NafflesBotKit.Testing.Naffles;
using Polly.CircuitBreaker;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>The seed's breaker: 5 consecutive failures open it, 60 s later half-open, 3 successes close, a failure reopens.</summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private NafflesEmulator _emulator = null!;
    private ClientHost _host = null!;

    public async Task InitializeAsync()
    {
        _emulator = await NafflesEmulator.StartAsync();
        _emulator.AddCommunity("c1", "Alpha");

        // No retries: each call is one attempt, so failures are counted one by one.
        _host = ClientHost.Create(_emulator, new() { ["Naffles:Retry:MaxRetries"] = "0" }, time: _time);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private int Requests => _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count;

    [Fact]
    public async Task FiveConsecutiveFailures_OpenTheCircuit_AndCallsAreRefusedWithoutReachingTheServer()
    {
        await FailAsync(4);
        Assert.Equal(CircuitState.Closed, _host.Breaker.State);
        await FailAsync(1);
        Assert.Equal(CircuitState.Open, _host.Breaker.State);

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("c1"));

        Assert.Equal(NafflesErrorKind.CircuitOpen, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(60), ex.RetryAfter);
        Assert.Equal(5, Requests);
    }

    [Fact]
    public async Task ASuccess_ResetsTheConsecutiveCount()
    {
        await FailAsync(4);
        await _host.Api.Communities.GetCommunityAsync("c1");
        await FailAsync(4);

        Assert.Equal(CircuitState.Closed, _host.Breaker.State);
    }

    [Fact]
    public async Task ClientErrors_DoNotCountAsFailures()
    {
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("missing"));
        }

        Assert.Equal(CircuitState.Closed, _host.Breaker.State);
    }

    [Fact]
    public async Task AfterBreakDuration_HalfOpen_ThreeSuccessesClose()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(CircuitState.Open, _host.Breaker.State);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CircuitState.HalfOpen, _host.Breaker.State);

        await _host.Api.Communities.GetCommunityAsync("c1");
        await _host.Api.Communities.GetCommunityAsync("c1");
        Assert.Equal(CircuitState.HalfOpen, _host.Breaker.State);
        await _host.Api.Communities.GetCommunityAsync("c1");

        Assert.Equal(CircuitState.Closed, _host.Breaker.State);
        Assert.Equal(8, Requests);
    }

    [Fact]
    public async Task FailureInHalfOpen_ReopensForAnotherBreak()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromSeconds(60));
        await _host.Api.Communities.GetCommunityAsync("c1");
        await _host.Api.Communities.GetCommunityAsync("c1");

        await FailAsync(1);

        Assert.Equal(CircuitState.Open, _host.Breaker.State);
        var refused = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("c1"));
        Assert.Equal(NafflesErrorKind.CircuitOpen, refused.Kind);
        _time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(CircuitState.HalfOpen, _host.Breaker.State);
    }

    [Fact]
    public async Task Breaker_IsSharedAcrossApiAreas()
    {
        await FailAsync(5);

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Users.GetUserByDiscordIdAsync("d1"));

        Assert.Equal(NafflesErrorKind.CircuitOpen, ex.Kind);
        Assert.Empty(_emulator.RequestsTo(NafflesEmulatorRoutes.GetUserByDiscordId));
    }

    [Fact]
    public async Task Health_BypassesTheOpenBreaker()
    {
        await FailAsync(5);

        var health = await _host.Api.Health.GetHealthAsync();

        Assert.True(health.IsHealthy);
    }

    [Fact]
    public async Task Transitions_AreLogged_WithoutSecrets()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = ClientHost.Create(_emulator, new() { ["Naffles:Retry:MaxRetries"] = "0" }, time: _time, logs: logs);
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(500, 5));
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<NafflesApiException>(() => host.Api.Communities.GetCommunityAsync("c1"));
        }

        _time.Advance(TimeSpan.FromSeconds(60));
        for (var i = 0; i < 3; i++)
        {
            await host.Api.Communities.GetCommunityAsync("c1");
        }

        var lines = logs.Lines;
        Assert.Contains(lines, l => l.StartsWith("Error: Naffles circuit breaker opened after 5 consecutive failures", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("half-open", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("closed after 3 consecutive successes", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(_emulator.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public void Breaker_Unit_ConsecutiveSemantics()
    {
        var time = new FakeTimeProvider();
        var breaker = new NafflesCircuitBreaker(time, failureThreshold: 2, TimeSpan.FromSeconds(10), successThreshold: 2);

        breaker.OnFailure();
        Assert.True(breaker.TryAcquire(out _));
        breaker.OnFailure();
        Assert.False(breaker.TryAcquire(out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(10), retryAfter);
        time.Advance(TimeSpan.FromSeconds(4));
        Assert.False(breaker.TryAcquire(out retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(6), retryAfter);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(breaker.TryAcquire(out _));
        breaker.OnSuccess();
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        breaker.OnSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    private async Task FailAsync(int times)
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(500, times));
        for (var i = 0; i < times; i++)
        {
            var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("c1"));
            Assert.Equal(NafflesErrorKind.Server, ex.Kind);
        }
    }
}
