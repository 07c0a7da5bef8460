using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Rest;

namespace NafflesBotKit.Discord.Tests.Rest;

public sealed class DiscordOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordRest(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_VersionedBaseUrlAndEnvironmentNames()
    {
        using var sp = Build(new()
        {
            ["DISCORD_PUBLIC_KEY"] = new string('a', 64),
            ["DISCORD_TOKEN"] = "t",
            ["DISCORD_CLIENT_ID"] = "1100000000000000001",
            ["Discord:CommandSync:Mode"] = "Guild",
            ["Discord:CommandSync:GuildIds:0"] = "1200000000000000001",
        });

        var options = sp.GetRequiredService<IOptions<DiscordOptions>>().Value;
        Assert.Equal("https://discord.com/api/v10", options.ApiBaseUrl);
        Assert.Equal("t", options.Token);
        Assert.Equal(1100000000000000001UL, options.ApplicationId);
        Assert.Equal([1200000000000000001UL], options.CommandSync.GuildIds);
        Assert.Same(sp.GetRequiredService<DiscordRestClient>(), sp.GetRequiredService<IDiscordClient>());
    }

    [Fact]
    public void EnvironmentBaseUrl_UsedWhenSectionHasNone()
    {
        using var sp = Build(new() { ["DISCORD_API_BASE_URL"] = "http://127.0.0.1:5000/api/v10", ["Discord:CommandSync:Mode"] = "Off" });
        Assert.Equal("http://127.0.0.1:5000/api/v10", sp.GetRequiredService<DiscordRestClient>().BaseUrl);
    }

    [Theory]
    [InlineData("Discord:PublicKey", "not-hex", "PublicKey")]
    [InlineData("Discord:ApiBaseUrl", "ftp://x", "ApiBaseUrl")]
    [InlineData("Discord:CommandSync:Mode", "Global", "ClientId")]
    [InlineData("Discord:GlobalRequestsPerSecond", "0", "GlobalRequestsPerSecond")]
    public void Validation_FailsAtStart(string key, string value, string expected)
    {
        using var sp = Build(new() { [key] = value });
        var error = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
