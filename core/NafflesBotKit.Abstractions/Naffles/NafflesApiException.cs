using System.Net;

namespace NafflesBotKit.Naffles;

/// <summary>What kind of failure a Naffles call met; plugins map the kind to a user message.</summary>
public enum NafflesErrorKind
{
    /// <summary>Anything not classified below (e.g. an unexpected 4xx or an unreadable body).</summary>
    Unknown = 0,

    /// <summary>401: the API key was missing or rejected.</summary>
    Authentication,

    /// <summary>403: the key (or user) may not do this.</summary>
    Permission,

    /// <summary>404: the resource does not exist.</summary>
    NotFound,

    /// <summary>400 or 422: the request was invalid; see <see cref="NafflesApiException.FieldErrors"/>.</summary>
    Validation,

    /// <summary>409: the request conflicts with the resource's state (e.g. an allowlist is full or closed).</summary>
    Conflict,

    /// <summary>429: too many requests; see <see cref="NafflesApiException.RetryAfter"/>. Raised after retries are exhausted.</summary>
    RateLimited,

    /// <summary>5xx: the platform failed. Raised after retries are exhausted.</summary>
    Server,

    /// <summary>The connection failed or was dropped. Raised after retries are exhausted.</summary>
    Network,

    /// <summary>An attempt exceeded its timeout. Raised after retries are exhausted.</summary>
    Timeout,

    /// <summary>The circuit breaker is open: recent calls failed, so calls are refused for a while without reaching the platform.</summary>
    CircuitOpen,
}

/// <summary>One invalid field reported by the platform.</summary>
/// <param name="Field">The field name or path.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record NafflesFieldError(string Field, string Message);

/// <summary>The single exception type for failed Naffles calls.</summary>
public sealed class NafflesApiException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="kind">The failure kind.</param>
    /// <param name="message">A message safe to log (never contains secrets).</param>
    /// <param name="statusCode">The HTTP status, when a response was received.</param>
    /// <param name="fieldErrors">Field errors of a validation failure.</param>
    /// <param name="retryAfter">The server's Retry-After, when given.</param>
    /// <param name="errorCode">The platform's machine-readable error code, when given.</param>
    /// <param name="innerException">The underlying exception.</param>
    public NafflesApiException(
        NafflesErrorKind kind,
        string message,
        HttpStatusCode? statusCode = null,
        IReadOnlyList<NafflesFieldError>? fieldErrors = null,
        TimeSpan? retryAfter = null,
        string? errorCode = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        FieldErrors = fieldErrors ?? [];
        RetryAfter = retryAfter;
        ErrorCode = errorCode;
    }

    /// <summary>The failure kind.</summary>
    public NafflesErrorKind Kind { get; }

    /// <summary>The HTTP status, when a response was received.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Field errors of a validation failure (empty otherwise).</summary>
    public IReadOnlyList<NafflesFieldError> FieldErrors { get; }

    /// <summary>How long the server asked us to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The platform's machine-readable error code (e.g. <c>already_entered</c>), when given.</summary>
    public string? ErrorCode { get; }

    /// <summary>Whether trying again later may succeed (rate limit, server, network, timeout, open circuit).</summary>
    public bool IsTransient => Kind is NafflesErrorKind.RateLimited or NafflesErrorKind.Server or NafflesErrorKind.Network
        or NafflesErrorKind.Timeout or NafflesErrorKind.CircuitOpen;
}
