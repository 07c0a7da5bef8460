using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NafflesBotKit.Events;
using NafflesBotKit.Host.Endpoints;
using NafflesBotKit.Plugins;
using NafflesBotKit.Runtime.Plugins;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Tests.Support;

/// <summary>
/// A real Kestrel host on a loopback port with the runtime, the core services (SQLite store, cache, guards) and the
/// host's plugin-endpoint middleware, running plugins in-process. Events published on its bus are recorded.
/// </summary>
public sealed class PluginTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<IDisposable> _subscriptions = [];

    private PluginTestHost(WebApplication app, string dataDirectory)
    {
        _app = app;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public Uri BaseUrl { get; private set; } = null!;

    public IServiceProvider Services => _app.Services;

    public PluginManager Plugins => Services.GetRequiredService<PluginManager>();

    public InteractionRouter Router => Services.GetRequiredService<InteractionRouter>();

    public IEventBus Bus => Services.GetRequiredService<IEventBus>();

    public IBotCache Cache => Services.GetRequiredService<IBotCache>();

    public ConcurrentQueue<object> Events { get; } = new();

    public IReadOnlyList<T> EventsOf<T>() => [.. Events.OfType<T>()];

    /// <summary>Starts the host; <paramref name="dataDirectory"/> lets a second host share the first one's SQLite file (a restart).</summary>
    public static async Task<PluginTestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null,
        string? dataDirectory = null)
    {
        dataDirectory ??= TestTemp.CreateDirectory("host-");
        var emptyPlugins = Directory.CreateDirectory(Path.Combine(dataDirectory, "no-plugins")).FullName;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plugins:Path"] = emptyPlugins,
            ["Plugins:DrainTimeout"] = "00:00:02",
            ["Storage:Path"] = Path.Combine(dataDirectory, "store.db"),
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddNafflesBotRuntime(builder.Configuration);
        builder.Services.AddNafflesBotServices(builder.Configuration);
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseMiddleware<PluginEndpointMiddleware>();
        var host = new PluginTestHost(app, dataDirectory);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return host;
    }

    /// <summary>Records every event of type <typeparamref name="T"/> published from now on.</summary>
    public void Record<T>()
        where T : class =>
        _subscriptions.Add(Bus.Subscribe<T>((e, _) =>
        {
            Events.Enqueue(e);
            return ValueTask.CompletedTask;
        }));

    public async Task<LoadedPlugin> AddAsync(BotPlugin plugin) =>
        await Plugins.AddInProcessAsync(plugin, CancellationToken.None) ?? throw new InvalidOperationException("plugin did not load: " + string.Join("; ", Plugins.Statuses.Select(s => s.Error)));

    /// <summary>Polls until <paramref name="condition"/> holds (a wait for background work, not a timing assertion).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 400; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException("gave up waiting for " + what);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        await Plugins.UnloadAllAsync(CancellationToken.None);
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
