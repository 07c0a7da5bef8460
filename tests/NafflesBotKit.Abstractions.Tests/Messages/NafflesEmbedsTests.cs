using NafflesBotKit.Messages;
using static NafflesBotKit.Abstractions.Tests.Messages.LimitAssert;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class NafflesEmbedsTests
{
    [Fact]
    public void Error_WithoutSuggestions_HasPrefixedTitleDescriptionAndRed()
    {
        var embed = NafflesEmbeds.Error("Raffle not found", "No raffle has that id.");

        Assert.Equal("❌ Raffle not found", embed.Title);
        Assert.Equal("No raffle has that id.", embed.Description);
        Assert.Equal(NafflesEmbeds.ErrorRed, embed.Color);
        Assert.Empty(embed.Fields);
    }

    [Fact]
    public void Error_WithSuggestions_AddsBulletedSuggestionsField()
    {
        var embed = NafflesEmbeds.Error("Oops", "Failed.", ["Check the id", "  ", "Try again later"]);

        var field = Assert.Single(embed.Fields);
        Assert.Equal("💡 Suggestions", field.Name);
        Assert.Equal("• Check the id\n• Try again later", field.Value);
        Assert.False(field.Inline);
    }

    [Fact]
    public void Error_OnlyBlankSuggestions_AddsNoField() =>
        Assert.Empty(NafflesEmbeds.Error("Oops", "Failed.", ["", " "]).Fields);

    [Fact]
    public void Error_OverlongInputs_TruncatesWithEllipsisInsteadOfThrowing()
    {
        var suggestions = Enumerable.Range(0, 100).Select(i => $"suggestion {i} " + Text(40));

        var embed = NafflesEmbeds.Error(Text(1000), Text(5000), suggestions);

        Assert.Equal(DiscordLimits.EmbedTitleLength, DiscordLimits.CountCharacters(embed.Title));
        Assert.StartsWith("❌ aaa", embed.Title, StringComparison.Ordinal);
        Assert.EndsWith("…", embed.Title, StringComparison.Ordinal);
        Assert.Equal(DiscordLimits.EmbedDescriptionLength, embed.Description!.Length);
        Assert.EndsWith("…", embed.Description, StringComparison.Ordinal);
        var value = Assert.Single(embed.Fields).Value;
        Assert.True(value.Length <= DiscordLimits.EmbedFieldValueLength);
        Assert.StartsWith("• suggestion 0 ", value, StringComparison.Ordinal);
        Assert.EndsWith("…", value, StringComparison.Ordinal);

        MessagePayload.FromEmbed(embed).Validate(); // within every limit
    }

    [Fact]
    public void Error_NullInputs_DoNotThrow()
    {
        var embed = NafflesEmbeds.Error(null!, null!, [null!]);
        Assert.Equal("❌ ", embed.Title);
        Assert.Null(embed.Description);
        Assert.Empty(embed.Fields);
    }

    [Fact]
    public void Success_HasCheckTitleGreenAndFooter()
    {
        var embed = NafflesEmbeds.Success("Entered", "You are in.");

        Assert.Equal("✅ Entered", embed.Title);
        Assert.Equal("You are in.", embed.Description);
        Assert.Equal(NafflesEmbeds.SuccessGreen, embed.Color);
        Assert.Equal(new EmbedFooter("Powered by Naffles"), embed.Footer);
    }

    [Fact]
    public void Success_TitleThatFitsWithPrefix_Passes() =>
        Assert.Equal(256, DiscordLimits.CountCharacters(NafflesEmbeds.Success(Text(254), "d").Title));

    [Fact]
    public void Success_TitleTooLongWithPrefix_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.EmbedTitleLength), 256, 257, () => NafflesEmbeds.Success(Text(255), "d"));

    [Fact]
    public void Info_HasTitlePurpleAndFooter()
    {
        var embed = NafflesEmbeds.Info("Raffle", "Details");

        Assert.Equal("Raffle", embed.Title);
        Assert.Equal("Details", embed.Description);
        Assert.Equal(NafflesEmbeds.NafflesPurple, embed.Color);
        Assert.Equal(NafflesEmbeds.FooterText, embed.Footer?.Text);
    }

    [Fact]
    public void Colors_MatchSeedBot()
    {
        Assert.Equal(0x7C3AED, NafflesEmbeds.NafflesPurple);
        Assert.Equal(0xEF4444, NafflesEmbeds.ErrorRed);
        Assert.Equal(0x10B981, NafflesEmbeds.SuccessGreen);
        Assert.Equal(0xF59E0B, NafflesEmbeds.WarningAmber);
        Assert.Equal(0xEC4899, NafflesEmbeds.AllowlistPink);
    }

    [Fact]
    public void RelativeTime_FormatsDiscordRelativeTimestamp() =>
        Assert.Equal("<t:1700000000:R>", NafflesEmbeds.RelativeTime(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)));

    [Fact]
    public void RelativeTime_UsesTheInstantRegardlessOfOffset()
    {
        var utc = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal("<t:1700000000:R>", NafflesEmbeds.RelativeTime(utc.ToOffset(TimeSpan.FromHours(-5))));
    }
}
