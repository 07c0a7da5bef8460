using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Memory;
using NafflesBotKit.Host.Configuration;

namespace NafflesBotKit.Host.Tests.Configuration;

public sealed class SeedEnvironmentVariablesTests
{
    [Theory]
    [InlineData("DISCORD_BOT_TOKEN", "Discord:BotToken")]
    [InlineData("DISCORD_CLIENT_ID", "Discord:ClientId")]
    [InlineData("DISCORD_CLIENT_SECRET", "Discord:ClientSecret")]
    [InlineData("DISCORD_REDIRECT_URI", "Discord:RedirectUri")]
    [InlineData("DISCORD_PUBLIC_KEY", "Discord:PublicKey")]
    [InlineData("DISCORD_API_BASE_URL", "Discord:ApiBaseUrl")]
    [InlineData("NAFFLES_API_BASE_URL", "Naffles:BaseUrl")]
    [InlineData("NAFFLES_API_KEY", "Naffles:ApiKey")]
    [InlineData("WEBHOOK_SECRET", "Webhooks:Secret")]
    public void Load_SeedName_SetsStructuredKey(string name, string key)
    {
        var configuration = new ConfigurationBuilder()
            .AddSeedEnvironmentVariables(new Dictionary<string, string> { [name] = "value-of-" + name })
            .Build();

        Assert.Equal("value-of-" + name, configuration[key]);
    }

    [Fact]
    public void Map_CoversEverySeedName()
    {
        Assert.Equal(9, SeedEnvironmentVariables.Map.Count);
    }

    [Fact]
    public void Load_EmptyVariable_IsNotSet()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Discord:ClientId"] = "42" })
            .AddSeedEnvironmentVariables(new Dictionary<string, string> { ["DISCORD_CLIENT_ID"] = string.Empty })
            .Build();

        Assert.Equal("42", configuration["Discord:ClientId"]);
    }

    [Fact]
    public void Load_UnrelatedVariables_AreIgnored()
    {
        var configuration = new ConfigurationBuilder()
            .AddSeedEnvironmentVariables(new Dictionary<string, string> { ["PATH"] = "/bin", ["DISCORD_SOMETHING_ELSE"] = "x" })
            .Build();

        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void AddSeedEnvironmentVariables_InsertsJustBeforeTheEnvironmentSource()
    {
        var builder = new ConfigurationBuilder();
        var files = new MemoryConfigurationSource();
        var environment = new EnvironmentVariablesConfigurationSource();
        var commandLine = new MemoryConfigurationSource();
        builder.Add(files);
        builder.Add(environment);
        builder.Add(commandLine);

        builder.AddSeedEnvironmentVariables(new Dictionary<string, string>());

        Assert.Equal(4, builder.Sources.Count);
        Assert.Same(files, builder.Sources[0]);
        Assert.IsType<SeedEnvironmentVariablesSource>(builder.Sources[1]);
        Assert.Same(environment, builder.Sources[2]);
        Assert.Same(commandLine, builder.Sources[3]);
    }

    [Fact]
    public void AddSeedEnvironmentVariables_PrefixedEnvironmentSource_IsNotTheAnchor()
    {
        var builder = new ConfigurationBuilder();
        var environment = new EnvironmentVariablesConfigurationSource();
        builder.Add(environment);
        builder.Add(new EnvironmentVariablesConfigurationSource { Prefix = "ASPNETCORE_" });

        builder.AddSeedEnvironmentVariables(new Dictionary<string, string>());

        Assert.IsType<SeedEnvironmentVariablesSource>(builder.Sources[0]);
        Assert.Same(environment, builder.Sources[1]);
    }

    [Fact]
    public void Build_SeedNameAndSettingsFile_SeedNameWins()
    {
        var builder = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Naffles:ApiKey"] = "from-appsettings" });
        builder.Add(new EnvironmentVariablesConfigurationSource());
        builder.AddSeedEnvironmentVariables(new Dictionary<string, string> { ["NAFFLES_API_KEY"] = "from-env" });

        Assert.Equal("from-env", builder.Build()["Naffles:ApiKey"]);
    }

    [Fact]
    public void Build_SeedNameAndStructuredKeyBothSet_StructuredKeyWins()
    {
        // The structured key comes from the (unprefixed) environment source that the seed source is placed before.
        var builder = new ConfigurationBuilder();
        builder.Add(new EnvironmentVariablesConfigurationSource());
        builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Discord:ClientId"] = "111" }); // stands in for Discord__ClientId
        builder.AddSeedEnvironmentVariables(new Dictionary<string, string> { ["DISCORD_CLIENT_ID"] = "222" });

        Assert.IsType<SeedEnvironmentVariablesSource>(builder.Sources[0]);
        Assert.Equal("111", builder.Build()["Discord:ClientId"]);
    }
}
