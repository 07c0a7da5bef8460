using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>The random source of retry jitter; replaced in tests to make delays exact.</summary>
internal sealed class NafflesJitter(Func<double> nextDouble)
{
    public static NafflesJitter Random { get; } = new(System.Random.Shared.NextDouble);

    public double Next() => nextDouble();
}

/// <summary>
/// The resilience pipeline (outer to inner): retry, circuit breaker, attempt timeout. Numbers are the
/// seed's: 3 retries at 1 s, 2 s, 4 s plus up to 1 s jitter, at least the server's Retry-After;
/// 10 s per attempt; 5 consecutive failures open the breaker for 60 s; 3 successes close it.
/// </summary>
internal static class NafflesResilience
{
    /// <summary>Statuses worth retrying (seed: <c>retryableStatusCodes = [429, 500, 502, 503, 504]</c>).</summary>
    public static bool IsRetryableStatus(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>Network errors and attempt timeouts (seed: ECONNRESET, ECONNREFUSED, ETIMEDOUT, ...).</summary>
    public static bool IsTransientException(Exception? exception) =>
        exception is HttpRequestException or TimeoutRejectedException;

    /// <summary>What counts against the breaker: the backend failing, not the caller being wrong or throttled.</summary>
    public static bool IsBackendFailure(Outcome<HttpResponseMessage> outcome) =>
        IsTransientException(outcome.Exception)
        || (outcome.Result is { } response && (int)response.StatusCode >= 500);

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        NafflesApiOptions options,
        TimeProvider timeProvider,
        NafflesCircuitBreaker? breaker,
        NafflesJitter jitter,
        ILogger logger)
    {
        builder.TimeProvider = timeProvider;
        if (breaker is not null && options.Retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = options.Retry.MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(RetryDelay(args.AttemptNumber, args.Outcome, options, timeProvider, jitter)),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var outcome = args.Outcome.Exception?.GetType().Name ?? $"HTTP {(int)args.Outcome.Result!.StatusCode}";
                    Log.Retrying(logger, request?.Method.Method ?? "?", request?.RequestUri?.AbsolutePath ?? "?", args.AttemptNumber + 1, outcome, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            });
        }

        if (breaker is not null)
        {
            builder.AddStrategy(_ => new NafflesCircuitBreakerStrategy(breaker), new EmptyOptions());
        }

        builder.AddTimeout(options.AttemptTimeout);
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, NafflesApiOptions options, TimeProvider timeProvider)
    {
        if (outcome.Exception is not null)
        {
            return IsTransientException(outcome.Exception);
        }

        var response = outcome.Result!;
        if (!IsRetryableStatus(response.StatusCode))
        {
            return false;
        }

        // A server asking for a long pause gets it: fail now as rate limited rather than hold the user.
        var retryAfter = NafflesErrorClassifier.RetryAfter(response, timeProvider.GetUtcNow());
        return retryAfter is null || retryAfter <= options.Retry.MaxRetryAfter;
    }

    /// <summary>Seed <c>calculateRetryDelay</c>: <c>max(retryAfter, base * 2^(attempt-1)) + jitter</c>.</summary>
    public static TimeSpan RetryDelay(int attemptNumber, Outcome<HttpResponseMessage> outcome, NafflesApiOptions options, TimeProvider timeProvider, NafflesJitter jitter)
    {
        var exponential = options.Retry.BaseDelay * Math.Pow(2, attemptNumber);
        var retryAfter = outcome.Result is { } response ? NafflesErrorClassifier.RetryAfter(response, timeProvider.GetUtcNow()) : null;
        var delay = retryAfter is { } ra && ra > exponential ? ra : exponential;
        return delay + (options.Retry.MaxJitter * jitter.Next());
    }

    private sealed class EmptyOptions : ResilienceStrategyOptions;
}
