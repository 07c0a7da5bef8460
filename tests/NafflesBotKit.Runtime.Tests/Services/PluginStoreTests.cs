using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Runtime.Services.Store;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Tests.Services;

/// <summary>The contract of the plugin store; every backend runs the same suite.</summary>
public abstract class PluginStoreTests : IAsyncLifetime
{
    private const ulong Guild = 111;
    private const ulong OtherGuild = 222;
    private IKeyValueBackend _backend = null!;

    protected FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static TestJsonContext Json => TestJsonContext.Default;

    public async Task InitializeAsync() => _backend = await OpenBackendAsync();

    public async Task DisposeAsync() => await CloseBackendAsync(_backend);

    /// <summary>Opens the backend over the test's storage (the same storage every time it is called).</summary>
    protected abstract ValueTask<IKeyValueBackend> OpenBackendAsync();

    protected abstract ValueTask CloseBackendAsync(IKeyValueBackend backend);

    [Fact]
    public async Task SetAsync_ThenGetAsync_ReturnsTheDocument()
    {
        var store = Store("naffles.social-tasks");
        var mapping = new MessageMapping(5, 6, "task-1");

        await store.SetAsync("messages/task-1", mapping, Json.MessageMapping);

        Assert.Equal(mapping, await store.GetAsync("messages/task-1", Json.MessageMapping));
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsDefault()
    {
        Assert.Null(await Store("p").GetAsync("nope", Json.MessageMapping));
        Assert.Equal(0, await Store("p").GetAsync("nope", Json.Int32));
    }

    [Fact]
    public async Task SetAsync_ExistingKey_ReplacesValueAndTtl()
    {
        var store = Store("p");
        await store.SetAsync("k", "one", Json.String, TimeSpan.FromMinutes(1));
        await store.SetAsync("k", "two", Json.String);
        Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("two", await store.GetAsync("k", Json.String));
    }

    [Fact]
    public async Task DeleteAsync_ExistingKey_RemovesItAndReportsIt()
    {
        var store = Store("p");
        await store.SetAsync("k", "v", Json.String);

        Assert.True(await store.DeleteAsync("k"));
        Assert.False(await store.DeleteAsync("k"));
        Assert.Null(await store.GetAsync("k", Json.String));
        Assert.Empty(await store.ListKeysAsync());
    }

    [Fact]
    public async Task ListKeysAsync_ByPrefix_ReturnsOnlyMatchingKeysInOrdinalOrder()
    {
        var store = Store("p");
        foreach (var key in new[] { "messages/b", "messages/a", "messages/B", "messagesX", "health/1", "messages/ä" })
        {
            await store.SetAsync(key, key, Json.String);
        }

        Assert.Equal(["messages/B", "messages/a", "messages/b", "messages/ä"], await store.ListKeysAsync("messages/"));
        Assert.Equal(6, (await store.ListKeysAsync()).Count);
        Assert.Empty(await store.ListKeysAsync("zzz"));
    }

    [Fact]
    public async Task Stores_OfDifferentPlugins_DoNotSeeEachOthersData()
    {
        var tasks = Store("naffles.social-tasks");
        var allowlists = Store("naffles.allowlists");
        await tasks.SetAsync("settings", "tasks", Json.String);
        await tasks.ForGuild(Guild).SetAsync("settings", "tasks-guild", Json.String);

        Assert.Null(await allowlists.GetAsync("settings", Json.String));
        Assert.Null(await allowlists.ForGuild(Guild).GetAsync("settings", Json.String));
        Assert.Empty(await allowlists.ListKeysAsync());
        Assert.False(await allowlists.DeleteAsync("settings"));
        Assert.Equal("tasks", await tasks.GetAsync("settings", Json.String));
    }

    [Fact]
    public async Task ForGuild_IsSeparateFromGlobalAndFromOtherGuilds()
    {
        var store = Store("p");
        await store.SetAsync("settings", new GuildSettings("global", true, []), Json.GuildSettings);
        await store.ForGuild(Guild).SetAsync("settings", new GuildSettings("g1", false, ["1", "2"]), Json.GuildSettings);

        Assert.Equal("global", (await store.GetAsync("settings", Json.GuildSettings))!.Prefix);
        var guild = await store.ForGuild(Guild).GetAsync("settings", Json.GuildSettings);
        Assert.Equal("g1", guild!.Prefix);
        Assert.Equal(["1", "2"], guild.Channels);
        Assert.Null(await store.ForGuild(OtherGuild).GetAsync("settings", Json.GuildSettings));
        Assert.Equal(Guild, store.ForGuild(Guild).GuildId);
    }

    [Fact]
    public async Task DeleteGuildAsync_RemovesThatGuildsDataOfEveryPlugin_AndNothingElse()
    {
        await Store("a").ForGuild(Guild).SetAsync("x", "1", Json.String);
        await Store("a").ForGuild(Guild).SetAsync("y", "2", Json.String);
        await Store("b").ForGuild(Guild).SetAsync("x", "3", Json.String);
        await Store("a").ForGuild(OtherGuild).SetAsync("x", "4", Json.String);
        await Store("a").SetAsync("x", "5", Json.String);

        var deleted = await _backend.DeleteGuildAsync(Guild, CancellationToken.None);

        Assert.Equal(3, deleted);
        Assert.Empty(await Store("a").ForGuild(Guild).ListKeysAsync());
        Assert.Null(await Store("b").ForGuild(Guild).GetAsync("x", Json.String));
        Assert.Equal("4", await Store("a").ForGuild(OtherGuild).GetAsync("x", Json.String));
        Assert.Equal("5", await Store("a").GetAsync("x", Json.String));
    }

    [Fact]
    public async Task TimeToLive_WhenElapsed_ValueIsGoneFromReadsAndLists()
    {
        var store = Store("naffles.webhooks");
        await store.SetAsync("seen/d1", "1", Json.String, TimeSpan.FromMinutes(10));
        await store.SetAsync("seen/keep", "1", Json.String);

        Time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("1", await store.GetAsync("seen/d1", Json.String));

        Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await store.GetAsync("seen/d1", Json.String));
        Assert.Equal(["seen/keep"], await store.ListKeysAsync("seen/"));
        Assert.False(await store.DeleteAsync("seen/d1"));
    }

