using NafflesBotKit.Messages;
using static NafflesBotKit.Abstractions.Tests.Messages.LimitAssert;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class ModalBuilderTests
{
    [Fact]
    public void Build_TwoInputs_PutsEachInItsOwnRow()
    {
        var modal = new ModalBuilder("create-raffle", "Create raffle")
            .AddTextInput("name", "Name", placeholder: "My raffle")
            .AddTextInput("rules", "Rules", TextInputStyle.Paragraph, minLength: 10, maxLength: 500, required: false, value: "Be nice, everyone")
            .Build();

        Assert.Equal("create-raffle", modal.CustomId);
        Assert.Equal("Create raffle", modal.Title);
        Assert.Equal(2, modal.Components.Count);
        var name = Assert.IsType<TextInput>(Assert.Single(modal.Components[0].Components));
        Assert.Equal(new TextInput { CustomId = "name", Label = "Name", Placeholder = "My raffle" }, name);
        Assert.Equal(ComponentType.TextInput, name.Type);
        Assert.True(name.Required);
        var rules = Assert.IsType<TextInput>(Assert.Single(modal.Components[1].Components));
        Assert.Equal(
            new TextInput
            {
                CustomId = "rules", Label = "Rules", Style = TextInputStyle.Paragraph, MinLength = 10, MaxLength = 500,
                Required = false, Value = "Be nice, everyone",
            },
            rules);
    }

    [Fact]
    public void Build_ModalCustomIdAt100_Passes() =>
        Assert.Equal(Text(100), new ModalBuilder(Text(100), "t").AddTextInput("a", "a").Build().CustomId);

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    public void Build_ModalCustomIdOutside1To100_ThrowsNamingLimit(int length) =>
        Throws(nameof(DiscordLimits.CustomIdLength), 100, length, () => new ModalBuilder(Text(length), "t").AddTextInput("a", "a").Build());

    [Fact]
    public void Build_TitleAt45_Passes() =>
        Assert.Equal(Text(45), new ModalBuilder("m", Text(45)).AddTextInput("a", "a").Build().Title);

    [Theory]
    [InlineData(46)]
    [InlineData(0)]
    public void Build_TitleOutside1To45_ThrowsNamingLimit(int length)
    {
        var ex = Throws(nameof(DiscordLimits.ModalTitleLength), 45, length, () => new ModalBuilder("m", Text(length)).AddTextInput("a", "a").Build());
        Assert.StartsWith("Modal title", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_FiveInputs_Passes() =>
        Assert.Equal(5, Inputs(5).Build().Components.Count);

    [Theory]
    [InlineData(6)]
    [InlineData(0)]
    public void Build_InputsOutside1To5_ThrowsNamingLimit(int count) =>
        Throws(nameof(DiscordLimits.ActionRows), 5, count, () => Inputs(count).Build());

    [Fact]
    public void Build_InputCustomIdAt100_Passes() =>
        Assert.Single(Modal().AddTextInput(Text(100), "a").Build().Components);

    [Theory]
    [InlineData(101)]
    [InlineData(0)]
    public void Build_InputCustomIdOutside1To100_ThrowsNamingLimit(int length) =>
        Throws(nameof(DiscordLimits.CustomIdLength), 100, length, () => Modal().AddTextInput(Text(length), "a").Build());

    [Fact]
    public void Build_LabelAt45_Passes() =>
        Assert.Single(Modal().AddTextInput("a", Text(45)).Build().Components);

    [Theory]
    [InlineData(46)]
    [InlineData(0)]
    public void Build_LabelOutside1To45_ThrowsNamingLimit(int length) =>
        Throws(nameof(DiscordLimits.TextInputLabelLength), 45, length, () => Modal().AddTextInput("a", Text(length)).Build());

    [Fact]
    public void Build_PlaceholderAt100_Passes() =>
        Assert.Single(Modal().AddTextInput("a", "a", placeholder: Text(100)).Build().Components);

    [Fact]
    public void Build_PlaceholderOver100_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.TextInputPlaceholderLength), 100, 101, () => Modal().AddTextInput("a", "a", placeholder: Text(101)).Build());

    [Theory]
    [InlineData(0, 1)]
    [InlineData(4000, 4000)]
    [InlineData(null, 4000)]
    [InlineData(4000, null)]
    public void Build_MinAndMaxLengthWithinRange_Passes(int? min, int? max) =>
        Assert.Single(Modal().AddTextInput("a", "a", minLength: min, maxLength: max).Build().Components);

    [Theory]
    [InlineData(4001, null, 4001)]
    [InlineData(-1, null, -1)]
    [InlineData(null, 4001, 4001)]
    [InlineData(null, 0, 0)]
    public void Build_MinOrMaxLengthOutsideRange_ThrowsNamingLimit(int? min, int? max, int actual) =>
        Throws(nameof(DiscordLimits.TextInputValueLength), 4000, actual,
            () => Modal().AddTextInput("a", "a", minLength: min, maxLength: max).Build());

    [Fact]
    public void Build_MinLengthAboveMaxLength_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Modal().AddTextInput("a", "a", minLength: 10, maxLength: 5).Build());

    [Fact]
    public void Build_ValueAt4000_Passes() =>
        Assert.Single(Modal().AddTextInput("a", "a", TextInputStyle.Paragraph, value: Text(4000)).Build().Components);

    [Fact]
    public void Build_ValueOver4000_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.TextInputValueLength), 4000, 4001,
            () => Modal().AddTextInput("a", "a", TextInputStyle.Paragraph, value: Text(4001)).Build());

    [Fact]
    public void Build_ValueAtMaxLength_Passes() =>
        Assert.Single(Modal().AddTextInput("a", "a", maxLength: 5, value: "12345").Build().Components);

    [Fact]
    public void Build_ValueLongerThanMaxLength_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Modal().AddTextInput("a", "a", maxLength: 5, value: "123456").Build());

    [Fact]
    public void Build_DuplicateInputIds_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => Modal().AddTextInput("a", "a").AddTextInput("a", "b").Build());

    [Fact]
    public void Validate_RowWithAButton_ThrowsArgumentException()
    {
        var modal = new ModalPayload("m", "t", [new ActionRow([new Button { Label = "a", CustomId = "a" }])]);
        Assert.Throws<ArgumentException>(modal.Validate);
    }

    private static ModalBuilder Modal() => new("m", "Title");

    private static ModalBuilder Inputs(int count)
    {
        var builder = Modal();
        for (var i = 0; i < count; i++)
        {
            builder.AddTextInput($"i{i}", $"Input {i}");
        }

        return builder;
    }
}
