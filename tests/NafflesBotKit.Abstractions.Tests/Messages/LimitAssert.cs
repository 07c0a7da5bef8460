using NafflesBotKit.Messages;

namespace NafflesBotKit.Abstractions.Tests.Messages;

/// <summary>Assertions shared by the message-builder tests.</summary>
internal static class LimitAssert
{
    /// <summary>Asserts that <paramref name="act"/> throws a <see cref="DiscordLimitException"/> for the given limit.</summary>
    public static DiscordLimitException Throws(string limit, int maximum, int actual, Action act)
    {
        var ex = Assert.Throws<DiscordLimitException>(act);
        Assert.Equal(limit, ex.Limit);
        Assert.Equal(maximum, ex.Maximum);
        Assert.Equal(actual, ex.Actual);
        Assert.Contains($"(DiscordLimits.{limit})", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    /// <summary>A string of <paramref name="length"/> characters.</summary>
    public static string Text(int length, char c = 'a') => new(c, length);
}
