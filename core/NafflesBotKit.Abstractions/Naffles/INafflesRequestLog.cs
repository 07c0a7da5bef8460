namespace NafflesBotKit.Naffles;

/// <summary>
/// The request debug log (seed: <c>ApiDebugger</c>): the last N Naffles HTTP attempts with secrets
/// redacted, for an admin endpoint to read and export.
/// </summary>
public interface INafflesRequestLog
{
    /// <summary>Whether attempts are being recorded (on by default in the Development environment).</summary>
    bool IsEnabled { get; }

    /// <summary>The maximum number of entries kept; the oldest are dropped first.</summary>
    int Capacity { get; }

    /// <summary>The entries matching <paramref name="filter"/>, oldest first.</summary>
    /// <param name="filter">The filter; <see langword="null"/> returns everything.</param>
    /// <returns>A snapshot of the matching entries.</returns>
    IReadOnlyList<NafflesRequestLogEntry> GetEntries(NafflesRequestLogFilter? filter = null);

    /// <summary>Exports the matching entries as a JSON array.</summary>
    /// <param name="filter">The filter; <see langword="null"/> exports everything.</param>
    /// <returns>The JSON text.</returns>
    string ExportJson(NafflesRequestLogFilter? filter = null);

    /// <summary>Exports the matching entries as RFC 4180 CSV with a header row.</summary>
    /// <param name="filter">The filter; <see langword="null"/> exports everything.</param>
    /// <returns>The CSV text (CRLF line breaks).</returns>
    string ExportCsv(NafflesRequestLogFilter? filter = null);

    /// <summary>Removes every entry.</summary>
    void Clear();
}

/// <summary>One recorded HTTP attempt. Headers, bodies and URLs are already redacted and truncated.</summary>
public sealed record NafflesRequestLogEntry
{
    /// <summary>A sequence number, increasing per attempt.</summary>
    public long Sequence { get; init; }

    /// <summary>When the attempt started.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The HTTP method (upper case).</summary>
    public string Method { get; init; } = "";

    /// <summary>The URL, with secret query values redacted.</summary>
    public string Url { get; init; } = "";

    /// <summary>The response status, or <see langword="null"/> when no response arrived.</summary>
    public int? Status { get; init; }

    /// <summary>How long the attempt took, in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>The request headers (secret values redacted).</summary>
    public IReadOnlyDictionary<string, string> RequestHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>The request body (secret values redacted, truncated), if any.</summary>
    public string? RequestBody { get; init; }

    /// <summary>The response headers (secret values redacted).</summary>
    public IReadOnlyDictionary<string, string> ResponseHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>The response body (secret values redacted, truncated), if any.</summary>
    public string? ResponseBody { get; init; }

    /// <summary>The error, when the attempt failed (non-success status or exception).</summary>
    public string? Error { get; init; }

    /// <summary>Whether the attempt failed.</summary>
    public bool HasError => Error is not null;
}

/// <summary>Filters for <see cref="INafflesRequestLog"/> (seed: method, status, hasError, since).</summary>
public sealed record NafflesRequestLogFilter
{
    /// <summary>Only this HTTP method (case-insensitive).</summary>
    public string? Method { get; init; }

    /// <summary>Only this response status.</summary>
    public int? Status { get; init; }

    /// <summary>Only failed (<see langword="true"/>) or only successful (<see langword="false"/>) attempts.</summary>
    public bool? HasError { get; init; }

    /// <summary>Only attempts started at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
}
