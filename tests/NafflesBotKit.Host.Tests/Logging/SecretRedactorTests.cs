using Microsoft.Extensions.Configuration;
using NafflesBotKit.Host.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace NafflesBotKit.Host.Tests.Logging;

public sealed class SecretRedactorTests
{
    private const string BotToken = "MTIzNDU2Nzg5MDEy.bot-token-value";
    private const string ApiKey = "naffles-api-key-value-123";

    private static (Serilog.Core.Logger Logger, StringWriter Output) CreateSut(IConfiguration? configuration = null)
    {
        configuration ??= new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Discord:BotToken"] = BotToken,
                ["Naffles:ApiKey"] = ApiKey,
                ["Naffles:BaseUrl"] = "https://api.naffles.example",
            })
            .Build();
        var output = new StringWriter();
        var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.With(SecretRedactor.FromConfiguration(configuration))
            .WriteTo.Sink(new TextSink(output))
            .CreateLogger();
        return (logger, output);
    }

    [Theory]
    [InlineData("Token")]
    [InlineData("BotToken")]
    [InlineData("ClientSecret")]
    [InlineData("Password")]
    [InlineData("ApiKey")]
    [InlineData("api_key")]
    [InlineData("PublicKey")]
    public void Enrich_SensitivePropertyName_IsMasked(string name)
    {
        var (logger, output) = CreateSut();

        logger.Information("value {" + name + "}", "some-unknown-secret");
        logger.Dispose();

        Assert.DoesNotContain("some-unknown-secret", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(SecretRedactor.Mask, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Enrich_DestructuredOptions_MasksSecretMembersOnly()
    {
        var (logger, output) = CreateSut();

        logger.Information("options {@Options}", new { BotToken = "nested-token-123", ClientId = "123456789012345678", Inner = new { WebhookSecret = "nested-secret-456" } });
        logger.Dispose();

        var text = output.ToString();
        Assert.DoesNotContain("nested-token-123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("nested-secret-456", text, StringComparison.Ordinal);
        Assert.Contains("123456789012345678", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Enrich_KnownSecretInsideOtherText_IsScrubbed()
    {
        var (logger, output) = CreateSut();

        logger.Warning("calling {Url} failed for {Items}", new Uri("https://discord.example/gateway?t=" + BotToken), new[] { "a", "Bearer " + ApiKey });
        logger.Dispose();

        var text = output.ToString();
        Assert.DoesNotContain(BotToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.Contains("https://discord.example/gateway?t=***", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Enrich_OrdinaryProperties_AreUntouched()
    {
        var (logger, output) = CreateSut();

        logger.Information("plugin {PluginId} has {Count} commands at {BaseUrl}", "naffles.diagnostics", 3, "https://api.naffles.example");
        logger.Dispose();

        var text = output.ToString();
        Assert.Contains("naffles.diagnostics", text, StringComparison.Ordinal);
        Assert.Contains("https://api.naffles.example", text, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretRedactor.Mask, text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfiguration_SeedStyleFlatNames_AreKnownSecrets()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["WEBHOOK_SECRET"] = "flat-webhook-secret", ["Admin:Token"] = "admin-token-value" })
            .Build();
        var (logger, output) = CreateSut(configuration);

        logger.Information("got {Body}", "signature over flat-webhook-secret and admin-token-value");
        logger.Dispose();

        Assert.Equal("signature over *** and ***", ReadBody(output.ToString()));
    }

    [Fact]
    public void Scrub_ShortConfigurationValues_AreNotTreatedAsSecrets()
    {
        var sut = new SecretRedactor(["abc", "long-enough-secret"]);

        Assert.Equal("abc ***", sut.Scrub("abc long-enough-secret"));
    }

    [Theory]
    [InlineData("PluginId", false)]
    [InlineData("RequestPath", false)]
    [InlineData("DISCORD_BOT_TOKEN", true)]
    [InlineData("NAFFLES_API_KEY", true)]
    [InlineData("AdminToken", true)]
    [InlineData("DbPassword", true)]
    public void IsSensitiveName_Classifies(string name, bool expected)
    {
        Assert.Equal(expected, SecretRedactor.IsSensitiveName(name));
    }

    private static string ReadBody(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]);
        return document.RootElement.GetProperty("Properties").GetProperty("Body").GetString()!;
    }

    private sealed class TextSink(TextWriter output) : ILogEventSink
    {
        private readonly JsonFormatter _formatter = new(renderMessage: true);

        public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, output);
    }
}
