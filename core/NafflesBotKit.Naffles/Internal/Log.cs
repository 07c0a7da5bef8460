using Microsoft.Extensions.Logging;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>Source-generated log messages. Paths only: never headers, bodies or query strings.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Naffles {Method} {Path} attempt {Attempt} failed ({Outcome}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string path, int attempt, string outcome, TimeSpan delay);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Naffles circuit breaker opened after {Failures} consecutive failures; calls are refused for {BreakDuration}")]
    public static partial void CircuitOpened(ILogger logger, int failures, TimeSpan breakDuration);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Naffles circuit breaker is half-open: letting calls through to test the backend")]
    public static partial void CircuitHalfOpen(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Naffles circuit breaker closed after {Successes} consecutive successes")]
    public static partial void CircuitClosed(ILogger logger, int successes);
}
