using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NafflesBotKit.Discord.Commands;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Tests.Commands;

public sealed class CommandSyncTests
{
    private static ApplicationCommandDefinition Points(string description = "Show points") => new()
    {
        Name = "points",
        Description = description,
        PluginId = "naffles.points",
        DefaultMemberPermissions = Permissions.ManageGuild,
        Options =
        [
            new CommandOptionDefinition
            {
                Type = CommandOptionType.SubCommand,
                Name = "show",
                Description = "Show a user's points",
                Options =
                [
                    new CommandOptionDefinition { Type = CommandOptionType.User, Name = "who", Description = "Whose", Required = true },
                    new CommandOptionDefinition { Type = CommandOptionType.Integer, Name = "days", Description = "Window", MinValue = 1, MaxValue = 90 },
                    new CommandOptionDefinition { Type = CommandOptionType.String, Name = "kind", Description = "Kind", Choices = [new("Raffles", "raffles"), new("Tasks", "tasks")] },
                    new CommandOptionDefinition { Type = CommandOptionType.Channel, Name = "where", Description = "Channel", ChannelTypes = [5, 0] },
                    new CommandOptionDefinition { Type = CommandOptionType.String, Name = "search", Description = "Search", Autocomplete = true, MinLength = 2, MaxLength = 50 },
                ],
            },
        ],
    };

    private static ApplicationCommandDefinition Link() => new() { Name = "link", Description = "Link your account", PluginId = "naffles.link", AllowInDms = true };

    private static async Task<(DiscordTestContext Ctx, TestCatalog Catalog)> StartAsync(string mode = "Global", ulong? guild = null, Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null)
    {
        var catalog = new TestCatalog();
        var ctx = await DiscordTestContext.StartAsync(
            time,
            configure: s =>
            {
                s["Discord:CommandSync:Mode"] = mode;
                if (guild is { } g)
                {
                    s["Discord:CommandSync:GuildIds:0"] = g.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            },
            services: s =>
            {
                s.AddSingleton<ICommandCatalog>(catalog);
                s.AddSingleton<ICommandCatalogChanges>(catalog);
            });
        return (ctx, catalog);
    }

    [Fact]
    public async Task Sync_FirstTimeOverwrites_ThenNoPutWhileUnchanged()
    {
        var (ctx, catalog) = await StartAsync();
        await using var _ = ctx;
        catalog.Set(Points(), Link());
        var sync = ctx.Services.GetRequiredService<CommandSynchronizer>();

        var first = Assert.Single(await sync.SyncAsync(CancellationToken.None));
        var second = Assert.Single(await sync.SyncAsync(CancellationToken.None));

        Assert.True(first.Updated);
        Assert.False(second.Updated);
        Assert.Equal(1, ctx.Emulator.CommandOverwriteCount());
        var stored = ctx.Emulator.Commands();
        Assert.Equal(2, stored.Count);
        var points = stored.Single(c => (string)c!["name"]! == "points")!;
        Assert.Equal("32", (string)points["default_member_permissions"]!);
        Assert.Equal(2, ctx.Emulator.Requests.Count(r => r.Method == "GET"));
        Assert.Empty(ctx.Validation.Violations);
    }

    [Fact]
    public async Task Sync_ServerShapeWithDefaultsAndExtraFields_CountsAsUnchanged()
    {
        var (ctx, catalog) = await StartAsync();
        await using var _ = ctx;
        catalog.Set(new ApplicationCommandDefinition
        {
            Name = "raffle",
            Description = "Raffles",
            PluginId = "p",
            AllowInDms = true,
            Options =
            [
                new CommandOptionDefinition { Type = CommandOptionType.Number, Name = "odds", Description = "Odds", Choices = [new("Even", 1.0), new("Half", 0.5)] },
                new CommandOptionDefinition { Type = CommandOptionType.Channel, Name = "where", Description = "Where", ChannelTypes = [0, 5] },
            ],
        });

        // What Discord hands back: explicit false/empty defaults, contexts in another order, 1.0 as a number, extra fields.
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, ctx.Emulator.Urls.RestBaseUrl + $"/applications/{ctx.Emulator.ApplicationId}/commands")
        {
            Content = new StringContent("""
                [{"name":"raffle","description":"Raffles","type":1,"dm_permission":true,"contexts":[1,0],"nsfw":false,
                  "options":[{"type":10,"name":"odds","description":"Odds","required":false,"autocomplete":false,"choices":[{"name":"Even","value":1.0,"name_localizations":null},{"name":"Half","value":0.5}]},
                             {"type":7,"name":"where","description":"Where","required":false,"channel_types":[5,0]}]}]
                """, System.Text.Encoding.UTF8, "application/json"),
        };
        put.Headers.TryAddWithoutValidation("Authorization", "Bot " + ctx.Emulator.BotToken);
        (await http.SendAsync(put)).EnsureSuccessStatusCode();

        var result = Assert.Single(await ctx.Services.GetRequiredService<CommandSynchronizer>().SyncAsync(CancellationToken.None));

        Assert.False(result.Updated);
        Assert.Equal(1, ctx.Emulator.CommandOverwriteCount());
    }

