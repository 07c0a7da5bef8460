using Microsoft.Extensions.Options;
using NafflesBotKit.Runtime.Services;
using NafflesBotKit.Testing.Redis;

namespace NafflesBotKit.Runtime.Tests.Services;

/// <summary>The shared redis-server of this test run (<see cref="RedisTestServer"/>).</summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisTestServer? _server;

    public int Port => Server.Port;

    public string Configuration => Server.Configuration;

    /// <summary>A connection holder with a unique key prefix, so tests sharing the server never see each other's keys.</summary>
    public RedisConnection CreateConnection(string? prefix = null) =>
        new(Options.Create(new RedisOptions { Configuration = Configuration, KeyPrefix = prefix ?? UniquePrefix() }));

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
