using NafflesBotKit.Messages;
using static NafflesBotKit.Abstractions.Tests.Messages.LimitAssert;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class EmbedBuilderTests
{
    [Fact]
    public void Build_AllParts_ProducesEmbed()
    {
        var when = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var embed = new EmbedBuilder()
            .WithTitle("Raffle")
            .WithDescription("Win things")
            .WithUrl("https://naffles.com")
            .WithColor(0x123456)
            .WithTimestamp(when)
            .WithFooter("footer", "https://naffles.com/f.png")
            .WithAuthor("author", "https://naffles.com/a", "https://naffles.com/a.png")
            .WithThumbnail("https://naffles.com/t.png")
            .WithImage("https://naffles.com/i.png")
            .AddField("Prize", "1 ETH", inline: true)
            .AddField("Ends", "soon")
            .Build();

        Assert.Equal("Raffle", embed.Title);
        Assert.Equal("Win things", embed.Description);
        Assert.Equal("https://naffles.com", embed.Url);
        Assert.Equal(0x123456, embed.Color);
        Assert.Equal(when, embed.Timestamp);
        Assert.Equal(new EmbedFooter("footer", "https://naffles.com/f.png"), embed.Footer);
        Assert.Equal(new EmbedAuthor("author", "https://naffles.com/a", "https://naffles.com/a.png"), embed.Author);
        Assert.Equal("https://naffles.com/t.png", embed.ThumbnailUrl);
        Assert.Equal("https://naffles.com/i.png", embed.ImageUrl);
        Assert.Equal([new EmbedField("Prize", "1 ETH", true), new EmbedField("Ends", "soon")], embed.Fields);
    }

    [Fact]
    public void Build_Empty_ProducesEmptyEmbed()
    {
        var embed = new EmbedBuilder().Build();
        Assert.Null(embed.Title);
        Assert.Empty(embed.Fields);
        Assert.Equal(0, embed.TotalCharacters);
    }

    [Fact]
    public void Build_ThenAddField_DoesNotChangeBuiltEmbed()
    {
        var builder = new EmbedBuilder().AddField("a", "b");
        var first = builder.Build();
        builder.AddField("c", "d");

        Assert.Single(first.Fields);
        Assert.Equal(2, builder.Build().Fields.Count);
    }

    [Fact]
    public void TotalCharacters_CountsTitleDescriptionFieldsFooterAndAuthorOnly()
    {
        var embed = new EmbedBuilder()
            .WithTitle("12345")                       // 5
            .WithDescription("1234567890")            // 10
            .WithUrl("https://not-counted.example")
            .WithFooter("123", "https://not-counted.example") // 3
            .WithAuthor("12", "https://not-counted.example")  // 2
            .AddField("1234", "123456")               // 10
            .Build();

        Assert.Equal(30, embed.TotalCharacters);
    }

    [Fact]
    public void Build_TitleOver256_ThrowsNamingLimit()
    {
        var ex = Throws(nameof(DiscordLimits.EmbedTitleLength), 256, 300, () => new EmbedBuilder().WithTitle(Text(300)).Build());
        Assert.Equal("Embed title is 300 characters; Discord's limit is 256 (DiscordLimits.EmbedTitleLength).", ex.Message);
    }

    [Theory]
    [InlineData(nameof(DiscordLimits.EmbedTitleLength))]
    [InlineData(nameof(DiscordLimits.EmbedDescriptionLength))]
    [InlineData(nameof(DiscordLimits.EmbedFieldNameLength))]
    [InlineData(nameof(DiscordLimits.EmbedFieldValueLength))]
    [InlineData(nameof(DiscordLimits.EmbedFooterTextLength))]
    [InlineData(nameof(DiscordLimits.EmbedAuthorNameLength))]
    public void Build_TextAtLimit_Passes(string limit)
    {
        var embed = WithText(limit, Text(Max(limit))).Build();
        Assert.True(embed.TotalCharacters >= Max(limit));
    }

    [Theory]
    [InlineData(nameof(DiscordLimits.EmbedTitleLength))]
    [InlineData(nameof(DiscordLimits.EmbedDescriptionLength))]
    [InlineData(nameof(DiscordLimits.EmbedFieldNameLength))]
    [InlineData(nameof(DiscordLimits.EmbedFieldValueLength))]
    [InlineData(nameof(DiscordLimits.EmbedFooterTextLength))]
    [InlineData(nameof(DiscordLimits.EmbedAuthorNameLength))]
    public void Build_TextOverLimit_ThrowsNamingLimit(string limit)
    {
        var max = Max(limit);
        Throws(limit, max, max + 1, () => WithText(limit, Text(max + 1)).Build());
    }

    [Theory]
    [InlineData("", "value", nameof(DiscordLimits.EmbedFieldNameLength))]
    [InlineData("   ", "value", nameof(DiscordLimits.EmbedFieldNameLength))]
    [InlineData("name", "", nameof(DiscordLimits.EmbedFieldValueLength))]
    [InlineData("name", "\n\t", nameof(DiscordLimits.EmbedFieldValueLength))]
    public void Build_EmptyOrBlankField_ThrowsNamingLimit(string name, string value, string limit)
    {
        var ex = Throws(limit, Max(limit), 0, () => new EmbedBuilder().AddField(name, value).Build());
        Assert.Equal(1, ex.Minimum);
    }

    [Fact]
    public void Build_25Fields_Passes() =>
        Assert.Equal(25, WithFields(25).Build().Fields.Count);

    [Fact]
    public void Build_26Fields_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.EmbedFields), 25, 26, () => WithFields(26).Build());

    [Fact]
    public void Build_TotalAt6000_Passes() =>
        Assert.Equal(6000, WithTotal(6000).Build().TotalCharacters);

    [Fact]
    public void Build_TotalOver6000_ThrowsNamingLimit()
    {
        var ex = Throws(nameof(DiscordLimits.EmbedTotalCharacters), 6000, 6001, () => WithTotal(6001).Build());
        Assert.StartsWith("Embed total is 6001 characters", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_CountsCodePointsNotUtf16Units()
    {
        var emoji256 = string.Concat(Enumerable.Repeat("😀", 256));
        Assert.Equal(512, emoji256.Length);

        Assert.Equal(256, new EmbedBuilder().WithTitle(emoji256).Build().TotalCharacters);
        Throws(nameof(DiscordLimits.EmbedTitleLength), 256, 257, () => new EmbedBuilder().WithTitle(emoji256 + "😀").Build());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0x1000000)]
    public void Build_ColorOutOfRange_ThrowsArgumentException(int color) =>
        Assert.Throws<ArgumentException>(() => new EmbedBuilder().WithColor(color).Build());

    [Theory]
    [InlineData(0)]
    [InlineData(0xFFFFFF)]
    public void Build_ColorInRange_Passes(int color) =>
        Assert.Equal(color, new EmbedBuilder().WithColor(color).Build().Color);

    private static int Max(string limit) => limit switch
    {
        nameof(DiscordLimits.EmbedTitleLength) => DiscordLimits.EmbedTitleLength,
        nameof(DiscordLimits.EmbedDescriptionLength) => DiscordLimits.EmbedDescriptionLength,
        nameof(DiscordLimits.EmbedFieldNameLength) => DiscordLimits.EmbedFieldNameLength,
        nameof(DiscordLimits.EmbedFieldValueLength) => DiscordLimits.EmbedFieldValueLength,
        nameof(DiscordLimits.EmbedFooterTextLength) => DiscordLimits.EmbedFooterTextLength,
        nameof(DiscordLimits.EmbedAuthorNameLength) => DiscordLimits.EmbedAuthorNameLength,
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    private static EmbedBuilder WithText(string limit, string text) => limit switch
    {
        nameof(DiscordLimits.EmbedTitleLength) => new EmbedBuilder().WithTitle(text),
        nameof(DiscordLimits.EmbedDescriptionLength) => new EmbedBuilder().WithDescription(text),
        nameof(DiscordLimits.EmbedFieldNameLength) => new EmbedBuilder().AddField(text, "v"),
        nameof(DiscordLimits.EmbedFieldValueLength) => new EmbedBuilder().AddField("n", text),
        nameof(DiscordLimits.EmbedFooterTextLength) => new EmbedBuilder().WithFooter(text),
        nameof(DiscordLimits.EmbedAuthorNameLength) => new EmbedBuilder().WithAuthor(text),
        _ => throw new ArgumentOutOfRangeException(nameof(limit), limit, null),
    };

    private static EmbedBuilder WithFields(int count)
    {
        var builder = new EmbedBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.AddField($"n{i}", "v");
        }

        return builder;
    }

    // 256 + 4096 + (256 + 1024) = 5632 from parts that are each at their own limit; the footer makes up the rest.
    private static EmbedBuilder WithTotal(int total) =>
        new EmbedBuilder()
            .WithTitle(Text(256))
            .WithDescription(Text(4096))
            .AddField(Text(256), Text(1024))
            .WithFooter(Text(total - 5632));
}
