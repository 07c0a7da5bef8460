using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>
/// Moves a FakeTimeProvider forward only while the client is idle — no request past its rate-limit waits and none
/// reaching the emulator across two consecutive checks — so the fake clock never jumps while a request is in flight
/// and waits on it are what make progress. Nothing asserts on wall-clock time.
/// </summary>
internal static class FakeClock
{
    public static async Task DriveAsync(FakeTimeProvider time, DiscordEmulator emulator, DiscordRestClient client, Task work, TimeSpan step, int maxSteps = 10_000)
    {
        var steps = 0;
        var quiet = 0;
        var seen = -1;
        while (!work.IsCompleted)
        {
            await Task.WhenAny(work, Task.Delay(10));
            var count = emulator.Requests.Count;
            quiet = client.SendingCount == 0 && count == seen ? quiet + 1 : 0;
            seen = count;
            if (quiet >= 2 && !work.IsCompleted)
            {
                quiet = 0;
                time.Advance(step);
                if (++steps > maxSteps)
                {
                    throw new TimeoutException("The work did not finish within the fake-time budget.");
                }
            }
        }

        await work;
    }
}
