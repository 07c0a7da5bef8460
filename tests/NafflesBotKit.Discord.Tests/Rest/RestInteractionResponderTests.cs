using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Discord.Tests.Rest;

/// <summary>Answering over REST, as for gateway-delivered interactions: Discord's acknowledgement rules hold.</summary>
public sealed class RestInteractionResponderTests
{
    private static async Task<(DiscordTestContext Ctx, SimulatedInteraction Sent, NafflesBotKit.Interactions.Interaction Parsed)> CommandAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider? time = null)
    {
        var ctx = await DiscordTestContext.StartAsync(time);
        var (guild, channel) = ctx.Emulator.AddGuild();
        var user = ctx.Emulator.AddUser("dora");
        ctx.Emulator.AddMember(guild.Id, user.Id);
        await ctx.Rest.BulkOverwriteCommandsAsync(ctx.Emulator.ApplicationId, null, [new() { Name = "raffle", Description = "Raffle" }], CancellationToken.None);
        var transport = new CapturingTransport();
        ctx.Emulator.Interactions.Transport = transport;
        var sent = await ctx.Emulator.Interactions.RunCommandAsync(user, guild.Id, channel, "raffle");
        return (ctx, sent, InteractionParser.Parse(transport.Last!));
    }

    [Fact]
    public async Task DeferThenEditThenFollowupThenDelete_AllOverRest()
    {
        var (ctx, sent, interaction) = await CommandAsync();
        await using var _ = ctx;
        var responder = ctx.Services.GetRequiredService<RestInteractionResponder>();

        await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new MessagePayload { Flags = MessageFlags.Ephemeral }), CancellationToken.None);
        var original = ctx.Emulator.Message(sent.Interaction.OriginalMessageId!.Value)!;
        Assert.True(original.Loading);

        await responder.EditOriginalAsync(interaction, MessagePayload.FromEmbed(new Embed { Title = "Winner", Description = "<@1>" }), CancellationToken.None);
        Assert.False(original.Loading);
        Assert.Equal("Winner", (string)original.Embeds[0]!["title"]!);

        var followup = await responder.CreateFollowupAsync(interaction, MessagePayload.FromText("More"), CancellationToken.None);
        await responder.EditFollowupAsync(interaction, followup, MessagePayload.FromText("More!"), CancellationToken.None);
        Assert.Equal("More!", ctx.Emulator.Message(followup)!.Content);
        Assert.Equal(original.Id, await ctx.Rest.GetOriginalResponseAsync(interaction.ApplicationId, interaction.Token, CancellationToken.None));

        await responder.DeleteOriginalAsync(interaction, CancellationToken.None);
        Assert.True(original.Deleted);
        Assert.False(sent.Interaction.Response!.Inline);
        Assert.Empty(ctx.Validation.Violations);
    }

    [Fact]
    public async Task SecondAcknowledgement_Gets40060()
    {
        var (ctx, _, interaction) = await CommandAsync();
        await using var __ = ctx;
        var responder = ctx.Services.GetRequiredService<RestInteractionResponder>();
        await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, MessagePayload.FromText("one")), CancellationToken.None);

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, MessagePayload.FromText("two")), CancellationToken.None));

        Assert.Equal(DiscordApiException.AlreadyAcknowledged, error.Code);
    }

    [Fact]
    public async Task LateAcknowledgement_Gets10062()
    {
        var time = DiscordTestContext.NewFakeTime();
        var (ctx, _, interaction) = await CommandAsync(time);
        await using var __ = ctx;
        time.Advance(TimeSpan.FromSeconds(3.5));

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await ctx.Services.GetRequiredService<RestInteractionResponder>().RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None));

        Assert.Equal(DiscordApiException.UnknownInteraction, error.Code);
    }

    [Fact]
    public async Task FollowupAfterFifteenMinutes_TokenExpired50027()
    {
        var time = DiscordTestContext.NewFakeTime();
        var (ctx, sent, interaction) = await CommandAsync(time);
        await using var __ = ctx;
        var responder = ctx.Services.GetRequiredService<RestInteractionResponder>();
        await responder.RespondAsync(interaction, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, MessagePayload.FromText("now")), CancellationToken.None);
        Assert.Equal("now", ctx.Emulator.ResponseMessage(sent.Interaction.Id)!.Content);
        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<DiscordApiException>(async () => await responder.CreateFollowupAsync(interaction, MessagePayload.FromText("too late"), CancellationToken.None));

        Assert.Equal(50027, error.Code);
    }

    [Fact]
    public async Task ModalAndAutocompleteCallbacks_MatchSpec()
    {
        var (ctx, sent, interaction) = await CommandAsync();
        await using var __ = ctx;

        await ctx.Services.GetRequiredService<RestInteractionResponder>().RespondAsync(
            interaction,
            new InteractionResponse(InteractionCallbackType.Modal, Modal: new ModalPayload("raffle:create", "Create a raffle", [new ActionRow([new TextInput { CustomId = "prize", Label = "Prize" }])])),
            CancellationToken.None);

        Assert.Equal(9, sent.Interaction.Response!.Type);
        Assert.Equal("raffle:create", (string)sent.Interaction.Response.Data!["custom_id"]!);
        Assert.Empty(ctx.Validation.Violations);
    }

    private sealed class CapturingTransport : IInteractionTransport
    {
        public byte[]? Last { get; private set; }

        public Task<InteractionDeliveryResult> DeliverAsync(JsonObject payload, CancellationToken cancellationToken)
        {
            Last = System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
            return Task.FromResult(new InteractionDeliveryResult(null, null, []));
        }
    }
}
