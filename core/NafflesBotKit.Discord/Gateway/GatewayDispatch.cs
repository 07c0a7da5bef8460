using System.Text.Json;

namespace NafflesBotKit.Discord.Gateway;

/// <summary>
/// One dispatch (op 0) received by a shard. <see cref="Data"/> is the raw UTF-8 JSON of <c>d</c>, owned by this
/// object (safe to keep and to hand to another thread).
/// </summary>
/// <param name="ShardId">The shard that received it.</param>
/// <param name="Sequence">Its sequence number <c>s</c>.</param>
/// <param name="EventName">Its event name <c>t</c> (<c>INTERACTION_CREATE</c>, ...).</param>
/// <param name="Data">The raw JSON of <c>d</c>.</param>
public sealed record GatewayDispatch(int ShardId, long Sequence, string EventName, ReadOnlyMemory<byte> Data)
{
    /// <summary>Parses <see cref="Data"/> into a document (dispose it).</summary>
    public JsonDocument ParseData() => JsonDocument.Parse(Data);

    /// <summary>A reader over <see cref="Data"/> (allocation-free decoding).</summary>
    public Utf8JsonReader CreateReader() => new(Data.Span);
}

/// <summary>
/// Receives every dispatch of every shard, in order per shard. Called from a per-shard pump, not from the socket
/// loop, so a slow sink delays later events of that shard but never heartbeats; long work (interactions) must not be
/// awaited here: start it and return.
/// </summary>
public interface IGatewayEventSink
{
    /// <summary>Handles one dispatch.</summary>
    /// <param name="dispatch">The dispatch.</param>
    /// <param name="cancellationToken">Stops with the gateway.</param>
    ValueTask OnDispatchAsync(GatewayDispatch dispatch, CancellationToken cancellationToken);
}

/// <summary>
/// The seam for INTERACTION_CREATE: turns the raw dispatch into an SDK <c>Interaction</c> (the Discord layer's
/// <c>InteractionParser</c>) and routes it. <see cref="GatewayEventPublisher"/> calls it concurrently, one call per
/// interaction, never one at a time.
/// </summary>
public interface IGatewayInteractionHandler
{
    /// <summary>Handles one INTERACTION_CREATE.</summary>
    /// <param name="dispatch">The dispatch (its <see cref="GatewayDispatch.Data"/> is the Interaction object).</param>
    /// <param name="cancellationToken">Stops with the gateway.</param>
    ValueTask HandleAsync(GatewayDispatch dispatch, CancellationToken cancellationToken);
}
