using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace NafflesBotKit.Testing.Redis;

/// <summary>
/// A private redis-server on a free loopback port (no persistence), for tests of the Redis-backed stores. It never
/// skips: when redis-server cannot be found, <see cref="StartAsync"/> fails saying how to install it.
/// </summary>
public sealed class RedisTestServer : IAsyncDisposable
{
    private Process? _process;

    private RedisTestServer()
    {
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>A StackExchange.Redis connection string for it.</summary>
    public string Configuration => $"127.0.0.1:{Port},abortConnect=false";

    /// <summary>A unique key prefix, so tests sharing one server never see each other's keys.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    /// <summary>Starts a server and waits until it answers PING.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<RedisTestServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var path = FindServer() ?? throw new InvalidOperationException(
            "redis-server was not found (looked at $REDIS_SERVER, /usr/bin/redis-server, /usr/local/bin/redis-server and PATH). " +
            "Install it (Debian: apt-get install -y redis-server); the Redis-backed tests do not skip.");
        var server = new RedisTestServer { Port = FreePort() };
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        server._process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        server._process.OutputDataReceived += (_, _) => { };
        server._process.ErrorDataReceived += (_, _) => { };
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var connection = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port},connectTimeout=1000").ConfigureAwait(false);
                await connection.GetDatabase().PingAsync().ConfigureAwait(false);
                return server;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !server._process.HasExited)
            {
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
    }

    private static string? FindServer()
    {
        var candidates = new List<string?> { Environment.GetEnvironmentVariable("REDIS_SERVER"), "/usr/bin/redis-server", "/usr/local/bin/redis-server" };
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Select(d => Path.Combine(d, "redis-server")));
        return candidates.FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
