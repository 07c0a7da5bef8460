using System.Net;

namespace NafflesBotKit.Discord;

/// <summary>
/// A Discord API call failed. <see cref="Code"/> is Discord's JSON error code (e.g. 50013 Missing Permissions,
/// 10008 Unknown Message, 10062 Unknown Interaction, 40060 Interaction Already Acknowledged); 0 when the response
/// carried none.
/// </summary>
public sealed class DiscordApiException : Exception
{
    /// <summary>Missing Access.</summary>
    public const int MissingAccess = 50001;

    /// <summary>Missing Permissions.</summary>
    public const int MissingPermissions = 50013;

    /// <summary>Unknown Member.</summary>
    public const int UnknownMember = 10007;

    /// <summary>Unknown Message.</summary>
    public const int UnknownMessage = 10008;

    /// <summary>Unknown Interaction (the 3-second window or the 15-minute token expired).</summary>
    public const int UnknownInteraction = 10062;

    /// <summary>Interaction has already been acknowledged.</summary>
    public const int AlreadyAcknowledged = 40060;

    /// <summary>Invalid Form Body.</summary>
    public const int InvalidFormBody = 50035;

    /// <summary>Creates the exception.</summary>
    public DiscordApiException()
        : this(0, 0, "Discord API error.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public DiscordApiException(string message)
        : this(0, 0, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DiscordApiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status (0 when no response was received).</param>
    /// <param name="code">Discord's JSON error code, or 0.</param>
    /// <param name="message">Discord's error message.</param>
    /// <param name="route">The method and route, e.g. <c>POST /channels/{channel_id}/messages</c>.</param>
    /// <param name="errors">Discord's <c>errors</c> object as JSON, if any (field-level details of 50035).</param>
    public DiscordApiException(int statusCode, int code, string message, string? route = null, string? errors = null)
        : base(route is null ? message : $"{message} ({route}, HTTP {statusCode}, code {code})")
    {
        StatusCode = (HttpStatusCode)statusCode;
        Code = code;
        DiscordMessage = message;
        Route = route;
        Errors = errors;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code, or 0.</summary>
    public int Code { get; }

    /// <summary>Discord's error message.</summary>
    public string DiscordMessage { get; } = string.Empty;

    /// <summary>The method and route template of the failed call.</summary>
    public string? Route { get; }

    /// <summary>Discord's field-level <c>errors</c> object as JSON, if any.</summary>
    public string? Errors { get; }
}
