using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NafflesBotKit.Naffles.Internal;
using System.Text.Json.Nodes;

namespace NafflesBotKit.Naffles.Tests;

public sealed class OptionsTests
{
    [Theory]
    [InlineData(null, "Naffles:BaseUrl is required")]
    [InlineData("", "Naffles:BaseUrl is required")]
    [InlineData("api.naffles.com", "is not an absolute http(s) URL")]
    [InlineData("ftp://api.naffles.com", "is not an absolute http(s) URL")]
    public void MissingOrInvalidBaseUrl_FailsAtStart_WithAClearMessage(string? baseUrl, string expected)
    {
        using var provider = Build(new() { ["Naffles:BaseUrl"] = baseUrl, ["Naffles:ApiKey"] = "k" });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherInvalidSettings_AreAllReported()
    {
        using var provider = Build(new()
        {
            ["Naffles:BaseUrl"] = "https://api.naffles.com",
            ["Naffles:ApiKeyHeader"] = "X-Token",
            ["Naffles:CircuitBreaker:FailureThreshold"] = "0",
            ["Naffles:AttemptTimeout"] = "00:00:00",
        });

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Naffles:ApiKey is required", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKeyHeader", ex.Message, StringComparison.Ordinal);
        Assert.Contains("FailureThreshold", ex.Message, StringComparison.Ordinal);
        Assert.Contains("AttemptTimeout", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheSeeds_AndBindFromTheNafflesSection()
    {
        using var provider = Build(new() { ["Naffles:BaseUrl"] = "https://api.naffles.com", ["Naffles:ApiKey"] = "k", ["Naffles:Retry:MaxRetries"] = "5" });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<NafflesApiOptions>>().Value;

        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(10), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Retry.BaseDelay);
        Assert.Equal(5, options.CircuitBreaker.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(60), options.CircuitBreaker.BreakDuration);
        Assert.Equal(3, options.CircuitBreaker.SuccessThreshold);
        Assert.Equal("Authorization", options.ApiKeyHeader);
        Assert.Equal("Bearer", options.ApiKeyScheme);
        Assert.Equal(1000, options.DebugLog.Capacity);
        Assert.NotNull(provider.GetRequiredService<INafflesApi>().Communities);
    }

    [Fact]
    public void EnvironmentVariables_MapOntoTheNafflesSection()
    {
        var env = new Dictionary<string, string?> { ["NAFFLES_API_BASE_URL"] = "https://env.example", ["NAFFLES_API_KEY"] = "env-key" };

        var pairs = NafflesConfigurationBuilderExtensions.MapEnvironmentVariables(name => env.GetValueOrDefault(name));
        var none = NafflesConfigurationBuilderExtensions.MapEnvironmentVariables(_ => null);

        Assert.Equal(
            [new("Naffles:BaseUrl", "https://env.example"), new KeyValuePair<string, string?>("Naffles:ApiKey", "env-key")],
            pairs);
        Assert.Empty(none);
        var config = new ConfigurationBuilder().AddInMemoryCollection(pairs).Build();
        Assert.Equal("env-key", config["Naffles:ApiKey"]);
    }

    [Fact]
    public void Normalizer_UnwrapsEnvelope_AcceptsUnderscoreId_FlattensReferences_ShapesPages()
    {
        var wrapped = JsonNode.Parse("""{"success":true,"message":"OK","data":{"_id":"a1","communityId":{"_id":"c1","name":"Alpha"}}}""");
        var listing = JsonNode.Parse("""{"success":true,"data":{"docs":[{"_id":"e1"}],"pagination":{"page":2,"limit":10,"total":11}}}""");
        var bare = JsonNode.Parse("""[{"id":"x"}]""");

        var single = ResponseNormalizer.Normalize(wrapped)!;
        var page = ResponseNormalizer.Normalize(listing, "entries")!;
        var array = ResponseNormalizer.Normalize(bare, "entries")!;

        Assert.Equal("a1", (string?)single["id"]);
        Assert.Equal("c1", (string?)single["communityId"]);
        Assert.Equal("e1", (string?)page["items"]![0]!["id"]);
        Assert.Equal(2, (int?)page["page"]);
        Assert.Equal(11, (int?)page["total"]);
        Assert.Equal("x", (string?)array["items"]![0]!["id"]);
    }

    [Fact]
    public void Models_ReadThePublishedBackendsShapes()
    {
        var allowlist = JsonNode.Parse("""{"success":true,"data":{"_id":"a1","title":"T","winnerCount":"everyone","maxEntries":"250","totalEntries":3,"prize":"x"}}""");
        var community = JsonNode.Parse("""{"success":true,"data":{"_id":"c1","name":"Alpha","stats":{"memberCount":42},"pointsConfiguration":{"pointsName":"Gems"}}}""");
        using var response = new HttpResponseMessage();

        var a = NafflesHttp.ToModel(ResponseNormalizer.Normalize(allowlist), NafflesJsonContext.Default.Allowlist, response);
        var c = NafflesHttp.ToModel(ResponseNormalizer.Normalize(community), NafflesJsonContext.Default.NafflesCommunity, response);

        Assert.Equal("a1", a.Id);
        Assert.Null(a.WinnerCount); // "everyone" is not a number
        Assert.Equal(250, a.MaxEntries);
        Assert.Equal("x", a.AdditionalData!["prize"].GetString());
        Assert.Equal(42, c.MemberCount);
        Assert.Equal("Gems", c.AdditionalData!["pointsConfiguration"].GetProperty("pointsName").GetString());
    }

    [Fact]
    public async Task AddNafflesApi_Twice_DoesNotStackHandlers()
    {
        await using var emulator = await NafflesBotKit.Testing.Naffles.NafflesEmulator.StartAsync();
        emulator.AddCommunity("c1", "Alpha");
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Naffles:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Naffles:ApiKey"] = emulator.ApiKey,
            ["Naffles:DebugLog:Enabled"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddNafflesApi(config).AddNafflesApi(config);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<INafflesApi>().Communities.GetCommunityAsync("c1");

        Assert.Single(provider.GetRequiredService<INafflesRequestLog>().GetEntries());
    }

    [Fact]
    public void RoleHierarchy_MemberModeratorManagerAdminOwner()
    {
        Assert.True(CommunityRoles.IsAtLeast("owner", "admin"));
        Assert.True(CommunityRoles.IsAtLeast("Manager", "moderator"));
        Assert.False(CommunityRoles.IsAtLeast("moderator", "manager"));
        Assert.False(CommunityRoles.IsAtLeast("superuser", "member"));
        Assert.Equal(["member", "moderator", "manager", "admin", "owner"], CommunityRoles.Hierarchy);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddNafflesApi(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }
}
