namespace NafflesBotKit.Naffles;

/// <summary>
/// Settings of the Naffles API client, bound from the <c>Naffles</c> configuration section and
/// validated at start. Defaults are the seed's ("Naffles Backend API Integration", "Error Handling and
/// Retry Logic", "Circuit Breaker Pattern").
/// </summary>
public sealed class NafflesApiOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Naffles";

    /// <summary>The <c>Authorization</c> header: the key is sent as <c>Authorization: {ApiKeyScheme} {key}</c> (the seed's way).</summary>
    public const string AuthorizationHeader = "Authorization";

    /// <summary>The <c>x-api-key</c> header: the key is sent as is (the published backend's way).</summary>
    public const string XApiKeyHeader = "x-api-key";

    /// <summary>The platform's base URL (seed: <c>NAFFLES_API_BASE_URL</c>); absolute http(s). Required.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>The API key (seed: <c>NAFFLES_API_KEY</c>). Required. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Which header carries the key: <see cref="AuthorizationHeader"/> (default) or <see cref="XApiKeyHeader"/>.</summary>
    public string ApiKeyHeader { get; set; } = AuthorizationHeader;

    /// <summary>The scheme used with <see cref="AuthorizationHeader"/> (default <c>Bearer</c>).</summary>
    public string ApiKeyScheme { get; set; } = "Bearer";

    /// <summary>The User-Agent (seed: <c>Naffles-Discord-Bot/1.0</c>).</summary>
    public string UserAgent { get; set; } = "NafflesBotKit/1.0";

    /// <summary>The timeout of one attempt (seed: 10 s).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry settings.</summary>
    public NafflesRetryOptions Retry { get; set; } = new();

    /// <summary>Circuit breaker settings.</summary>
    public NafflesCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Request debug log settings.</summary>
    public NafflesDebugLogOptions DebugLog { get; set; } = new();
}

/// <summary>Retry settings (seed: <c>ApiErrorHandler</c>).</summary>
public sealed class NafflesRetryOptions
{
    /// <summary>Retries after the first attempt (seed: 3).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; doubled per retry (seed: 1 s, so 1 s, 2 s, 4 s).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Up to this much random jitter is added to each delay (seed: 1 s).</summary>
    public TimeSpan MaxJitter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A Retry-After longer than this is not waited for: the call fails at once as rate limited.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Circuit breaker settings (seed: <c>CircuitBreaker</c>).</summary>
public sealed class NafflesCircuitBreakerOptions
{
    /// <summary>Consecutive failed attempts that open the circuit (seed: 5).</summary>
    public int FailureThreshold { get; set; } = 5;

    /// <summary>How long the circuit stays open before letting trial calls through (seed: 60 s).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Consecutive successes in half-open that close the circuit (seed: 3).</summary>
    public int SuccessThreshold { get; set; } = 3;
}

/// <summary>Request debug log settings (seed: <c>ApiDebugger</c>).</summary>
public sealed class NafflesDebugLogOptions
{
    /// <summary>Whether to record; <see langword="null"/> (default) means on in the Development environment only.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How many attempts are kept (seed: 1,000).</summary>
    public int Capacity { get; set; } = 1000;

    /// <summary>Bodies longer than this many characters are truncated.</summary>
    public int MaxBodyChars { get; set; } = 4096;
}
