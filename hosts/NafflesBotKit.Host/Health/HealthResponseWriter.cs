using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace NafflesBotKit.Host.Health;

/// <summary>Writes a health report as <c>{"status":"Healthy","checks":[{"name","status","description","durationMs"}]}</c>.</summary>
internal static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("status", report.Status.ToString());
            writer.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            writer.WriteStartArray("checks");
            foreach (var (name, entry) in report.Entries)
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("status", entry.Status.ToString());
                if (entry.Description is { } description)
                {
                    writer.WriteString("description", description);
                }

                writer.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
