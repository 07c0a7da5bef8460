using NafflesBotKit.Interactions;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Benchmarks.NoOpPlugin;

/// <summary>An in-process plugin whose handlers do nothing but answer.</summary>
public sealed class NoOpBenchPlugin : BotPlugin
{
    public override PluginManifest Manifest { get; } = new("bench.noop", "1.0.0", "[1.0,2.0)", "Benchmark plugin");
}

[Command("bench-ping", "No-op")]
internal sealed class PingCommand : CommandHandler
{
    public override ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken) =>
        context.ReplyAsync("pong", cancellationToken: cancellationToken);
}

public sealed class BenchOptions
{
    [Option("title", "Title", MaxLength = 100)]
    public string Title { get; set; } = string.Empty;

    [Option("points", "Points", MinValue = 1, MaxValue = 10000)]
    public long Points { get; set; }

    [Option("public", "Public")]
    public bool? Public { get; set; }
}

[Command("bench-opts", "No-op with options")]
internal sealed class OptionsCommand : CommandHandler<BenchOptions>
{
    public override ValueTask HandleAsync(CommandContext context, BenchOptions options, CancellationToken cancellationToken) =>
        context.ReplyAsync("ok", cancellationToken: cancellationToken);
}

public sealed class CompleteArgs
{
    public long TaskId { get; set; }
}

[Component("bench:complete:{taskId}")]
internal sealed class CompleteButton : ComponentHandler<CompleteArgs>
{
    public override ValueTask HandleAsync(ComponentContext context, CompleteArgs arguments, CancellationToken cancellationToken) =>
        context.ReplyAsync("done", cancellationToken: cancellationToken);
}
