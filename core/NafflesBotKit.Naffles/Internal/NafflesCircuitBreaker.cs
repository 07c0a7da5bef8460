using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>
/// The seed's circuit breaker, faithfully: it opens after N <em>consecutive</em> failed attempts, stays
/// open for the break duration, then lets calls through half-open; M consecutive successes close it and
/// any failure reopens it. One instance guards the whole Naffles backend (all typed clients share it).
/// Polly's own breaker is ratio-based over a sampling window, which is not the same contract.
/// </summary>
internal sealed class NafflesCircuitBreaker(TimeProvider timeProvider, int failureThreshold, TimeSpan breakDuration, int successThreshold, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly Lock _gate = new();
    private CircuitState _state = CircuitState.Closed;
    private int _consecutiveFailures;
    private int _halfOpenSuccesses;
    private DateTimeOffset _openedAt;

    public CircuitState State
    {
        get
        {
            lock (_gate)
            {
                return Current();
            }
        }
    }

    /// <summary>Whether a call may proceed; when not, how long until the circuit goes half-open.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            if (Current() == CircuitState.Open)
            {
                retryAfter = _openedAt + breakDuration - timeProvider.GetUtcNow();
                return false;
            }

            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    public void OnSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            if (Current() == CircuitState.HalfOpen && ++_halfOpenSuccesses >= successThreshold)
            {
                _state = CircuitState.Closed;
                Log.CircuitClosed(_logger, _halfOpenSuccesses);
            }
        }
    }

    public void OnFailure()
    {
        lock (_gate)
        {
            var state = Current();
            _consecutiveFailures++;
            if (state == CircuitState.HalfOpen || (state == CircuitState.Closed && _consecutiveFailures >= failureThreshold))
            {
                _state = CircuitState.Open;
                _openedAt = timeProvider.GetUtcNow();
                Log.CircuitOpened(_logger, _consecutiveFailures, breakDuration);
            }
        }
    }

    private CircuitState Current()
    {
        if (_state == CircuitState.Open && timeProvider.GetUtcNow() - _openedAt >= breakDuration)
        {
            _state = CircuitState.HalfOpen;
            _halfOpenSuccesses = 0;
            Log.CircuitHalfOpen(_logger);
        }

        return _state;
    }
}

/// <summary>Runs each attempt through <see cref="NafflesCircuitBreaker"/> inside the Polly pipeline.</summary>
internal sealed class NafflesCircuitBreakerStrategy(NafflesCircuitBreaker breaker) : ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
        ResilienceContext context,
        TState state)
    {
        if (!breaker.TryAcquire(out var retryAfter))
        {
            return Outcome.FromException<HttpResponseMessage>(
                new BrokenCircuitException("The Naffles circuit breaker is open.", retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.Zero));
        }

        var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        if (outcome.Exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
        {
            return outcome; // the caller gave up: says nothing about the backend
        }

        if (NafflesResilience.IsBackendFailure(outcome))
        {
            breaker.OnFailure();
        }
        else
        {
            breaker.OnSuccess();
        }

        return outcome;
    }
}
