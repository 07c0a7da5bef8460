using NafflesBotKit.Testing.Redis;

namespace NafflesBotKit.Plugins.Tests.Support;

/// <summary>The shared redis-server of this test run (<see cref="RedisTestServer"/>).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisTestServer? _server;

    public int Port => Server.Port;

    public string Configuration => Server.Configuration;

    public static string UniquePrefix() => RedisTestServer.UniquePrefix();

    public async Task InitializeAsync() => _server = await RedisTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private RedisTestServer Server => _server ?? throw new InvalidOperationException("the Redis fixture has not started");
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServerFixture>
{
    public const string Name = "redis";
}
