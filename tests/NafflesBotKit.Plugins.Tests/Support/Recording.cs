using System.Collections.Concurrent;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Services;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Plugins.Tests.Support;

/// <summary>Records what the router sends back (the transport boundary).</summary>
public sealed class RecordingResponder : IInteractionResponder
{
    private readonly ConcurrentQueue<MessagePayload> _messages = new();

    public IReadOnlyList<MessagePayload> Messages => [.. _messages];

    /// <summary>Every embed sent, flattened to "title / description / field name: value" text for assertions.</summary>
    public string Text => string.Join("\n", Messages.SelectMany(m => m.Embeds).Select(e =>
        $"{e.Title}\n{e.Description}\n{string.Join("\n", e.Fields.Select(f => f.Name + ": " + f.Value))}")
        .Concat(Messages.Select(m => m.Content ?? "")));

    public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken)
    {
        if (response.Message is { } message)
        {
            _messages.Enqueue(message);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.FromResult(1UL);
    }

    public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        _messages.Enqueue(message);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A health probe the test scripts: queued results, a call count, optional hang.</summary>
public sealed class ScriptedProbe(string name, TimeSpan? interval = null) : IHealthProbe
{
    private readonly ConcurrentQueue<Func<CancellationToken, Task<HealthProbeResult>>> _script = new();
    private int _calls;

    public string Name => name;

    public TimeSpan? Interval => interval;

    public int Calls => Volatile.Read(ref _calls);

    public void Then(HealthProbeResult result) => _script.Enqueue(_ => Task.FromResult(result));

    public void ThenHang() => _script.Enqueue(async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return HealthProbeResult.Ok();
    });

    public async ValueTask<HealthProbeResult> CheckAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return _script.TryDequeue(out var next) ? await next(cancellationToken) : HealthProbeResult.Ok(TimeSpan.FromMilliseconds(10));
    }
}

/// <summary>Interactions the way the Discord layer builds them.</summary>
public static class TestInteractions
{
    private static long _next = 5000;

    public const ulong GuildId = 111111111111111111;
    public const ulong ChannelId = 222222222222222222;

    public static Interaction Command(string name, ulong userId, Permissions member, Permissions app, params CommandOptionValue[] options) => new()
    {
        Id = (ulong)Interlocked.Increment(ref _next),
        ApplicationId = 999,
        Type = InteractionType.ApplicationCommand,
        Token = "token-" + Guid.NewGuid().ToString("N"),
        User = new DiscordUser(userId, "user" + userId),
        GuildId = GuildId,
        ChannelId = ChannelId,
        Locale = "en-US",
        AppPermissions = app,
        Member = new InteractionMember(member, []),
        Command = new CommandInteractionData { Id = 42, Name = name, Options = options },
    };

    public static CommandOptionValue Text(string name, string value) => new(name, CommandOptionType.String, value);
}
