using NafflesBotKit.Messages;
using static NafflesBotKit.Abstractions.Tests.Messages.LimitAssert;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class ComponentBuilderTests
{
    [Fact]
    public void Build_ButtonsAndSelect_LaysOutRows()
    {
        var rows = new ComponentBuilder()
            .WithButton("Enter", "enter", ButtonStyle.Success, emoji: "🎟️")
            .WithSelectMenu("pick", Options(3), placeholder: "Pick one", minValues: 0, maxValues: 2)
            .WithLinkButton("Site", "https://naffles.com")
            .WithButton("Off", "off", ButtonStyle.Danger, disabled: true)
            .Build();

        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(ComponentType.ActionRow, row.Type));
        Assert.Collection(
            rows[0].Components,
            c => Assert.Equal(new Button { Style = ButtonStyle.Success, Label = "Enter", CustomId = "enter", Emoji = "🎟️" }, c),
            c => Assert.Equal(new Button { Style = ButtonStyle.Link, Label = "Site", Url = "https://naffles.com" }, c),
            c => Assert.Equal(new Button { Style = ButtonStyle.Danger, Label = "Off", CustomId = "off", Disabled = true }, c));
        var select = Assert.IsType<SelectMenu>(Assert.Single(rows[1].Components));
        Assert.Equal(ComponentType.StringSelect, select.Type);
        Assert.Equal("pick", select.CustomId);
        Assert.Equal(3, select.Options.Count);
        Assert.Equal("Pick one", select.Placeholder);
        Assert.Equal(0, select.MinValues);
        Assert.Equal(2, select.MaxValues);
    }

    [Fact]
    public void Build_SixAutoPlacedButtons_FillFirstRowThenSecond()
    {
        var rows = Buttons(6).Build();
        Assert.Equal(5, rows[0].Components.Count);
        Assert.Single(rows[1].Components);
    }

    [Fact]
    public void Build_ExplicitRows_KeepsOrderAndDropsEmptyRows()
    {
        var rows = new ComponentBuilder()
            .WithButton("b", "b", row: 3)
            .WithButton("a", "a", row: 1)
            .Build();

        Assert.Equal(2, rows.Count);
        Assert.Equal("a", ((Button)rows[0].Components[0]).CustomId);
        Assert.Equal("b", ((Button)rows[1].Components[0]).CustomId);
    }

    [Fact]
    public void WithButton_RowBelowMinusOne_ThrowsImmediately() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ComponentBuilder().WithButton("a", "a", row: -2));

    [Fact]
    public void Build_FiveRows_Passes() =>
        Assert.Equal(5, Buttons(25).Build().Count);

    [Fact]
    public void Build_SixRows_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.ActionRows), 5, 6, () => Buttons(26).Build());

    [Fact]
    public void Build_ExplicitRowNumber5_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.ActionRows), 5, 6, () => new ComponentBuilder().WithButton("a", "a", row: 5).Build());

    [Fact]
    public void Build_FiveButtonsInOneRow_Passes() =>
        Assert.Single(ButtonsInRow0(5).Build());

    [Fact]
    public void Build_SixButtonsInOneRow_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.ButtonsPerRow), 5, 6, () => ButtonsInRow0(6).Build());

    [Fact]
    public void Build_SelectSharingRowWithButton_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder()
            .WithSelectMenu("s", Options(1), row: 0)
            .WithButton("a", "a", row: 0)
            .Build());

    [Fact]
    public void Build_DuplicateCustomId_ThrowsArgumentException()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ComponentBuilder()
            .WithButton("a", "same")
            .WithSelectMenu("same", Options(1))
            .Build());
        Assert.Contains("'same'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Build_CustomIdAt100_Passes(bool select) =>
        Assert.Single(WithCustomId(select, Text(100)).Build());

    [Theory]
    [InlineData(true, 101)]
    [InlineData(false, 101)]
    [InlineData(true, 0)]
    [InlineData(false, 0)]
    public void Build_CustomIdOutside1To100_ThrowsNamingLimit(bool select, int length) =>
        Throws(nameof(DiscordLimits.CustomIdLength), 100, length, () => WithCustomId(select, Text(length)).Build());

    [Fact]
    public void Build_ButtonLabelAt80_Passes() =>
        Assert.Single(new ComponentBuilder().WithButton(Text(80), "a").Build());

    [Fact]
    public void Build_ButtonLabelOver80_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.ButtonLabelLength), 80, 81, () => new ComponentBuilder().WithButton(Text(81), "a").Build());

    [Fact]
    public void Build_UrlAt512_Passes() =>
        Assert.Single(new ComponentBuilder().WithLinkButton("a", Url(512)).Build());

    [Fact]
    public void Build_UrlOver512_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.UrlLength), 512, 513, () => new ComponentBuilder().WithLinkButton("a", Url(513)).Build());

    [Fact]
    public void Build_LinkStyleViaWithButton_ThrowsBecauseLinkButtonsHaveNoCustomId() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder().WithButton("a", "a", ButtonStyle.Link).Build());

    [Fact]
    public void Build_ButtonWithEmojiOnly_Passes() =>
        Assert.Single(new ComponentBuilder().WithButton("", "a", emoji: "🎉").Build());

    [Fact]
    public void Build_ButtonWithoutLabelOrEmoji_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder().WithButton("", "a").Build());

    [Fact]
    public void Build_25Options_Passes() =>
        Assert.Single(new ComponentBuilder().WithSelectMenu("s", Options(25), maxValues: 25).Build());

    [Theory]
    [InlineData(26)]
    [InlineData(0)]
    public void Build_OptionsOutside1To25_ThrowsNamingLimit(int count) =>
        Throws(nameof(DiscordLimits.SelectOptions), 25, count, () => new ComponentBuilder().WithSelectMenu("s", Options(count)).Build());

    [Theory]
    [InlineData(nameof(DiscordLimits.SelectOptionLabelLength))]
    [InlineData(nameof(DiscordLimits.SelectOptionValueLength))]
    [InlineData(nameof(DiscordLimits.SelectOptionDescriptionLength))]
    [InlineData(nameof(DiscordLimits.SelectPlaceholderLength))]
    public void Build_SelectTextAtLimit_Passes(string limit) =>
        Assert.Single(SelectWithText(limit, Text(SelectMax(limit))).Build());

    [Theory]
    [InlineData(nameof(DiscordLimits.SelectOptionLabelLength))]
    [InlineData(nameof(DiscordLimits.SelectOptionValueLength))]
    [InlineData(nameof(DiscordLimits.SelectOptionDescriptionLength))]
    [InlineData(nameof(DiscordLimits.SelectPlaceholderLength))]
    public void Build_SelectTextOverLimit_ThrowsNamingLimit(string limit)
    {
        var max = SelectMax(limit);
        Throws(limit, max, max + 1, () => SelectWithText(limit, Text(max + 1)).Build());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(25, 25)]
    [InlineData(0, 25)]
    public void Build_MinAndMaxValuesWithinRange_Passes(int min, int max) =>
        Assert.Single(new ComponentBuilder().WithSelectMenu("s", Options(25), minValues: min, maxValues: max).Build());

    [Theory]
    [InlineData(-1, 1, -1)]
    [InlineData(26, 26, 26)]
    [InlineData(0, 26, 26)]
    [InlineData(0, 0, 0)]
    public void Build_MinOrMaxValuesOutsideRange_ThrowsNamingLimit(int min, int max, int actual) =>
        Throws(nameof(DiscordLimits.SelectOptions), 25, actual,
            () => new ComponentBuilder().WithSelectMenu("s", Options(25), minValues: min, maxValues: max).Build());

    [Fact]
    public void Build_MinValuesAboveMaxValues_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder().WithSelectMenu("s", Options(5), minValues: 3, maxValues: 2).Build());

    [Fact]
    public void Build_MaxValuesAboveOptionCount_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder().WithSelectMenu("s", Options(3), maxValues: 4).Build());

    [Fact]
    public void Build_DuplicateOptionValues_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new ComponentBuilder()
            .WithSelectMenu("s", [new SelectOption("A", "x"), new SelectOption("B", "x")])
            .Build());

    [Fact]
    public void Build_SelectMenu_CopiesOptionsWhenAdded()
    {
        var options = new List<SelectOption> { new("A", "a") };
        var builder = new ComponentBuilder().WithSelectMenu("s", options);
        options.Add(new SelectOption("B", "b"));

        var select = (SelectMenu)builder.Build()[0].Components[0];
        Assert.Single(select.Options);
    }

    private static ComponentBuilder Buttons(int count)
    {
        var builder = new ComponentBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.WithButton($"b{i}", $"b{i}");
        }

        return builder;
    }

    private static ComponentBuilder ButtonsInRow0(int count)
    {
        var builder = new ComponentBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.WithButton($"b{i}", $"b{i}", row: 0);
        }

        return builder;
    }

    private static ComponentBuilder WithCustomId(bool select, string customId) =>
        select
            ? new ComponentBuilder().WithSelectMenu(customId, Options(1))
            : new ComponentBuilder().WithButton("a", customId);

    internal static SelectOption[] Options(int count) =>
        Enumerable.Range(0, count).Select(i => new SelectOption($"Option {i}", $"v{i}")).ToArray();

    private static string Url(int length) => "https://naffles.com/" + Text(length - "https://naffles.com/".Length);

    private static int SelectMax(string limit) => limit switch
    {
        nameof(DiscordLimits.SelectOptionLabelLength) => DiscordLimits.SelectOptionLabelLength,
        nameof(DiscordLimits.SelectOptionValueLength) => DiscordLimits.SelectOptionValueLength,
        nameof(DiscordLimits.SelectOptionDescriptionLength) => DiscordLimits.SelectOptionDescriptionLength,
        nameof(DiscordLimits.SelectPlaceholderLength) => DiscordLimits.SelectPlaceholderLength,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    private static ComponentBuilder SelectWithText(string limit, string text) => limit switch
    {
        nameof(DiscordLimits.SelectOptionLabelLength) => new ComponentBuilder().WithSelectMenu("s", [new SelectOption(text, "v")]),
        nameof(DiscordLimits.SelectOptionValueLength) => new ComponentBuilder().WithSelectMenu("s", [new SelectOption("l", text)]),
        nameof(DiscordLimits.SelectOptionDescriptionLength) => new ComponentBuilder().WithSelectMenu("s", [new SelectOption("l", "v", text)]),
        nameof(DiscordLimits.SelectPlaceholderLength) => new ComponentBuilder().WithSelectMenu("s", Options(1), placeholder: text),
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };
}
