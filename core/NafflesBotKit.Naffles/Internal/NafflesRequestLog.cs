using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>A ring buffer of the last <see cref="Capacity"/> attempts (seed: <c>ApiDebugger</c>, <c>maxLogSize = 1000</c>).</summary>
internal sealed class NafflesRequestLog : INafflesRequestLog
{
    private static readonly string[] CsvColumns =
        ["sequence", "timestamp", "method", "url", "status", "durationMs", "error", "requestHeaders", "requestBody", "responseHeaders", "responseBody"];

    private readonly IOptionsMonitor<NafflesApiOptions> _options;
    private readonly bool _isDevelopment;
    private readonly Lock _gate = new();
    private readonly NafflesRequestLogEntry?[] _ring;
    private long _sequence;
    private int _next;
    private int _count;

    public NafflesRequestLog(IOptionsMonitor<NafflesApiOptions> options, IHostEnvironment? environment = null)
    {
        _options = options;
        _isDevelopment = environment?.IsDevelopment() ?? false;
        _ring = new NafflesRequestLogEntry?[options.CurrentValue.DebugLog.Capacity];
    }

    public bool IsEnabled => _options.CurrentValue.DebugLog.Enabled ?? _isDevelopment;

    public int Capacity => _ring.Length;

    internal NafflesApiOptions Options => _options.CurrentValue;

    public void Add(NafflesRequestLogEntry entry)
    {
        lock (_gate)
        {
            _ring[_next] = entry with { Sequence = ++_sequence };
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    public IReadOnlyList<NafflesRequestLogEntry> GetEntries(NafflesRequestLogFilter? filter = null)
    {
        List<NafflesRequestLogEntry> all;
        lock (_gate)
        {
            all = new List<NafflesRequestLogEntry>(_count);
            var start = (_next - _count + _ring.Length) % _ring.Length;
            for (var i = 0; i < _count; i++)
            {
                all.Add(_ring[(start + i) % _ring.Length]!);
            }
        }

        return filter is null ? all : all.Where(e => Matches(e, filter)).ToList();
    }

    public string ExportJson(NafflesRequestLogFilter? filter = null) =>
        JsonSerializer.Serialize(GetEntries(filter).ToList(), NafflesLogJsonContext.Default.ListNafflesRequestLogEntry);

    public string ExportCsv(NafflesRequestLogFilter? filter = null)
    {
        var csv = new StringBuilder();
        AppendRow(csv, CsvColumns);
        foreach (var e in GetEntries(filter))
        {
            AppendRow(csv,
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                e.Method,
                e.Url,
                e.Status?.ToString(CultureInfo.InvariantCulture) ?? "",
                e.DurationMs.ToString("0.###", CultureInfo.InvariantCulture),
                e.Error ?? "",
                Headers(e.RequestHeaders),
                e.RequestBody ?? "",
                Headers(e.ResponseHeaders),
                e.ResponseBody ?? "",
            ]);
        }

        return csv.ToString();
    }

    public void Clear()
    {
        lock (_gate)
        {
            Array.Clear(_ring);
            _next = 0;
            _count = 0;
        }
    }

    /// <summary>RFC 4180: a field with a comma, quote, CR or LF is quoted and its quotes doubled; rows end in CRLF.</summary>
    internal static string CsvField(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void AppendRow(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(CsvField)).Append("\r\n");
    }

    private static string Headers(IReadOnlyDictionary<string, string> headers) =>
        string.Join('\n', headers.Select(h => $"{h.Key}: {h.Value}"));

    private static bool Matches(NafflesRequestLogEntry e, NafflesRequestLogFilter f) =>
        (f.Method is null || string.Equals(e.Method, f.Method, StringComparison.OrdinalIgnoreCase))
        && (f.Status is null || e.Status == f.Status)
        && (f.HasError is null || e.HasError == f.HasError)
        && (f.Since is null || e.Timestamp >= f.Since);
}
