using System.Collections.Concurrent;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Runtime.Tests.Support;

/// <summary>One thing the router sent back for an interaction.</summary>
public sealed record SentResponse(string Kind, InteractionCallbackType? CallbackType, MessagePayload? Message, InteractionResponse? Response);

/// <summary>Records what the router sends; the transport boundary of router tests.</summary>
public sealed class RecordingResponder : IInteractionResponder
{
    private readonly ConcurrentQueue<SentResponse> _sent = new();
    private readonly SemaphoreSlim _signal = new(0);
    private long _followups;

    public IReadOnlyList<SentResponse> Sent => [.. _sent];

    public SentResponse Single() => Assert.Single(Sent);

    public async Task WaitForCountAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (_sent.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"expected {count} responses, got {_sent.Count}");
            }

            await _signal.WaitAsync(left);
        }
    }

    public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) =>
        Add(new SentResponse("callback", response.Type, response.Message, response));

    public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) =>
        Add(new SentResponse("edit-original", null, message, null));

    public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) =>
        Add(new SentResponse("delete-original", null, null, null));

    public async ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        await Add(new SentResponse("followup", null, message, null));
        return (ulong)Interlocked.Increment(ref _followups);
    }

    public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) =>
        Add(new SentResponse("edit-followup", null, message, null));

    private ValueTask Add(SentResponse response)
    {
        _sent.Enqueue(response);
        _signal.Release();
        return ValueTask.CompletedTask;
    }
}
