using NafflesBotKit.Messages;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class DiscordLimitsTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("abc", 3)]
    [InlineData("😀", 1)]
    [InlineData("a😀b", 3)]
    [InlineData("é", 1)]
    public void CountCharacters_CountsCodePoints(string? text, int expected) =>
        Assert.Equal(expected, DiscordLimits.CountCharacters(text));

    // Built in code: xunit's test-case serialization would mangle a lone surrogate in [InlineData].
    [Fact]
    public void CountCharacters_LoneSurrogate_CountsAsOne() =>
        Assert.Equal(2, DiscordLimits.CountCharacters(new string(['a', '\uD83D'])));

    [Fact]
    public void Truncate_TextThatFits_ReturnsSameInstance()
    {
        var text = LimitAssert.Text(10);
        Assert.Same(text, DiscordLimits.Truncate(text, 10));
    }

    [Fact]
    public void Truncate_TooLong_CutsToMaximumEndingWithEllipsis()
    {
        var result = DiscordLimits.Truncate(LimitAssert.Text(20), 10);
        Assert.Equal(LimitAssert.Text(9) + "…", result);
    }

    [Fact]
    public void Truncate_NeverSplitsSurrogatePairs()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 20));
        var result = DiscordLimits.Truncate(emoji, 10);
        Assert.Equal(string.Concat(Enumerable.Repeat("😀", 9)) + "…", result);
        Assert.Equal(10, DiscordLimits.CountCharacters(result));
    }

    [Fact]
    public void Truncate_TrimsWhitespaceBeforeEllipsis() =>
        Assert.Equal("ab…", DiscordLimits.Truncate("ab   cdef", 5));
}
