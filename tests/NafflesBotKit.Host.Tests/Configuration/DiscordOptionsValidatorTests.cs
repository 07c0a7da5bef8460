using NafflesBotKit.Host.Configuration;

namespace NafflesBotKit.Host.Tests.Configuration;

public sealed class DiscordOptionsValidatorTests
{
    private static DiscordOptionsValidator CreateSut() => new();

    [Fact]
    public void Validate_NoToken_Succeeds()
    {
        var result = CreateSut().Validate(null, new DiscordOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_TokenAndSnowflake_Succeeds()
    {
        var result = CreateSut().Validate(null, new DiscordOptions { BotToken = "t0ken-value", ClientId = "123456789012345678" });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("my-bot")]
    [InlineData("12345abc")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("123456789012345678901")]
    public void Validate_TokenAndNonSnowflakeClientId_FailsNamingTheKey(string clientId)
    {
        var result = CreateSut().Validate(null, new DiscordOptions { BotToken = "t0ken-value", ClientId = clientId });

        Assert.True(result.Failed);
        Assert.Contains("Discord:ClientId", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("snowflake", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TokenWithoutClientId_Fails()
    {
        var result = CreateSut().Validate(null, new DiscordOptions { BotToken = "t0ken-value" });

        Assert.True(result.Failed);
        Assert.Contains("DISCORD_CLIENT_ID", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Failure_NeverEchoesTheToken()
    {
        var result = CreateSut().Validate(null, new DiscordOptions { BotToken = "t0ken-value", ClientId = "nope" });

        Assert.DoesNotContain("t0ken-value", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RelativeRedirectUri_Fails()
    {
        var result = CreateSut().Validate(null, new DiscordOptions { RedirectUri = new Uri("/callback", UriKind.Relative) });

        Assert.True(result.Failed);
    }
}
