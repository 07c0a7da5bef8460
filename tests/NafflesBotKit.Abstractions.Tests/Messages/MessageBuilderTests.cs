using NafflesBotKit.Messages;
using static NafflesBotKit.Abstractions.Tests.Messages.LimitAssert;

namespace NafflesBotKit.Abstractions.Tests.Messages;

public sealed class MessageBuilderTests
{
    [Fact]
    public void Build_AllParts_ProducesPayload()
    {
        var embed = new EmbedBuilder().WithTitle("t").Build();
        var rows = new ComponentBuilder().WithButton("a", "a").Build();
        var mentions = new AllowedMentions { Parse = [AllowedMentionTypes.Roles], Users = [42UL], RepliedUser = true };
        var file = new FileAttachment("a.txt", new byte[] { 1, 2, 3 }, "text/plain");

        var payload = new MessageBuilder()
            .WithContent("hello")
            .AddEmbed(embed)
            .AddEmbeds([embed, embed])
            .WithComponents(rows)
            .WithFlags(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds)
            .WithAllowedMentions(mentions)
            .AddFile(file)
            .Build();

        Assert.Equal("hello", payload.Content);
        Assert.Equal(3, payload.Embeds.Count);
        Assert.Equal(rows, payload.Components);
        Assert.Equal(MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds, payload.Flags);
        Assert.Same(mentions, payload.AllowedMentions);
        Assert.Same(file, Assert.Single(payload.Files));
    }

    [Fact]
    public void Build_ThenAddEmbed_DoesNotChangeBuiltPayload()
    {
        var builder = new MessageBuilder().AddEmbed(new Embed { Title = "a" });
        var first = builder.Build();
        builder.AddEmbed(new Embed { Title = "b" });

        Assert.Single(first.Embeds);
    }

    [Fact]
    public void FromText_ProducesTextOnlyPayload()
    {
        var payload = MessagePayload.FromText("hi");
        Assert.Equal("hi", payload.Content);
        Assert.Empty(payload.Embeds);
        Assert.Empty(payload.Components);
        Assert.Empty(payload.Files);
        Assert.Equal(MessageFlags.None, payload.Flags);
        Assert.Null(payload.AllowedMentions);
    }

    [Fact]
    public void FromEmbed_WithComponents_ProducesPayload()
    {
        var embed = new EmbedBuilder().WithTitle("t").WithDescription("d").Build();
        var rows = new ComponentBuilder().WithButton("a", "a").Build();

        var payload = MessagePayload.FromEmbed(embed, rows);

        Assert.Same(embed, Assert.Single(payload.Embeds));
        Assert.Equal(rows, payload.Components);
        Assert.Null(payload.Content);
    }

    [Fact]
    public void Build_ContentAt2000_Passes() =>
        Assert.Equal(2000, new MessageBuilder().WithContent(Text(2000)).Build().Content!.Length);

