using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Testing.Discord;

namespace NafflesBotKit.Discord.Tests.Support;

/// <summary>
/// Moves a FakeTimeProvider forward only while the client is idle (no request reached the emulator for a short
/// real-time moment), so waits on the fake clock are what make progress. Nothing asserts on wall-clock time.
/// </summary>
internal static class FakeClock
{
    public static async Task DriveAsync(FakeTimeProvider time, DiscordEmulator emulator, Task work, TimeSpan step, int maxSteps = 10_000)
    {
        var steps = 0;
        while (!work.IsCompleted)
        {
            var before = emulator.Requests.Count;
            await Task.WhenAny(work, Task.Delay(20));
            if (work.IsCompleted)
            {
                break;
            }

            if (emulator.Requests.Count == before)
            {
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