    [Fact]
    public async Task TryAddAsync_FirstWriterWins_UntilTheValueExpires()
    {
        var store = Store("naffles.webhooks");

        Assert.True(await store.TryAddAsync("seen/delivery-1", "first", Json.String, TimeSpan.FromHours(1)));
        Assert.False(await store.TryAddAsync("seen/delivery-1", "second", Json.String, TimeSpan.FromHours(1)));
        Assert.Equal("first", await store.GetAsync("seen/delivery-1", Json.String));

        Time.Advance(TimeSpan.FromHours(1));
        Assert.True(await store.TryAddAsync("seen/delivery-1", "third", Json.String));
        Assert.Equal("third", await store.GetAsync("seen/delivery-1", Json.String));
    }

    [Fact]
    public async Task TryAddAsync_ConcurrentWriters_ExactlyOneWins()
    {
        var store = Store("naffles.webhooks");
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => store.TryAddAsync("seen/race", i.ToString(System.Globalization.CultureInfo.InvariantCulture), Json.String).AsTask()));

        Assert.Equal(1, results.Count(r => r));
    }

    [Fact]
    public async Task Data_SurvivesRestart_WriteCloseReopenRead()
    {
        await Store("p").ForGuild(Guild).SetAsync("messages/t1", new MessageMapping(1, 2, "t1"), Json.MessageMapping);
        await CloseBackendAsync(_backend);

        _backend = await OpenBackendAsync();

        Assert.Equal(new MessageMapping(1, 2, "t1"), await Store("p").ForGuild(Guild).GetAsync("messages/t1", Json.MessageMapping));
        Assert.Equal(["messages/t1"], await Store("p").ForGuild(Guild).ListKeysAsync("messages/"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad\nkey")]
    public async Task SetAsync_InvalidKey_Throws(string key) =>
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store("p").SetAsync(key, "v", Json.String));

    private PluginStore Store(string plugin) => new(_backend, Time, plugin);
}

public sealed class SqlitePluginStoreTests : PluginStoreTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nbk-store-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task FirstUse_CreatesTheFolderAndAWalDatabase()
    {
        var backend = await OpenBackendAsync();
        await new PluginStore(backend, Time, "p").SetAsync("k", "v", TestJsonContext.Default.String);

        Assert.True(File.Exists(Path.Combine(_folder, "sub", "bot.db")));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_folder, "sub", "bot.db")};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        await CloseBackendAsync(backend);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    protected override ValueTask<IKeyValueBackend> OpenBackendAsync() =>
        ValueTask.FromResult<IKeyValueBackend>(new SqliteKeyValueBackend(Options.Create(new StorageOptions { Path = Path.Combine(_folder, "sub", "bot.db") }), Time));

    protected override ValueTask CloseBackendAsync(IKeyValueBackend backend) => ((SqliteKeyValueBackend)backend).DisposeAsync();
}

