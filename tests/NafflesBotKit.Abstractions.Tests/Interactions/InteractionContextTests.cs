using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Tests.Interactions;

public sealed class InteractionContextTests
{
    private readonly Recorder _recorder = new();

    [Fact]
    public async Task ReplyAsync_First_IsChannelMessageCallback_ThenFollowUps()
    {
        var context = Command();

        await context.ReplyAsync("one", ephemeral: true);
        await context.ReplyAsync("two");

        Assert.Equal(["callback:ChannelMessageWithSource:one:eph", "followup:two"], _recorder.Calls);
        Assert.Equal(ResponseState.Responded, context.State);
    }

    [Fact]
    public async Task ReplyAsync_AfterDefer_EditsOriginal()
    {
        var context = Command();

        await context.DeferAsync(ephemeral: true);
        await context.ReplyAsync("done");

        Assert.Equal(["callback:DeferredChannelMessageWithSource::eph", "edit:done"], _recorder.Calls);
    }

    [Fact]
    public async Task DeferAsync_Twice_SendsOneDeferral()
    {
        var context = Command();

        await context.DeferAsync();
        await context.DeferAsync();

        Assert.Single(_recorder.Calls);
    }

    [Fact]
    public async Task DefaultEphemeral_AppliesWhenNotSpecified()
    {
        var context = new CommandContext(Interaction(InteractionType.ApplicationCommand), _recorder, "p", "cmd") { DefaultEphemeral = true };

        await context.ReplyAsync("x");

        Assert.Equal(["callback:ChannelMessageWithSource:x:eph"], _recorder.Calls);
    }

    [Fact]
    public async Task ShowModalAsync_AfterReply_ThrowsExplaining()
    {
        var context = Command();
        await context.ReplyAsync("x");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await context.ShowModalAsync(new ModalBuilder("m:1", "Title").AddTextInput("a", "A").Build()));

        Assert.Contains("must be the first response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowModalAsync_OnModalSubmit_Throws()
    {
        var context = new ModalContext(Interaction(InteractionType.ModalSubmit), _recorder, "p", new Dictionary<string, string>());

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await context.ShowModalAsync(new ModalBuilder("m:1", "Title").AddTextInput("a", "A").Build()));
    }

    [Fact]
    public async Task FollowupAsync_BeforeAcknowledgement_Throws()
    {
        var context = Command();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await context.FollowupAsync(MessagePayload.FromText("x")));
    }

    [Fact]
    public async Task UpdateMessageAsync_First_IsUpdateCallback_AfterDeferredUpdate_IsEdit()
    {
        var first = Component();
        await first.UpdateMessageAsync(MessagePayload.FromText("u1"));
        var second = Component();
        await second.DeferUpdateAsync();
        await second.UpdateMessageAsync(MessagePayload.FromText("u2"));

        Assert.Equal(["callback:UpdateMessage:u1", "callback:DeferredUpdateMessage:", "edit:u2"], _recorder.Calls);
    }

    [Theory]
    [InlineData(ComponentDeferMode.EphemeralMessage, "callback:DeferredChannelMessageWithSource::eph")]
    [InlineData(ComponentDeferMode.PublicMessage, "callback:DeferredChannelMessageWithSource:")]
    [InlineData(ComponentDeferMode.UpdateMessage, "callback:DeferredUpdateMessage:")]
    public async Task TryAutoDeferAsync_ComponentFollowsDeferMode(ComponentDeferMode mode, string expected)
    {
        var context = new ComponentContext(Interaction(InteractionType.MessageComponent), _recorder, "p", new Dictionary<string, string>()) { DeferMode = mode };

        Assert.True(await context.TryAutoDeferAsync(CancellationToken.None));
        Assert.False(await context.TryAutoDeferAsync(CancellationToken.None));
        Assert.Equal([expected], _recorder.Calls);
    }

    [Fact]
    public async Task ReplyAsync_OverLimitContent_ThrowsBeforeSending()
    {
        var context = Command();

        await Assert.ThrowsAsync<DiscordLimitException>(async () => await context.ReplyAsync(new string('x', 2001)));

        Assert.Empty(_recorder.Calls);
        Assert.Equal(ResponseState.None, context.State);
    }

    [Fact]
    public async Task ConcurrentReplies_ExactlyOneInitialResponse()
    {
        var context = Command();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => context.ReplyAsync($"r{i}").AsTask()));

        Assert.Single(_recorder.Calls, c => c.StartsWith("callback:", StringComparison.Ordinal));
        Assert.Equal(19, _recorder.Calls.Count(c => c.StartsWith("followup:", StringComparison.Ordinal)));
    }

    private CommandContext Command() => new(Interaction(InteractionType.ApplicationCommand), _recorder, "p", "cmd");

    private ComponentContext Component() => new(Interaction(InteractionType.MessageComponent), _recorder, "p", new Dictionary<string, string>());

    private static Interaction Interaction(InteractionType type) => new()
    {
        Id = 1,
        ApplicationId = 2,
        Type = type,
        Token = "t",
        User = new DiscordUser(3, "u"),
    };

    private sealed class Recorder : IInteractionResponder
    {
        private readonly List<string> _calls = [];

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) =>
            Add($"callback:{response.Type}:{response.Message?.Content}{(response.Message?.Flags.HasFlag(MessageFlags.Ephemeral) == true ? ":eph" : string.Empty)}");

        public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => Add("edit:" + message.Content);

        public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) => Add("delete");

        public async ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
        {
            await Add("followup:" + message.Content);
            return 1;
        }

        public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) => Add("edit-followup:" + message.Content);

        private ValueTask Add(string call)
        {
            lock (_calls)
            {
                _calls.Add(call);
            }

            return ValueTask.CompletedTask;
        }
    }
}