    [Fact]
    public void FromText_ContentOver2000_ThrowsNamingLimit()
    {
        var ex = Throws(nameof(DiscordLimits.ContentLength), 2000, 2001, () => MessagePayload.FromText(Text(2001)));
        Assert.Equal("Message content is 2001 characters; Discord's limit is 2000 (DiscordLimits.ContentLength).", ex.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n")]
    public void Build_EmptyMessage_ThrowsArgumentException(string? content) =>
        Assert.Throws<ArgumentException>(() => new MessageBuilder().WithContent(content).Build());

    [Fact]
    public void Build_FileOnly_Passes() =>
        Assert.Single(new MessageBuilder().AddFile(new FileAttachment("a.bin", new byte[] { 0 })).Build().Files);

    [Fact]
    public void Build_ComponentsOnly_Passes() =>
        Assert.Single(new MessageBuilder().WithComponents(new ComponentBuilder().WithButton("a", "a").Build()).Build().Components);

    [Fact]
    public void Build_10Embeds_Passes() =>
        Assert.Equal(10, new MessageBuilder().AddEmbeds(Embeds(10)).Build().Embeds.Count);

    [Fact]
    public void Build_11Embeds_ThrowsNamingLimit() =>
        Throws(nameof(DiscordLimits.EmbedsPerMessage), 10, 11, () => new MessageBuilder().AddEmbeds(Embeds(11)).Build());

    [Fact]
    public void Build_EmbedsTotalling6000_Passes() =>
        Assert.Equal(2, new MessageBuilder().AddEmbed(Described(3000)).AddEmbed(Described(3000)).Build().Embeds.Count);

    [Fact]
    public void Build_EmbedsTotallingOver6000_ThrowsNamingLimitEvenThoughEachFits() =>
        Throws(nameof(DiscordLimits.EmbedTotalCharacters), 6000, 6001,
            () => new MessageBuilder().AddEmbed(Described(3000)).AddEmbed(Described(3001)).Build());

    [Fact]
    public void Validate_EmbedCreatedWithoutBuilder_IsCheckedToo()
    {
        var embed = new Embed { Title = Text(257) };
        var ex = Throws(nameof(DiscordLimits.EmbedTitleLength), 256, 257, () => MessagePayload.FromEmbed(embed));
        Assert.StartsWith("Embed title", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SecondEmbedInvalid_MessageSaysWhichEmbed()
    {
        var payload = new MessagePayload { Embeds = [new Embed { Title = "ok" }, new Embed { Fields = [new EmbedField("", "v")] }] };
        var ex = Throws(nameof(DiscordLimits.EmbedFieldNameLength), 256, 0, payload.Validate);
        Assert.StartsWith("Embed 2 field 1 name", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ComponentsCreatedWithoutBuilder_AreCheckedToo()
    {
        var rows = Enumerable.Range(0, 6).Select(i => new ActionRow([new Button { Label = "a", CustomId = $"b{i}" }])).ToArray();
        Throws(nameof(DiscordLimits.ActionRows), 5, 6, () => new MessagePayload { Components = rows }.Validate());
    }

    [Fact]
    public void Validate_TextInputInMessage_ThrowsArgumentException()
    {
        var payload = new MessagePayload { Components = [new ActionRow([new TextInput { CustomId = "t", Label = "l" }])] };
        Assert.Throws<ArgumentException>(payload.Validate);
    }

    [Fact]
    public void Validate_EmptyActionRow_ThrowsArgumentException()
    {
        var payload = new MessagePayload { Content = "x", Components = [new ActionRow([])] };
        Assert.Throws<ArgumentException>(payload.Validate);
    }

    [Fact]
    public void Validate_LinkButtonWithCustomId_ThrowsArgumentException()
    {
        var button = new Button { Style = ButtonStyle.Link, Label = "a", Url = "https://naffles.com", CustomId = "x" };
        Assert.Throws<ArgumentException>(new MessagePayload { Components = [new ActionRow([button])] }.Validate);
    }

    [Fact]
    public void Validate_NonLinkButtonWithUrl_ThrowsArgumentException()
    {
        var button = new Button { Label = "a", Url = "https://naffles.com", CustomId = "x" };
        Assert.Throws<ArgumentException>(new MessagePayload { Components = [new ActionRow([button])] }.Validate);
    }

    [Fact]
    public void Validate_UserSelectWithoutOptions_Passes()
    {
        var select = new SelectMenu { SelectType = ComponentType.UserSelect, CustomId = "u", MaxValues = 25 };
        new MessagePayload { Components = [new ActionRow([select])] }.Validate();
        Assert.Equal(ComponentType.UserSelect, select.Type);
    }

    [Fact]
    public void Validate_UserSelectWithOptions_ThrowsArgumentException()
    {
        var select = new SelectMenu { SelectType = ComponentType.UserSelect, CustomId = "u", Options = ComponentBuilderTests.Options(1) };
        Assert.Throws<ArgumentException>(new MessagePayload { Components = [new ActionRow([select])] }.Validate);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Build_100MentionIds_Passes(bool roles) =>
        Assert.NotNull(new MessageBuilder().WithContent("x").WithAllowedMentions(Mentions(roles, 100)).Build().AllowedMentions);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Build_101MentionIds_ThrowsNamingLimit(bool roles) =>
        Throws(nameof(DiscordLimits.AllowedMentionIds), 100, 101,
            () => new MessageBuilder().WithContent("x").WithAllowedMentions(Mentions(roles, 101)).Build());

    [Fact]
    public void AllowedMentions_None_AllowsNothing()
    {
        var none = AllowedMentions.None;
        Assert.Empty(none.Parse);
        Assert.Empty(none.Users);
        Assert.Empty(none.Roles);
        Assert.False(none.RepliedUser);
        Assert.Same(none, AllowedMentions.None);
        new MessageBuilder().WithContent("@everyone").WithAllowedMentions(none).Build();
    }

    [Fact]
    public void Build_UnknownParseType_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new MessageBuilder()
            .WithContent("x").WithAllowedMentions(new AllowedMentions { Parse = ["channels"] }).Build());

    [Theory]
    [InlineData(AllowedMentionTypes.Users)]
    [InlineData(AllowedMentionTypes.Roles)]
    public void Build_IdsListedForParsedType_ThrowsArgumentException(string type) =>
        Assert.Throws<ArgumentException>(() => new MessageBuilder()
            .WithContent("x").WithAllowedMentions(new AllowedMentions { Parse = [type], Users = [1UL], Roles = [2UL] }).Build());

    [Fact]
    public void Build_UnknownFlag_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => new MessageBuilder().WithContent("x").WithFlags((MessageFlags)(1 << 3)).Build());

    [Fact]
    public void MessageFlags_HaveDiscordValues()
    {
        Assert.Equal(4, (int)MessageFlags.SuppressEmbeds);
        Assert.Equal(64, (int)MessageFlags.Ephemeral);
        Assert.Equal(4096, (int)MessageFlags.SuppressNotifications);
    }

    private static IEnumerable<Embed> Embeds(int count) =>
        Enumerable.Range(0, count).Select(i => new EmbedBuilder().WithTitle($"e{i}").Build());

    private static Embed Described(int length) => new EmbedBuilder().WithDescription(Text(length)).Build();

    private static AllowedMentions Mentions(bool roles, int count)
    {
        var ids = Enumerable.Range(1, count).Select(i => (ulong)i).ToArray();
        return roles ? new AllowedMentions { Roles = ids } : new AllowedMentions { Users = ids };
    }
}