[Collection(RedisCollection.Name)]
public sealed class RedisPluginStoreTests(RedisServerFixture redis) : PluginStoreTests
{
    private readonly string _prefix = RedisServerFixture.UniquePrefix();
    private readonly List<RedisConnection> _connections = [];

    protected override ValueTask<IKeyValueBackend> OpenBackendAsync()
    {
        var connection = redis.CreateConnection(_prefix);
        _connections.Add(connection);
        return ValueTask.FromResult<IKeyValueBackend>(new RedisKeyValueBackend(connection, Time));
    }

    protected override async ValueTask CloseBackendAsync(IKeyValueBackend backend)
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _connections.Clear();
    }
}

public sealed class PluginStoreSharingTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "nbk-share-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteKeyValueBackend _backend;
    private readonly PluginStoreFactory _factory;

    public PluginStoreSharingTests()
    {
        var options = new StorageOptions { Path = Path.Combine(_folder, "bot.db") };
        options.Shares["naffles.communities"] = ["naffles.social-tasks"];
        _backend = new SqliteKeyValueBackend(Options.Create(options), TimeProvider.System);
        _factory = new PluginStoreFactory(_backend, TimeProvider.System, Options.Create(options));
    }

    [Fact]
    public async Task OpenShared_WhenConfigured_ReadsTheOwnersDataInTheSameGuildScope()
    {
        await _factory.For("naffles.communities").ForGuild(1).SetAsync("link", "community-9", TestJsonContext.Default.String);

        var shared = _factory.For("naffles.social-tasks").ForGuild(1).OpenShared("naffles.communities");

        Assert.Equal("naffles.communities", shared.PluginId);
        Assert.Equal("community-9", await shared.GetAsync("link", TestJsonContext.Default.String));
    }

    [Fact]
    public void OpenShared_NotConfigured_IsRefused()
    {
        Assert.Throws<UnauthorizedAccessException>(() => _factory.For("naffles.allowlists").OpenShared("naffles.communities"));
        Assert.Throws<UnauthorizedAccessException>(() => _factory.For("naffles.communities").OpenShared("naffles.social-tasks"));
    }

    [Fact]
    public void OpenShared_IsNotTransitive()
    {
        var shared = _factory.For("naffles.social-tasks").OpenShared("naffles.communities");

        Assert.Throws<UnauthorizedAccessException>(() => shared.OpenShared("naffles.social-tasks"));
    }

    public void Dispose()
    {
        _backend.Dispose();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
