using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using NafflesBotKit.Runtime.Services;
using StackExchange.Redis;

namespace NafflesBotKit.Benchmarks;

/// <summary>A throwaway redis-server on a free loopback port (or the one in $BENCH_REDIS).</summary>
public sealed class LocalRedis : IAsyncDisposable
{
    private readonly Process? _process;

    private LocalRedis(string configuration, Process? process)
    {
        Configuration = configuration;
        _process = process;
    }

    public string Configuration { get; }

    public static async Task<LocalRedis> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("BENCH_REDIS") is { Length: > 0 } existing)
        {
            return new LocalRedis(existing, null);
        }

        var server = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server not found (apt-get install -y redis-server), or set BENCH_REDIS.");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var configuration = $"127.0.0.1:{port}";
        for (var i = 0; ; i++)
        {
            try
            {
                using var probe = await ConnectionMultiplexer.ConnectAsync(configuration + ",connectTimeout=500");
                await probe.GetDatabase().PingAsync();
                return new LocalRedis(configuration, process);
            }
            catch (RedisConnectionException) when (i < 100)
            {
                await Task.Delay(100);
            }
        }
    }

    public RedisConnection Connect() =>
        new(Options.Create(new RedisOptions { Configuration = Configuration, KeyPrefix = "bench" + Environment.ProcessId + ":" }));

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
