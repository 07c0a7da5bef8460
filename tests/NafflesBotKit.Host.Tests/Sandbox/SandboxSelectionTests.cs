using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using NafflesBotKit.Host.Sandbox;

namespace NafflesBotKit.Host.Tests.Sandbox;

public sealed class SandboxSelectionTests
{
    private static SandboxDecision Decide(params (string Key, string Value)[] values) =>
        SandboxSelection.Decide(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build());

    [Theory]
    [InlineData(null)]
    [InlineData("Auto")]
    [InlineData("auto")]
    [InlineData("On")]
    public void NoCredentials_AutoOrOn_Sandbox(string? mode)
    {
        var decision = mode is null ? Decide() : Decide(("Sandbox:Mode", mode));

        Assert.True(decision.Enabled);
    }

    [Fact]
    public void NoCredentials_Off_RunsWithoutSandbox()
    {
        var decision = Decide(("Sandbox:Mode", "Off"));

        Assert.False(decision.Enabled);
        Assert.Equal("Sandbox:Mode is Off", decision.Reason);
    }

    [Theory]
    [InlineData("Discord:BotToken", "a-token", "Discord:BotToken (DISCORD_BOT_TOKEN) configured")]
    [InlineData("Naffles:BaseUrl", "https://api.naffles.com/", "Naffles:BaseUrl (NAFFLES_API_BASE_URL) configured")]
    public void AnyCredential_Auto_NeverSandbox(string key, string value, string reason)
    {
        var decision = Decide((key, value));

        Assert.False(decision.Enabled);
        Assert.Equal(reason, decision.Reason);
    }

    [Fact]
    public void BlankCredentials_CountAsAbsent()
    {
        Assert.True(Decide(("Discord:BotToken", " "), ("Naffles:BaseUrl", "")).Enabled);
    }

    [Fact]
    public void On_WithCredentials_IsAConfigurationError()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Decide(("Sandbox:Mode", "On"), ("Discord:BotToken", "t"), ("Naffles:BaseUrl", "https://api.naffles.com/")));

        Assert.Equal(
            "Sandbox:Mode is On but Discord:BotToken (DISCORD_BOT_TOKEN) and Naffles:BaseUrl (NAFFLES_API_BASE_URL) are configured: remove the credentials to use the sandbox, or set Sandbox:Mode to Auto or Off to run for real.",
            Assert.Single(error.Failures));
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1")]
    [InlineData("Sandbox")]
    public void UnknownMode_IsAConfigurationError(string mode)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Decide(("Sandbox:Mode", mode)));

        Assert.Equal($"Sandbox:Mode must be Auto, On or Off, got '{mode}'.", Assert.Single(error.Failures));
    }
}