    [Fact]
    public async Task Sync_DefinitionChanged_OverwritesAgain()
    {
        var (ctx, catalog) = await StartAsync();
        await using var _ = ctx;
        var sync = ctx.Services.GetRequiredService<CommandSynchronizer>();
        catalog.Set(Points());
        await sync.SyncAsync(CancellationToken.None);

        catalog.Set(Points("Show your points"));
        var changed = Assert.Single(await sync.SyncAsync(CancellationToken.None));

        Assert.True(changed.Updated);
        Assert.Equal(2, ctx.Emulator.CommandOverwriteCount());
        Assert.Equal("Show your points", (string)ctx.Emulator.Commands()[0]!["description"]!);
    }

    [Fact]
    public async Task Sync_GuildMode_WritesOnlyThatGuild()
    {
        var ctx0 = await DiscordTestContext.StartAsync();
        var guild = ctx0.Emulator.NextId();
        await ctx0.DisposeAsync();
        var (ctx, catalog) = await StartAsync("Guild", guild);
        await using var _ = ctx;
        catalog.Set(Link());

        var result = Assert.Single(await ctx.Services.GetRequiredService<CommandSynchronizer>().SyncAsync(CancellationToken.None));

        Assert.Equal(guild, result.GuildId);
        Assert.Equal(1, ctx.Emulator.CommandOverwriteCount(guild));
        Assert.Equal(0, ctx.Emulator.CommandOverwriteCount());
    }

    [Fact]
    public async Task Sync_InvalidDefinition_NothingSentAndErrorNamesPluginAndCommand()
    {
        var (ctx, catalog) = await StartAsync();
        await using var _ = ctx;
        catalog.Set(Link() with { Name = "Link Account", PluginId = "naffles.link" });

        var error = await Assert.ThrowsAsync<CommandValidationException>(async () => await ctx.Services.GetRequiredService<CommandSynchronizer>().SyncAsync(CancellationToken.None));

        Assert.Contains(error.Errors, e => e.Contains("plugin 'naffles.link' command '/Link Account'", StringComparison.Ordinal));
        Assert.Empty(ctx.Emulator.Requests);
    }

    [Fact]
    public async Task HostedService_SyncsAtStart_AndOnceAfterABurstOfChanges()
    {
        var time = DiscordTestContext.NewFakeTime();
        var (ctx, catalog) = await StartAsync(time: time);
        await using var _ = ctx;
        catalog.Set(Link());
        var service = ctx.Services.GetServices<IHostedService>().OfType<CommandSyncService>().Single();
        await service.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => service.SyncCount == 1);
        Assert.Equal(1, ctx.Emulator.CommandOverwriteCount());

        catalog.Set(Link(), Points());
        catalog.Raise();
        catalog.Set(Link(), Points("Show your points"));
        catalog.Raise();
        await Task.Delay(50);
        Assert.Equal(1, service.SyncCount); // debouncing: nothing until the quiet period passes
        time.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => service.SyncCount == 2, () => time.Advance(TimeSpan.FromMilliseconds(500)));

        Assert.Equal(2, ctx.Emulator.CommandOverwriteCount());
        Assert.Equal(2, ctx.Emulator.Commands().Count);
        await service.StopAsync(CancellationToken.None);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Action? tick = null)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
            tick?.Invoke();
        }

        Assert.True(condition());
    }

    private sealed class TestCatalog : ICommandCatalog, ICommandCatalogChanges
    {
        public event EventHandler? Changed;

        public IReadOnlyList<ApplicationCommandDefinition> Commands { get; private set; } = [];

        public void Set(params ApplicationCommandDefinition[] commands) => Commands = commands;

        public void Raise() => Changed?.Invoke(this, EventArgs.Empty);
    }
}
