using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>The one place HTTP outcomes become <see cref="NafflesApiException"/> (seed: <c>classifyError</c>).</summary>
internal static class NafflesErrorClassifier
{
    public static NafflesErrorKind KindOf(HttpStatusCode status) => (int)status switch
    {
        401 => NafflesErrorKind.Authentication,
        403 => NafflesErrorKind.Permission,
        404 => NafflesErrorKind.NotFound,
        400 or 422 => NafflesErrorKind.Validation,
        409 => NafflesErrorKind.Conflict,
        429 => NafflesErrorKind.RateLimited,
        >= 500 and <= 599 => NafflesErrorKind.Server,
        _ => NafflesErrorKind.Unknown,
    };

    public static NafflesApiException FromResponse(HttpResponseMessage response, string? body, DateTimeOffset now)
    {
        var kind = KindOf(response.StatusCode);
        string? message = null;
        string? code = null;
        var fields = new List<NafflesFieldError>();
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                if (JsonNode.Parse(body) is JsonObject obj)
                {
                    ReadError(obj, ref message, ref code, fields);
                }
            }
            catch (JsonException)
            {
                // Not JSON (e.g. a proxy's HTML error page): the status alone classifies it.
            }
        }

        var request = response.RequestMessage;
        var what = request is null ? "Naffles API call" : $"{request.Method} {request.RequestUri?.AbsolutePath}";
        var text = $"{what} failed with {(int)response.StatusCode} ({kind}){(message is null ? "" : ": " + message)}";
        return new NafflesApiException(kind, text, response.StatusCode, fields, RetryAfter(response, now), code);
    }

    public static NafflesApiException FromException(Exception exception, HttpRequestMessage request)
    {
        var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
        return exception switch
        {
            BrokenCircuitException broken => new NafflesApiException(
                NafflesErrorKind.CircuitOpen, $"{what} refused: the Naffles circuit breaker is open after repeated failures.", retryAfter: broken.RetryAfter, innerException: exception),
            TimeoutRejectedException => new NafflesApiException(
                NafflesErrorKind.Timeout, $"{what} timed out.", innerException: exception),
            OperationCanceledException => new NafflesApiException(
                NafflesErrorKind.Timeout, $"{what} timed out.", innerException: exception),
            _ => new NafflesApiException(
                NafflesErrorKind.Network, $"{what} failed: could not reach the Naffles API ({exception.GetType().Name}).", innerException: exception),
        };
    }

    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static void ReadError(JsonObject obj, ref string? message, ref string? code, List<NafflesFieldError> fields)
    {
        // Seed dialect: {message, code, errors}; published backend: {success:false, message, error}; nested {error:{message, code, errors}}.
        message = Text(obj["message"]);
        code = Text(obj["code"]);
        switch (obj["error"])
        {
            case JsonObject nested:
                message ??= Text(nested["message"]);
                code ??= Text(nested["code"]);
                ReadFields(nested["errors"] ?? nested["fields"], fields);
                break;
            case JsonValue value when Text(value) is { } errorText:
                if (message is null)
                {
                    message = errorText;
                }
                else
                {
                    code ??= errorText;
                }

                break;
        }

        ReadFields(obj["errors"] ?? obj["fields"] ?? obj["details"], fields);
    }

    private static void ReadFields(JsonNode? node, List<NafflesFieldError> fields)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is JsonObject error)
                    {
                        var field = Text(error["field"]) ?? Text(error["path"]) ?? Text(error["param"]) ?? "";
                        var text = Text(error["message"]) ?? Text(error["msg"]) ?? "invalid";
                        fields.Add(new NafflesFieldError(field, text));
                    }
                }

                break;
            case JsonObject map:
                foreach (var (field, value) in map)
                {
                    if (value is JsonArray messages)
                    {
                        fields.AddRange(messages.Select(m => new NafflesFieldError(field, Text(m) ?? "invalid")));
                    }
                    else
                    {
                        fields.Add(new NafflesFieldError(field, Text(value) ?? "invalid"));
                    }
                }

                break;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}
