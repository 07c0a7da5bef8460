using System.Text;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Tests.Json;

public sealed class InteractionParserTests
{
    private static Interaction Parse(string json) => InteractionParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_GuildCommand_MemberPermissionsOptionsAndResolved()
    {
        var interaction = Parse("""
        {"id":"1300000000000000001","application_id":"1100000000000000001","type":2,"token":"tok","version":1,
         "guild_id":"1200000000000000001","channel_id":"1200000000000000002","app_permissions":"2048","locale":"de","guild_locale":"en-US",
         "member":{"user":{"id":"1000000000000000001","username":"alice","global_name":"Alice","avatar":null,"discriminator":"0","public_flags":0},
                   "roles":["1200000000000000009"],"permissions":"268435488","joined_at":"2024-01-01T00:00:00.000000+00:00","nick":"Al","future_field":{"x":1}},
         "data":{"id":"1250000000000000001","name":"tasks","type":1,"guild_id":"1200000000000000001",
                 "options":[{"name":"create","type":2,"options":[{"name":"twitter","type":1,"options":[
                     {"name":"points","type":4,"value":50},{"name":"ratio","type":10,"value":1.5},{"name":"live","type":5,"value":true},
                     {"name":"title","type":3,"value":"Follow"},{"name":"who","type":6,"value":"1000000000000000002"},
                     {"name":"role","type":8,"value":"1200000000000000009"},{"name":"where","type":7,"value":"1200000000000000002"}]}]}],
                 "resolved":{"users":{"1000000000000000002":{"id":"1000000000000000002","username":"bob","bot":true}},
                             "members":{"1000000000000000002":{"roles":[],"permissions":"0","joined_at":null}},
                             "roles":{"1200000000000000009":{"id":"1200000000000000009","name":"Winners","permissions":"8"}},
                             "channels":{"1200000000000000002":{"id":"1200000000000000002","name":"general","type":0,"permissions":"1024"}}}},
         "entitlements":[],"authorizing_integration_owners":{"0":"1200000000000000001"},"context":0,"attachment_size_limit":10485760}
        """);

        Assert.Equal(1300000000000000001UL, interaction.Id);
        Assert.Equal(InteractionType.ApplicationCommand, interaction.Type);
        Assert.Equal(1200000000000000001UL, interaction.GuildId);
        Assert.Equal("alice", interaction.User.Username);
        Assert.Equal(Permissions.ManageGuild | Permissions.ManageRoles, interaction.Member!.Permissions);
        Assert.Equal("Al", interaction.Member.Nick);
        Assert.Equal(Permissions.SendMessages, interaction.AppPermissions);
        Assert.Equal("de", interaction.Locale);
        var group = Assert.Single(interaction.Command!.Options);
        Assert.Equal(CommandOptionType.SubCommandGroup, group.Type);
        var leaf = Assert.Single(group.Options!).Options!;
        Assert.Equal(50L, leaf[0].Value);
        Assert.Equal(1.5, leaf[1].Value);
        Assert.Equal(true, leaf[2].Value);
        Assert.Equal("Follow", leaf[3].Value);
        Assert.Equal("1000000000000000002", leaf[4].Value);
        var resolved = interaction.Command.Resolved!;
        Assert.True(resolved.Users[1000000000000000002].IsBot);
        Assert.Equal(Permissions.Administrator, resolved.Roles[1200000000000000009].Permissions);
        Assert.Equal(Permissions.ViewChannel, resolved.Channels[1200000000000000002].Permissions);
        Assert.Empty(resolved.Members[1000000000000000002].Roles);
    }

    [Fact]
    public void Parse_DmComponent_UserAndMessage()
    {
        var interaction = Parse("""
        {"id":"1300000000000000002","application_id":"1","type":3,"token":"t","channel":{"id":"1200000000000000005","type":1},
         "user":{"id":"1000000000000000003","username":"carol"},
         "message":{"id":"1300000000000000000","channel_id":"1200000000000000005","flags":64,"components":[]},
         "data":{"custom_id":"task:complete:42","component_type":2}}
        """);

        Assert.Null(interaction.GuildId);
        Assert.Null(interaction.Member);
        Assert.Equal(1200000000000000005UL, interaction.ChannelId);
        Assert.Equal("carol", interaction.User.Username);
        Assert.Equal("task:complete:42", interaction.Component!.CustomId);
        Assert.Empty(interaction.Component.Values);
        Assert.True(interaction.Message!.IsEphemeral);
    }

    [Fact]
    public void Parse_Autocomplete_FocusedPartialStaysText()
    {
        var interaction = Parse("""
        {"id":"1","application_id":"1","type":4,"token":"t","user":{"id":"2","username":"u"},
         "data":{"id":"3","name":"raffle","type":1,"options":[{"name":"count","type":4,"value":"1","focused":true},{"name":"q","type":3,"value":"ab"}]}}
        """);

        var focused = interaction.Command!.Options[0];
        Assert.True(focused.Focused);
        Assert.Equal("1", focused.Value);
    }

    [Fact]
    public void Parse_ModalWithRowsAndLabelsAndSelects_Fields()
    {
        var interaction = Parse("""
        {"id":"1","application_id":"1","type":5,"token":"t","user":{"id":"2","username":"u"},
         "data":{"custom_id":"m","components":[
           {"type":1,"id":1,"components":[{"type":4,"id":2,"custom_id":"title","value":"Hello"}]},
           {"type":18,"id":3,"component":{"type":4,"id":4,"custom_id":"body","value":"World"}},
           {"type":18,"id":5,"component":{"type":3,"id":6,"custom_id":"kind","values":["a","b"]}},
           {"type":10,"id":7,"content":"just text"}]}}
        """);

        Assert.Equal("m", interaction.Modal!.CustomId);
        Assert.Equal("Hello", interaction.Modal.Fields["title"]);
        Assert.Equal("World", interaction.Modal.Fields["body"]);
        Assert.Equal("a,b", interaction.Modal.Fields["kind"]);
        Assert.Equal(3, interaction.Modal.Fields.Count);
    }

    [Theory]
    [InlineData("""{"type":2,"token":"t"}""")]
    [InlineData("""{"id":"1","type":2}""")]
    [InlineData("""[1]""")]
    public void Parse_MissingEssentials_Throws(string json) =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => Parse(json));

    [Fact]
    public void Parse_JsonElement_SameAsBytes()
    {
        const string json = """{"id":"5","application_id":"6","type":1,"token":"t","user":{"id":"7","username":"u"}}""";
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal(Parse(json) with { User = Parse(json).User }, InteractionParser.Parse(doc.RootElement));
    }
}
