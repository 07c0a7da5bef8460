using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Benchmarks.NoOpPlugin;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Benchmarks;

/// <summary>
/// Router dispatch with a no-op handler: routing, option binding / capture matching, DI scope, context and the
/// reply through a transport that does nothing. Interactions per second = 1 / Mean.
/// </summary>
[MemoryDiagnoser]
public class RouterBenchmarks
{
    private ServiceProvider _services = null!;
    private InteractionRouter _router = null!;
    private readonly NullResponder _responder = new();
    private Interaction _command = null!;
    private Interaction _commandWithOptions = null!;
    private Interaction _button = null!;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Plugins:Path"] = Path.GetTempPath() }).Build();
        _services = new ServiceCollection().AddNafflesBotRuntime(configuration).BuildServiceProvider();
        var manager = _services.GetRequiredService<NafflesBotKit.Runtime.Plugins.PluginManager>();
        _ = manager.AddInProcessAsync(new NoOpBenchPlugin(), CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new InvalidOperationException("bench plugin failed to load");
        _router = _services.GetRequiredService<InteractionRouter>();
        var user = new DiscordUser(333333333333333333, "bench");
        var member = new InteractionMember(Permissions.None, []);
        _command = new Interaction { Id = 1, ApplicationId = 2, Type = InteractionType.ApplicationCommand, Token = "t", User = user, Member = member, GuildId = 10, ChannelId = 11, Command = new CommandInteractionData { Name = "bench-ping" } };
        _commandWithOptions = _command with
        {
            Command = new CommandInteractionData
            {
                Name = "bench-opts",
                Options = [new("title", CommandOptionType.String, "hello"), new("points", CommandOptionType.Integer, 100L), new("public", CommandOptionType.Boolean, true)],
            },
        };
        _button = _command with { Type = InteractionType.MessageComponent, Command = null, Component = new ComponentInteractionData("bench:complete:12345", 2, []) };
    }

    [GlobalCleanup]
    public void Cleanup() => _services.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true)]
    public ValueTask<DispatchOutcome> Command() => _router.DispatchAsync(_command, _responder, CancellationToken.None);

    [Benchmark]
    public ValueTask<DispatchOutcome> CommandWithOptions() => _router.DispatchAsync(_commandWithOptions, _responder, CancellationToken.None);

    [Benchmark]
    public ValueTask<DispatchOutcome> ButtonWithCapture() => _router.DispatchAsync(_button, _responder, CancellationToken.None);

    private sealed class NullResponder : IInteractionResponder
    {
        public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => ValueTask.FromResult(1UL);

        public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}

/// <summary>
/// Time from an empty container to a runtime whose isolated plugins (the two test fixtures, each in its own
/// collectible load context) are loaded, validated, started and routable, then unloaded.
/// </summary>
public class PluginStartupBenchmarks
{
    private static readonly string PluginsDir = typeof(PluginStartupBenchmarks).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "TestPluginsDir").Value!;

    [Benchmark]
    public async Task<int> StartToReady_TwoIsolatedPlugins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plugins:Path"] = PluginsDir,
            ["Plugins:Enabled:0"] = "test.alpha",
            ["Plugins:Enabled:1"] = "test.beta",
        }).Build();
        await using var services = new ServiceCollection().AddNafflesBotRuntime(configuration).BuildServiceProvider();
        var manager = services.GetRequiredService<NafflesBotKit.Runtime.Plugins.PluginManager>();
        await manager.LoadAllAsync(CancellationToken.None);
        var commands = services.GetRequiredService<RouteRegistry>().Commands.Count;
        await manager.UnloadAllAsync(CancellationToken.None);
        return commands == 3 ? commands : throw new InvalidOperationException($"expected 3 commands, got {commands}");
    }
}
