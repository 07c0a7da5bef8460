using Polly.CircuitBreaker;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>Retry counts, delays, Retry-After and attempt timeouts on fake time, over real HTTP.</summary>
public sealed class ResilienceTests : IAsyncLifetime
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);
    private readonly SignalingFakeTimeProvider _time = new();
    private NafflesEmulator _emulator = null!;
    private ClientHost _host = null!;

    public async Task InitializeAsync()
    {
        _emulator = await NafflesEmulator.StartAsync();
        _emulator.AddCommunity("c1", "Alpha");
        _emulator.AddAllowlist("a1", "c1", "Genesis");
        _host = ClientHost.Create(_emulator, time: _time, jitter: 0.25);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public async Task TransientStatus_RetriedThreeTimes_WithExponentialDelaysPlusJitter(int status)
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(status, times: 3));

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            var delay = await _time.NextDelayAsync(AttemptTimeout);
            delays.Add(delay);
            _time.Advance(delay);
        }

        var community = await call;

        Assert.Equal("c1", community.Id);
        Assert.Equal([TimeSpan.FromSeconds(1.25), TimeSpan.FromSeconds(2.25), TimeSpan.FromSeconds(4.25)], delays);
        Assert.Equal(4, _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count);
    }

    [Fact]
    public async Task Retries_AreLogged_WithPathAndDelay()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = ClientHost.Create(_emulator, time: _time, logs: logs);
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(502));

        var call = host.Api.Communities.GetCommunityAsync("c1");
        _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        await call;

        Assert.Equal("Warning: Naffles GET /api/communities/c1 attempt 1 failed (HTTP 502); retrying in 00:00:01", Assert.Single(logs.Lines, l => l.Contains("Naffles GET", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(_emulator.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersistentServerError_GivesUpAfterThreeRetries_AsServerKind()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(503, times: 10));

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        }

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => call);

        Assert.Equal(NafflesErrorKind.Server, ex.Kind);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Equal(4, _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(409)]
    [InlineData(422)]
    [InlineData(501)]
    public async Task NonTransientStatus_NotRetried(int status)
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Status(status));

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("c1"));

        Assert.Equal(status, (int)ex.StatusCode!);
        Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity));
    }

    [Fact]
    public async Task RetryAfter_LongerThanBackoff_IsHonoured()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.RateLimited(TimeSpan.FromSeconds(7)));

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        var delay = await _time.NextDelayAsync(AttemptTimeout);
        _time.Advance(delay);
        await call;

        Assert.Equal(TimeSpan.FromSeconds(7.25), delay); // max(7 s, 1 s) + jitter, as the seed's calculateRetryDelay
    }

    [Fact]
    public async Task RetryAfter_BeyondMaximum_FailsAtOnceAsRateLimited()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.RateLimited(TimeSpan.FromSeconds(120)));

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Communities.GetCommunityAsync("c1"));

        Assert.Equal(NafflesErrorKind.RateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromSeconds(120), ex.RetryAfter);
        Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity));
    }

    [Fact]
    public async Task DroppedConnection_IsRetried_AndPersistentDropsSurfaceAsNetwork()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Drop(times: 4));

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        for (var i = 0; i < 3; i++)
        {
            _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        }

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => call);

        Assert.Equal(NafflesErrorKind.Network, ex.Kind);
        Assert.Null(ex.StatusCode);
        Assert.Equal(4, _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count);
    }

    [Fact]
    public async Task HungAttempt_TimesOutAfterTenSeconds_ThenRetrySucceeds()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Hang());

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        await Wait.UntilAsync(() => _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count == 1, "the first attempt reaches the server");
        _time.Advance(TimeSpan.FromSeconds(9.9));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        _time.Advance(await _time.NextDelayAsync(AttemptTimeout));

        var community = await call;

        Assert.Equal("c1", community.Id);
        Assert.Equal(2, _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count);
        var timedOut = _host.Log.GetEntries()[0];
        Assert.Null(timedOut.Status);
        Assert.True(timedOut.HasError);
        Assert.Equal(10_000, timedOut.DurationMs); // fake time: exactly the attempt timeout
    }

    [Fact]
    public async Task HungAttempts_Exhausted_SurfaceAsTimeout()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Hang(times: 4));

        var call = _host.Api.Communities.GetCommunityAsync("c1");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await Wait.UntilAsync(() => _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count == attempt, $"attempt {attempt} reaches the server");
            _time.Advance(AttemptTimeout);
            if (attempt < 4)
            {
                _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
            }
        }

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => call);
        Assert.Equal(NafflesErrorKind.Timeout, ex.Kind);
    }

    [Fact]
    public async Task RetriedPost_ConnectionDroppedAfterServerStored_RecordsExactlyOneEntry()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.EnterAllowlist, NafflesFault.DropAfterProcessing(times: 2));

        var call = _host.Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });
        _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        var result = await call;

        var attempts = _emulator.RequestsTo(NafflesEmulatorRoutes.EnterAllowlist);
        Assert.Equal(3, attempts.Count);
        Assert.Single(attempts.Select(a => a.Headers["Idempotency-Key"]).Distinct());
        Assert.Single(_emulator.GetStoredEntries("a1"));
        Assert.False(result.AlreadyEntered); // the replayed first result, not a duplicate-entry conflict
        Assert.Equal(_emulator.GetStoredEntries("a1")[0]["id"]!.GetValue<string>(), result.Entry.Id);
    }

    [Fact]
    public async Task RetriedCompletion_ConnectionDroppedAfterServerStored_RecordsExactlyOneCompletion()
    {
        _emulator.AddSocialTask("t1", "c1", "Follow");
        _emulator.Faults.Add(NafflesEmulatorRoutes.CompleteTask, NafflesFault.DropAfterProcessing());

        var call = _host.Api.SocialTasks.CompleteTaskAsync("t1", "u1");
        _time.Advance(await _time.NextDelayAsync(AttemptTimeout));
        var completion = await call;

        Assert.Equal(2, _emulator.RequestsTo(NafflesEmulatorRoutes.CompleteTask).Count);
        Assert.Equal(completion.Id, Assert.Single(_emulator.GetStoredCompletions("t1"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SeparateLogicalCalls_UseDifferentIdempotencyKeys()
    {
        await _host.Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u1" });
        await _host.Api.Allowlists.EnterAllowlistAsync("a1", new AllowlistEntryRequest { UserId = "u2" });

        var keys = _emulator.RequestsTo(NafflesEmulatorRoutes.EnterAllowlist).Select(r => r.Headers["Idempotency-Key"]).ToList();
        Assert.Equal(2, keys.Distinct().Count());
        Assert.Equal(2, _emulator.GetStoredEntries("a1").Count);
    }

    [Fact]
    public async Task Health_IsNotRetried()
    {
        _emulator.Faults.Add(NafflesEmulatorRoutes.Health, NafflesFault.Status(503));

        var ex = await Assert.ThrowsAsync<NafflesApiException>(() => _host.Api.Health.GetHealthAsync());

        Assert.Equal(NafflesErrorKind.Server, ex.Kind);
        Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.Health));
    }

    [Fact]
    public async Task CallerCancellation_IsNotClassified()
    {
        // A breaker that opens on the first counted failure: a cancellation must not count.
        await using var host = ClientHost.Create(_emulator, new() { ["Naffles:CircuitBreaker:FailureThreshold"] = "1" }, time: _time);
        _emulator.Faults.Add(NafflesEmulatorRoutes.GetCommunity, NafflesFault.Hang());
        using var cts = new CancellationTokenSource();

        var call = host.Api.Communities.GetCommunityAsync("c1", cts.Token);
        await Wait.UntilAsync(() => _emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity).Count == 1, "the attempt reaches the server");
        await cts.CancelAsync();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal(CircuitState.Closed, host.Breaker.State);
        Assert.Single(_emulator.RequestsTo(NafflesEmulatorRoutes.GetCommunity)); // not retried
    }
}
