using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Runtime.Tests.Routing;

public sealed class CustomIdTemplateTests
{
    [Theory]
    [InlineData("task:complete:{taskId}", "task:complete:abc123", "taskId=abc123")]
    [InlineData("complete_task_{taskId}", "complete_task_64f1c2", "taskId=64f1c2")]
    [InlineData("list:{page}:{size}", "list:2:25", "page=2;size=25")]
    [InlineData("a:{x}:end", "a:hello:world:end", "x=hello:world")]
    [InlineData("help:topics", "help:topics", "")]
    public void TryMatch_Matching_CapturesValues(string template, string customId, string expected)
    {
        Assert.True(CustomIdTemplate.Parse(template).TryMatch(customId, out var captures));
        Assert.Equal(expected, string.Join(';', captures.Select(c => $"{c.Key}={c.Value}")));
    }

    [Theory]
    [InlineData("task:complete:{taskId}", "task:complete:")]
    [InlineData("task:complete:{taskId}", "task:view:1")]
    [InlineData("help:topics", "help:topics:extra")]
    [InlineData("a:{x}:end", "a:hello")]
    public void TryMatch_NotMatching_ReturnsFalse(string template, string customId) =>
        Assert.False(CustomIdTemplate.Parse(template).TryMatch(customId, out _));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{id}", "must start with literal text")]
    [InlineData("a:{id", "unclosed")]
    [InlineData("a:{x}{y}", "nothing between")]
    [InlineData("a:{x}:{x}", "twice")]
    [InlineData("a:{bad-name}", "invalid placeholder")]
    public void Parse_Invalid_ThrowsExplaining(string template, string fragment) =>
        Assert.Contains(fragment, Assert.Throws<FormatException>(() => CustomIdTemplate.Parse(template)).Message, StringComparison.Ordinal);

    [Fact]
    public void Parse_Over100Characters_NamesDiscordLimit() =>
        Assert.Contains("limit is 100", Assert.Throws<FormatException>(() => CustomIdTemplate.Parse(new string('a', 101))).Message, StringComparison.Ordinal);

    [Fact]
    public void Format_RoundTripsThroughMatch()
    {
        var template = CustomIdTemplate.Parse("task:complete:{taskId}");
        var id = template.Format(new Dictionary<string, string> { ["taskId"] = "42" });

        Assert.Equal("task:complete:42", id);
        Assert.True(template.TryMatch(id, out var captures));
        Assert.Equal("42", captures["taskid"]);
    }
}
