using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Naffles;
using NafflesBotKit.Naffles.Internal;
using NafflesBotKit.Testing.Naffles;
using System.Net;

namespace NafflesBotKit.Naffles.Tests;

/// <summary>A DI container with the real client, pointed at an emulator.</summary>
internal sealed class ClientHost : IAsyncDisposable
{
    private ClientHost(ServiceProvider services) => Services = services;

    public ServiceProvider Services { get; }

    public INafflesApi Api => Services.GetRequiredService<INafflesApi>();

    public NafflesRequestLog Log => Services.GetRequiredService<NafflesRequestLog>();

    public NafflesCircuitBreaker Breaker => Services.GetRequiredService<NafflesCircuitBreaker>();

    /// <summary>Real time, tiny retry delays, no jitter: for tests that do not measure time.</summary>
    public static ClientHost Create(NafflesEmulator emulator, Dictionary<string, string?>? settings = null, TimeProvider? time = null, double jitter = 0, ILoggerProvider? logs = null)
    {
        var config = new Dictionary<string, string?>
        {
            ["Naffles:BaseUrl"] = emulator.BaseUrl.AbsoluteUri,
            ["Naffles:ApiKey"] = emulator.ApiKey,
            ["Naffles:DebugLog:Enabled"] = "true",
        };
        if (time is null)
        {
            config["Naffles:Retry:BaseDelay"] = "00:00:00.001";
        }

        foreach (var (key, value) in settings ?? [])
        {
            config[key] = value;
        }

        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton(new NafflesJitter(() => jitter));
        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        }

        services.AddNafflesApi(new ConfigurationBuilder().AddInMemoryCollection(config).Build());
        return new ClientHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}

/// <summary>A FakeTimeProvider that reports every timer it creates, so a test can advance exactly when a delay is pending.</summary>
internal sealed class SignalingFakeTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public SignalingFakeTimeProvider()
        : base(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer that is not an attempt timeout (i.e. a retry delay).</summary>
    public async Task<TimeSpan> NextDelayAsync(TimeSpan attemptTimeout)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(cts.Token);
            if (due != attemptTimeout && due != Timeout.InfiniteTimeSpan)
            {
                return due;
            }
        }
    }
}

internal static class Wait
{
    /// <summary>Polls a condition in real time; the generous limit only turns a hang into a failure.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting until " + what);
            }

            await Task.Delay(5);
        }
    }
}

/// <summary>A loopback HTTP server that records what it receives (a webhook receiver for tests).</summary>
internal sealed class CapturingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Captured> _received = [];

    private CapturingServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<Captured> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<CapturingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new CapturingServer(app);
        app.Run(async ctx =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer);
            lock (server._received)
            {
                server._received.Add(new Captured(
                    ctx.Request.Path.Value ?? "",
                    ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                    buffer.ToArray()));
            }

            ctx.Response.StatusCode = 200;
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed record Captured(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body);
}

/// <summary>Collects formatted log lines.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel}: {formatter(state, exception)}");
            }
        }
    }
}
