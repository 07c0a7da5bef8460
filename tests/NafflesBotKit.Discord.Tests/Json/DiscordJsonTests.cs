using System.Text;
using System.Text.Json;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Tests.Json;

public sealed class DiscordJsonTests
{
    private static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void SerializeMessage_SnakeCaseTypesAndOmittedNulls()
    {
        var json = Parse(DiscordJson.SerializeMessage(new MessagePayload
        {
            Content = "hi",
            Embeds = [new Embed { Title = "T", Color = 0xFF0000, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), Fields = [new EmbedField("a", "b")] }],
            Components = [new ActionRow([new Button { Label = "Go", CustomId = "go", Disabled = true }])],
            Flags = MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications,
            AllowedMentions = new AllowedMentions { Parse = ["users"], Roles = [987654321098765432] },
        }));

        Assert.Equal("hi", json.GetProperty("content").GetString());
        var embed = json.GetProperty("embeds")[0];
        Assert.Equal(16711680, embed.GetProperty("color").GetInt32());
        Assert.Equal("2026-01-02T01:04:05.000Z", embed.GetProperty("timestamp").GetString());
        Assert.False(embed.TryGetProperty("description", out _));
        Assert.False(embed.GetProperty("fields")[0].TryGetProperty("inline", out _));
        var button = json.GetProperty("components")[0].GetProperty("components")[0];
        Assert.Equal(2, button.GetProperty("type").GetInt32());
        Assert.Equal(1, button.GetProperty("style").GetInt32());
        Assert.Equal("go", button.GetProperty("custom_id").GetString());
        Assert.True(button.GetProperty("disabled").GetBoolean());
        Assert.Equal(4 | 4096, json.GetProperty("flags").GetInt32());
        Assert.Equal("987654321098765432", json.GetProperty("allowed_mentions").GetProperty("roles")[0].GetString());
        Assert.False(json.TryGetProperty("attachments", out _));
    }

    [Fact]
    public void SerializeMessage_Files_ListAttachmentMetadataByIndex()
    {
        var json = Parse(DiscordJson.SerializeMessage(new MessagePayload { Files = [new FileAttachment("a.csv", new byte[] { 1 }), new FileAttachment("b.png", new byte[] { 2 })] }));
        var attachments = json.GetProperty("attachments");
        Assert.Equal("0", attachments[0].GetProperty("id").GetString());
        Assert.Equal("b.png", attachments[1].GetProperty("filename").GetString());
    }

    [Fact]
    public void SerializeInteractionResponse_EachCallbackShape()
    {
        Assert.Equal("""{"type":1}""", Encoding.UTF8.GetString(DiscordJson.SerializeInteractionResponse(new InteractionResponse(InteractionCallbackType.Pong))));
        Assert.Equal("""{"type":5,"data":{"flags":64}}""", Encoding.UTF8.GetString(DiscordJson.SerializeInteractionResponse(new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new MessagePayload { Content = "x", Flags = MessageFlags.Ephemeral | MessageFlags.SuppressEmbeds }))));
        Assert.Equal("""{"type":6}""", Encoding.UTF8.GetString(DiscordJson.SerializeInteractionResponse(new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage))));

        var auto = Parse(DiscordJson.SerializeInteractionResponse(new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, Choices: [new("One", 1L), new("Pi", 3.5), new("Text", "t")])));
        Assert.Equal(8, auto.GetProperty("type").GetInt32());
        Assert.Equal(JsonValueKind.Number, auto.GetProperty("data").GetProperty("choices")[0].GetProperty("value").ValueKind);
        Assert.Equal(3.5, auto.GetProperty("data").GetProperty("choices")[1].GetProperty("value").GetDouble());
        Assert.Equal("t", auto.GetProperty("data").GetProperty("choices")[2].GetProperty("value").GetString());

        var modal = Parse(DiscordJson.SerializeInteractionResponse(new InteractionResponse(InteractionCallbackType.Modal, Modal: new ModalPayload("task:create", "Create task", [new ActionRow([new TextInput { CustomId = "title", Label = "Title", Style = TextInputStyle.Paragraph, MaxLength = 100 }])]))));
        var data = modal.GetProperty("data");
        Assert.Equal("task:create", data.GetProperty("custom_id").GetString());
        Assert.Equal("Create task", data.GetProperty("title").GetString());
        var input = data.GetProperty("components")[0].GetProperty("components")[0];
        Assert.Equal(4, input.GetProperty("type").GetInt32());
        Assert.Equal(2, input.GetProperty("style").GetInt32());
        Assert.True(input.GetProperty("required").GetBoolean());
    }

    [Fact]
    public void SerializeCommands_PermissionsAsStringAndContexts()
    {
        var json = Parse(DiscordJson.SerializeCommands(
        [
            new ApplicationCommandDefinition
            {
                Name = "admin",
                Description = "Admin",
                DefaultMemberPermissions = Permissions.ManageGuild | Permissions.ManageRoles,
                Options = [new CommandOptionDefinition { Type = CommandOptionType.Number, Name = "n", Description = "n", Required = true, MinValue = 0.5, MaxValue = 10, Choices = [] }],
            },
            new ApplicationCommandDefinition { Name = "link", Description = "Link", AllowInDms = true },
        ]));

        Assert.Equal("268435488", json[0].GetProperty("default_member_permissions").GetString());
        Assert.Equal("[0]", json[0].GetProperty("contexts").GetRawText());
        Assert.Equal("[0,1]", json[1].GetProperty("contexts").GetRawText());
        var option = json[0].GetProperty("options")[0];
        Assert.Equal(10, option.GetProperty("type").GetInt32());
        Assert.Equal(0.5, option.GetProperty("min_value").GetDouble());
        Assert.False(option.TryGetProperty("choices", out _));
        Assert.False(json[1].TryGetProperty("options", out _));
    }

    [Theory]
    [InlineData("✅", null, "✅", null)]
    [InlineData("<:naffles:112233445566778899>", "112233445566778899", "naffles", null)]
    [InlineData("<a:party:112233445566778899>", "112233445566778899", "party", true)]
    public void ParseEmoji_UnicodeAndCustom(string input, string? id, string name, bool? animated)
    {
        var emoji = DiscordJson.ParseEmoji(input)!;
        Assert.Equal(id, emoji.Id);
        Assert.Equal(name, emoji.Name);
        Assert.Equal(animated, emoji.Animated);
    }
}
