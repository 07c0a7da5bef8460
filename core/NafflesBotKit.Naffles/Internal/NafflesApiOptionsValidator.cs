using Microsoft.Extensions.Options;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>Fails start with a clear message when the Naffles settings cannot work.</summary>
internal sealed class NafflesApiOptionsValidator : IValidateOptions<NafflesApiOptions>
{
    public ValidateOptionsResult Validate(string? name, NafflesApiOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BaseUrl))
        {
            failures.Add("Naffles:BaseUrl is required (set it, or the NAFFLES_API_BASE_URL environment variable), e.g. https://api.naffles.com.");
        }
        else if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"Naffles:BaseUrl '{options.BaseUrl}' is not an absolute http(s) URL, e.g. https://api.naffles.com.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Naffles:ApiKey is required (set it, or the NAFFLES_API_KEY environment variable).");
        }

        if (!string.Equals(options.ApiKeyHeader, NafflesApiOptions.AuthorizationHeader, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(options.ApiKeyHeader, NafflesApiOptions.XApiKeyHeader, StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Naffles:ApiKeyHeader must be '{NafflesApiOptions.AuthorizationHeader}' or '{NafflesApiOptions.XApiKeyHeader}', not '{options.ApiKeyHeader}'.");
        }

        Positive(options.AttemptTimeout, "Naffles:AttemptTimeout");
        if (options.Retry.MaxRetries is < 0 or > 10)
        {
            failures.Add("Naffles:Retry:MaxRetries must be between 0 and 10.");
        }

        Positive(options.Retry.BaseDelay, "Naffles:Retry:BaseDelay");
        if (options.Retry.MaxJitter < TimeSpan.Zero)
        {
            failures.Add("Naffles:Retry:MaxJitter must not be negative.");
        }

        if (options.CircuitBreaker.FailureThreshold < 1)
        {
            failures.Add("Naffles:CircuitBreaker:FailureThreshold must be at least 1.");
        }

        if (options.CircuitBreaker.SuccessThreshold < 1)
        {
            failures.Add("Naffles:CircuitBreaker:SuccessThreshold must be at least 1.");
        }

        Positive(options.CircuitBreaker.BreakDuration, "Naffles:CircuitBreaker:BreakDuration");
        if (options.DebugLog.Capacity < 1)
        {
            failures.Add("Naffles:DebugLog:Capacity must be at least 1.");
        }

        if (options.DebugLog.MaxBodyChars < 0)
        {
            failures.Add("Naffles:DebugLog:MaxBodyChars must not be negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{key} must be positive.");
            }
        }
    }
}
