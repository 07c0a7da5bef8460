using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;
using NafflesBotKit.Testing.Naffles;

namespace NafflesBotKit.Runtime.Tests.Services;

public sealed class NafflesCommunityRoleSourceTests
{
    [Fact]
    public async Task GetRoleAsync_LinkedGuildAndLinkedMember_ReturnsTheirNafflesRole()
    {
        await using var naffles = await NafflesEmulator.StartAsync();
        naffles.AddCommunity("c1", "Community One");
        naffles.AddUser("u1", "alice", discordId: "555");
        naffles.AddUser("u2", "bob", discordId: "666");
        naffles.AddMembership("c1", "u1", "admin");
        await using var services = Build(naffles);
        var links = services.GetRequiredService<PluginStoreFactory>().For(GuildCommunityLinks.OwnerPluginId).ForGuild(42);
        await links.SetAsync(GuildCommunityLinks.Key, new GuildCommunityLink("c1", "Community One", 1, DateTimeOffset.UnixEpoch), GuildCommunityLinks.TypeInfo);
        var source = services.GetRequiredService<ICommunityRoleSource>();

        Assert.Equal(CommunityRole.Admin, await source.GetRoleAsync(42, 555, CancellationToken.None));
        Assert.Null(await source.GetRoleAsync(42, 666, CancellationToken.None)); // linked account, not a member
        Assert.Null(await source.GetRoleAsync(42, 777, CancellationToken.None)); // no Naffles account
        Assert.Null(await source.GetRoleAsync(43, 555, CancellationToken.None)); // guild not linked
    }

    private static ServiceProvider Build(NafflesEmulator naffles)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Path"] = Path.Combine(Directory.CreateTempSubdirectory("nbk-roles-").FullName, "store.db"),
            ["Naffles:BaseUrl"] = naffles.BaseUrl.ToString(),
            ["Naffles:ApiKey"] = naffles.ApiKey,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddNafflesBotRuntime(configuration);
        services.AddNafflesBotServices(configuration);
        services.AddNafflesApi(configuration);
        return services.BuildServiceProvider();
    }
}
