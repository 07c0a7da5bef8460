namespace NafflesBotKit.Discord.Rest;

/// <summary>
/// The bot's global REST limit shared by every process of the bot (Discord counts requests per bot, not per process).
/// Each process also keeps its own sliding window; this decides across processes. The Redis implementation is
/// registered by the host when <c>Redis:Configuration</c> is set.
/// </summary>
public interface IDiscordGlobalRateLimit
{
    /// <summary>Takes one slot of the shared per-second budget, or says how long to wait before asking again.</summary>
    /// <param name="requestsPerSecond">The budget.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns><see cref="TimeSpan.Zero"/> when the slot was taken; otherwise the wait.</returns>
    ValueTask<TimeSpan> TryAcquireAsync(int requestsPerSecond, CancellationToken cancellationToken);
}
