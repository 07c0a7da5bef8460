using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Runtime.Routing;
using NafflesBotKit.Runtime.Tests.Routing.Fixture;
using NafflesBotKit.Runtime.Tests.Support;
using NafflesBotKit.Transport;
using static NafflesBotKit.Runtime.Tests.Support.TestInteractions;

namespace NafflesBotKit.Runtime.Tests.Routing;

public sealed class InteractionRouterTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly Probe _probe = new();
    private readonly RecordingResponder _responder = new();
    private readonly List<IInteractionGuard> _guards = [];
    private RuntimeHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _harness = new RuntimeHarness(time: _time, configure: s => s.AddSingleton<IInteractionGuard>(new DelegatingGuard(_guards)));
        var loaded = await _harness.Plugins.AddInProcessAsync(new RouterFixturePlugin(_probe), CancellationToken.None);
        Assert.NotNull(loaded);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Dispatch_CommandWithTypedOptions_BindsEveryType()
    {
        var resolved = new ResolvedData
        {
            Channels = new Dictionary<ulong, DiscordChannel> { [77] = new(77, "general") },
            Users = new Dictionary<ulong, DiscordUser> { [88] = new(88, "alice") },
            Roles = new Dictionary<ulong, DiscordRole> { [99] = new(99, "winners") },
        };
        var outcome = await Dispatch(Command("fx-create", [
            Opt("title", CommandOptionType.String, "Follow us"),
            Opt("points", CommandOptionType.Integer, 250L),
            Opt("kind", CommandOptionType.String, "DiscordJoin"),
            Opt("hours", CommandOptionType.Integer, 48L),
            Opt("public", CommandOptionType.Boolean, true),
            Opt("channel", CommandOptionType.Channel, "77"),
            Opt("user", CommandOptionType.User, "88"),
            Opt("role", CommandOptionType.Role, "99"),
            Opt("status", CommandOptionType.String, "all"),
        ], resolved));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var bound = Assert.IsType<CreateOptions>(_probe.LastBound);
        Assert.Equal("Follow us", bound.Title);
        Assert.Equal(250, bound.Points);
        Assert.Equal(TaskKind.DiscordJoin, bound.Kind);
        Assert.Equal(48, bound.Hours);
        Assert.True(bound.Public);
        Assert.Equal("general", bound.Channel!.Name);
        Assert.Equal("alice", bound.User!.Username);
        Assert.Equal("winners", bound.Role!.Name);
        Assert.Equal("all", bound.Status);
        var sent = _responder.Single();
        Assert.Equal(InteractionCallbackType.ChannelMessageWithSource, sent.CallbackType);
        Assert.Equal("created Follow us", sent.Message!.Content);
        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Ephemeral));
    }

    [Fact]
    public async Task Dispatch_OptionalOptionsMissing_LeavesThemNull()
    {
        var outcome = await Dispatch(Command("fx-create", [
            Opt("title", CommandOptionType.String, "t"), Opt("points", CommandOptionType.Integer, 1L), Opt("kind", CommandOptionType.String, "custom"),
        ]));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var bound = Assert.IsType<CreateOptions>(_probe.LastBound);
        Assert.Null(bound.Hours);
        Assert.Null(bound.Channel);
        Assert.Equal(TaskKind.Custom, bound.Kind);
    }

    [Theory]
    [InlineData("points", 0L, "`points` must be at least 1")]
    [InlineData("points", 10001L, "`points` must be at most 10000")]
    [InlineData("title", null, "`title` must be at most 100 characters")]
    public async Task Dispatch_OutOfRangeOption_RepliesEphemeralErrorNamingOption(string name, object? value, string expected)
    {
        var options = new List<CommandOptionValue>
        {
            Opt("title", CommandOptionType.String, "fine"),
            Opt("points", CommandOptionType.Integer, 5L),
            Opt("kind", CommandOptionType.String, "custom"),
        };
        options.RemoveAll(o => o.Name == name);
        options.Add(value is null ? Opt(name, CommandOptionType.String, new string('x', 101)) : Opt(name, CommandOptionType.Integer, value));

        var outcome = await Dispatch(Command("fx-create", options));

        Assert.Equal(DispatchOutcome.InvalidInput, outcome);
        var sent = _responder.Single();
        Assert.True(sent.Message!.Flags.HasFlag(MessageFlags.Ephemeral));
        Assert.Contains(expected, Assert.Single(sent.Message.Embeds).Description, StringComparison.Ordinal);
        Assert.Null(_probe.LastBound);
    }

    [Fact]
    public async Task Dispatch_MissingRequiredOption_IsInvalidInput()
    {
        var outcome = await Dispatch(Command("fx-create", [Opt("title", CommandOptionType.String, "t"), Opt("kind", CommandOptionType.String, "custom")]));

        Assert.Equal(DispatchOutcome.InvalidInput, outcome);
        Assert.Contains("`points` is required", _responder.Single().Message!.Embeds[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_ValueNotAmongChoices_IsInvalidInput()
    {
        var outcome = await Dispatch(Command("fx-create", [
            Opt("title", CommandOptionType.String, "t"), Opt("points", CommandOptionType.Integer, 1L), Opt("kind", CommandOptionType.String, "Bogus"),
        ]));

        Assert.Equal(DispatchOutcome.InvalidInput, outcome);
    }

    [Fact]
    public async Task Dispatch_Subcommand_RoutesByPath()
    {
        var outcome = await Dispatch(Command("fx-admin", [Sub("reload")]));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        Assert.Equal("path:fx-admin reload", _responder.Single().Message!.Content);
    }

    [Fact]
    public async Task Dispatch_SubcommandInGroup_RoutesByPathAndBindsInnerOptions()
    {
        var outcome = await Dispatch(Command("fx-admin", [Group("plugins", Sub("enable", Opt("name", CommandOptionType.String, "naffles.allowlists")))]));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        Assert.Equal("path:fx-admin plugins enable name:naffles.allowlists", _responder.Single().Message!.Content);
    }

    [Fact]
    public void Definitions_DescribeGroupsSubcommandsAndOptions()
    {
        var definitions = _harness.Routes.Commands;
        var admin = Assert.Single(definitions, d => d.Name == "fx-admin");
        Assert.Equal("Admin tools", admin.Description);
        Assert.Contains(admin.Options, o => o.Type == CommandOptionType.SubCommand && o.Name == "reload");
        var plugins = Assert.Single(admin.Options, o => o.Type == CommandOptionType.SubCommandGroup);
        Assert.Equal("Plugin tools", plugins.Description);
        var enable = Assert.Single(plugins.Options);
        Assert.True(Assert.Single(enable.Options).Autocomplete);

        var create = Assert.Single(definitions, d => d.Name == "fx-create");
        Assert.Equal(["title", "points", "kind", "hours", "public", "channel", "user", "role", "status"], create.Options.Select(o => o.Name));
        Assert.All(create.Options.Take(3), o => Assert.True(o.Required));
        Assert.All(create.Options.Skip(3), o => Assert.False(o.Required));
        var points = create.Options.Single(o => o.Name == "points");
        Assert.Equal((CommandOptionType.Integer, 1d, 10000d), (points.Type, points.MinValue!.Value, points.MaxValue!.Value));
        Assert.Equal(["TwitterFollow", "DiscordJoin", "Custom"], create.Options.Single(o => o.Name == "kind").Choices.Select(c => c.Name));
        Assert.Equal(CommandOptionType.Channel, create.Options.Single(o => o.Name == "channel").Type);
        Assert.All(definitions, d => Assert.Equal("test.router", d.PluginId));
    }

    [Fact]
    public async Task Dispatch_Autocomplete_ReturnsAtMost25Choices()
    {
        var interaction = Command("fx-admin", [Group("plugins", Sub("enable", new CommandOptionValue("name", CommandOptionType.String, "nf", Focused: true)))], type: InteractionType.ApplicationCommandAutocomplete);

        var outcome = await Dispatch(interaction);

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var sent = _responder.Single();
        Assert.Equal(InteractionCallbackType.ApplicationCommandAutocompleteResult, sent.CallbackType);
        Assert.Equal(25, sent.Response!.Choices!.Count);
        Assert.Equal("nf-0", sent.Response.Choices[0].Name);
    }

    [Theory]
    [InlineData("fx:complete:1234")]
    [InlineData("complete_task_1234")]
    public async Task Dispatch_Button_CapturesTypedArgumentFromEitherTemplate(string customId)
    {
        var outcome = await Dispatch(Button(customId));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        Assert.Equal(1234L, Assert.IsType<CompleteArgs>(_probe.LastBound).TaskId);
        Assert.Equal("completed 1234", _responder.Single().Message!.Content);
    }

    [Theory]
    [InlineData("fx:complete:1", InteractionCallbackType.DeferredChannelMessageWithSource, true)]
    [InlineData("fx:page:open:2", InteractionCallbackType.DeferredUpdateMessage, false)]
    public async Task Dispatch_Component_HintsTheTransportWithTheHandlersDeferral(string customId, InteractionCallbackType expected, bool ephemeral)
    {
        var responder = new HintRecorder(_responder);

        var outcome = await _harness.Router.DispatchAsync(Button(customId), responder, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var hint = Assert.Single(responder.Hints);
        Assert.Equal(expected, hint.Type);
        Assert.Equal(ephemeral, hint.Message?.Flags.HasFlag(MessageFlags.Ephemeral) ?? false);
    }

    [Fact]
    public async Task Dispatch_Command_HintsADeferredMessageWithTheCommandsEphemerality()
    {
        var responder = new HintRecorder(_responder);

        await _harness.Router.DispatchAsync(Command("fx-create", [Opt("title", CommandOptionType.String, "t")]), responder, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        var hint = Assert.Single(responder.Hints);
        Assert.Equal(InteractionCallbackType.DeferredChannelMessageWithSource, hint.Type);
        Assert.Null(hint.Message); // fx-create is not declared ephemeral: a public "thinking" message
    }

    [Fact]
    public async Task Dispatch_ButtonWithUnconvertibleCapture_IsInvalidInput()
    {
        var outcome = await Dispatch(Button("fx:complete:abc"));

        Assert.Equal(DispatchOutcome.InvalidInput, outcome);
        Assert.True(_responder.Single().Message!.Flags.HasFlag(MessageFlags.Ephemeral));
    }

    [Fact]
    public async Task Dispatch_ButtonWithSeveralCaptures_UpdatesItsMessage()
    {
        var outcome = await Dispatch(Button("fx:page:tasks:3"));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var sent = _responder.Single();
        Assert.Equal(InteractionCallbackType.UpdateMessage, sent.CallbackType);
        Assert.Equal("list tasks page 3", sent.Message!.Content);
    }

    [Fact]
    public async Task Dispatch_SelectMenu_PassesValues()
    {
        await Dispatch(Select("fx:pick", "a", "b"));

        Assert.Equal("picked a,b", _responder.Single().Message!.Content);
    }

    [Fact]
    public async Task Dispatch_CommandShowingModal_SendsModalBuiltFromClass()
    {
        await Dispatch(Command("fx-modal"));

        var sent = _responder.Single();
        Assert.Equal(InteractionCallbackType.Modal, sent.CallbackType);
        var modal = sent.Response!.Modal!;
        Assert.Equal("fx:task:twitter_follow", modal.CustomId);
        Assert.Equal(3, modal.Components.Count);
    }

    [Fact]
    public async Task Dispatch_ModalSubmit_BindsFieldsAndCaptures()
    {
        var outcome = await Dispatch(ModalSubmit("fx:task:twitter_follow", ("username", "naffles"), ("notes", "be nice"), ("bonus", "15")));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        var modal = Assert.IsType<TaskModal>(_probe.LastBound);
        Assert.Equal(("twitter_follow", "naffles", "be nice", 15), (modal.Type, modal.Username, modal.Notes, modal.Bonus!.Value));
        Assert.Equal("modal twitter_follow naffles", _responder.Single().Message!.Content);
    }

    [Fact]
    public async Task Dispatch_ModalMissingRequiredField_IsInvalidInput()
    {
        var outcome = await Dispatch(ModalSubmit("fx:task:custom", ("notes", "x")));

        Assert.Equal(DispatchOutcome.InvalidInput, outcome);
        Assert.Contains("Twitter username", _responder.Single().Message!.Embeds[0].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_UnknownCommand_RepliesEphemeralError()
    {
        var outcome = await Dispatch(Command("no-such-command"));

        Assert.Equal(DispatchOutcome.Unknown, outcome);
        var sent = _responder.Single();
        Assert.Equal(InteractionCallbackType.ChannelMessageWithSource, sent.CallbackType);
        Assert.True(sent.Message!.Flags.HasFlag(MessageFlags.Ephemeral));
        Assert.Equal("❌ Unknown command", sent.Message.Embeds[0].Title);
    }

    [Fact]
    public async Task Dispatch_UnknownButton_RepliesEphemeralError()
    {
        var outcome = await Dispatch(Button("nobody:owns:this"));

        Assert.Equal(DispatchOutcome.Unknown, outcome);
        Assert.True(_responder.Single().Message!.Flags.HasFlag(MessageFlags.Ephemeral));
    }

    [Fact]
    public async Task Dispatch_HandlerThrows_LogsWithIdsAndRepliesErrorEmbed()
    {
        var interaction = Command("fx-boom");

        var outcome = await Dispatch(interaction);

        Assert.Equal(DispatchOutcome.Failed, outcome);
        var sent = _responder.Single();
        Assert.True(sent.Message!.Flags.HasFlag(MessageFlags.Ephemeral));
        var embed = Assert.Single(sent.Message.Embeds);
        Assert.Equal(NafflesEmbeds.ErrorRed, embed.Color);
        Assert.StartsWith("❌", embed.Title, StringComparison.Ordinal);
        var log = Assert.Single(_harness.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException { Message: "kaboom" });
        Assert.Contains(interaction.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), log.Message, StringComparison.Ordinal);
        Assert.Contains("test.router", log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dispatch_HandlerNeverReplies_SendsGenericAcknowledgement()
    {
        var outcome = await Dispatch(Command("fx-silent"));

        Assert.Equal(DispatchOutcome.Handled, outcome);
        Assert.Equal(InteractionCallbackType.ChannelMessageWithSource, _responder.Single().CallbackType);
    }

    [Fact]
    public async Task Dispatch_SlowHandler_IsDeferredAtBudgetThenReplyEditsOriginal()
    {
        var dispatch = _harness.Router.DispatchAsync(Command("fx-slow"), _responder, CancellationToken.None).AsTask();
        await _probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(_responder.Sent);

        await AdvanceUntilResponsesAsync(1);
        var deferral = _responder.Single();
        Assert.Equal(InteractionCallbackType.DeferredChannelMessageWithSource, deferral.CallbackType);
        Assert.False(deferral.Message?.Flags.HasFlag(MessageFlags.Ephemeral) ?? false);

        _probe.Release.SetResult();
        Assert.Equal(DispatchOutcome.Handled, await dispatch.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, _responder.Sent.Count);
        Assert.Equal("edit-original", _responder.Sent[1].Kind);
        Assert.Equal("finally", _responder.Sent[1].Message!.Content);
    }

    [Fact]
    public async Task Dispatch_SlowEphemeralHandler_DefersEphemerally()
    {
        var dispatch = _harness.Router.DispatchAsync(Command("fx-slow-private"), _responder, CancellationToken.None).AsTask();
        await _probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AdvanceUntilResponsesAsync(1);

        Assert.True(_responder.Single().Message!.Flags.HasFlag(MessageFlags.Ephemeral));
        _probe.Release.SetResult();
        await dispatch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("edit-original", _responder.Sent[1].Kind);
    }

    [Fact]
    public async Task Dispatch_HandlerDoneBeforeBudget_IsNotDeferred()
    {
        _probe.Release.SetResult();

        await Dispatch(Command("fx-slow"));

        Assert.Equal(InteractionCallbackType.ChannelMessageWithSource, _responder.Single().CallbackType);
    }

    [Fact]
    public async Task Dispatch_SlowHandlerThatThrowsAfterDeferral_EditsOriginalWithErrorEmbed()
    {
        var dispatch = _harness.Router.DispatchAsync(Command("fx-slow"), _responder, CancellationToken.None).AsTask();
        await _probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await AdvanceUntilResponsesAsync(1);

        _probe.Release.SetException(new InvalidOperationException("late failure"));

        Assert.Equal(DispatchOutcome.Failed, await dispatch.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("edit-original", _responder.Sent[1].Kind);
        Assert.Equal(NafflesEmbeds.ErrorRed, _responder.Sent[1].Message!.Embeds[0].Color);
    }

    [Fact]
    public async Task Dispatch_GuardDenies_HandlerDoesNotRunAndDenialIsEphemeral()
    {
        _guards.Add(new FuncGuard((_, route) => route.Name == "fx-create"
            ? GuardResult.Deny(MessagePayload.FromText("⏰ Slow down"), "rate-limited")
            : GuardResult.Allow));

        var outcome = await Dispatch(Command("fx-create", [
            Opt("title", CommandOptionType.String, "t"), Opt("points", CommandOptionType.Integer, 1L), Opt("kind", CommandOptionType.String, "custom"),
        ]));

        Assert.Equal(DispatchOutcome.Denied, outcome);
        Assert.Null(_probe.LastBound);
        var sent = _responder.Single();
        Assert.Equal("⏰ Slow down", sent.Message!.Content);
        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Ephemeral));
    }

    [Fact]
    public async Task Dispatch_GuardSeesRouteOfButtons_AndDoesNotBlockWhenAllowing()
    {
        var seen = new List<RouteInfo>();
        _guards.Add(new FuncGuard((_, route) =>
        {
            seen.Add(route);
            return GuardResult.Allow;
        }));

        await Dispatch(Button("complete_task_5"));

        var route = Assert.Single(seen);
        Assert.Equal((RouteKind.Component, "complete_task_{taskId}", "test.router"), (route.Kind, route.Name, route.PluginId));
        Assert.Equal("completed 5", _responder.Single().Message!.Content);
    }

    [Fact]
    public async Task Dispatch_Ping_AnswersPong()
    {
        var ping = Command("x") with { Type = InteractionType.Ping, Command = null };

        Assert.Equal(DispatchOutcome.Pong, await Dispatch(ping));
        Assert.Equal(InteractionCallbackType.Pong, _responder.Single().CallbackType);
    }

    [Fact]
    public async Task Dispatch_ConcurrentInteractions_AreHandledIndependently()
    {
        var tasks = Enumerable.Range(0, 50).Select(i => _harness.Router.DispatchAsync(Button($"fx:complete:{i}"), _responder, CancellationToken.None).AsTask());

        var outcomes = await Task.WhenAll(tasks);

        Assert.All(outcomes, o => Assert.Equal(DispatchOutcome.Handled, o));
        Assert.Equal(50, _responder.Sent.Select(s => s.Message!.Content).Distinct().Count());
    }

    [Fact]
    public async Task Unload_WaitsForInFlightInteraction_ThenStopsRouting()
    {
        _probe.Release.TrySetResult();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _guards.Add(new AsyncGuard(async () =>
        {
            started.TrySetResult();
            await gate.Task;
        }));
        var dispatch = _harness.Router.DispatchAsync(Command("fx-silent"), _responder, CancellationToken.None).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var plugin = Assert.Single(_harness.Plugins.Loaded);
        Assert.Equal(1, plugin.InFlight);

        var unload = _harness.Plugins.UnloadAsync("test.router", CancellationToken.None);
        await Task.Delay(50);
        Assert.False(unload.IsCompleted, "unload must wait for the in-flight interaction");
        Assert.Equal(NafflesBotKit.Runtime.Plugins.PluginState.Draining, plugin.State);
        Assert.Equal(DispatchOutcome.Unknown, await _harness.Router.DispatchAsync(Command("fx-silent"), new RecordingResponder(), CancellationToken.None));

        gate.SetResult();
        Assert.Equal(DispatchOutcome.Handled, await dispatch.WaitAsync(TimeSpan.FromSeconds(10)));
        await unload.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NafflesBotKit.Runtime.Plugins.PluginState.Unloaded, plugin.State);
        Assert.Equal(0, plugin.InFlight);
    }

    private async Task<DispatchOutcome> Dispatch(Interaction interaction) =>
        await _harness.Router.DispatchAsync(interaction, _responder, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));

    private async Task AdvanceUntilResponsesAsync(int count)
    {
        // The router arms its timer right after the handler yields; keep moving fake time until it fires.
        for (var i = 0; i < 500 && _responder.Sent.Count < count; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(10);
        }

        await _responder.WaitForCountAsync(count);
    }

    private sealed class DelegatingGuard(List<IInteractionGuard> guards) : IInteractionGuard
    {
        public int Order => 0;

        public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
        {
            foreach (var guard in guards)
            {
                var result = await guard.CheckAsync(interaction, route, cancellationToken);
                if (!result.Allowed)
                {
                    return result;
                }
            }

            return GuardResult.Allow;
        }
    }

    private sealed class AsyncGuard(Func<Task> wait) : IInteractionGuard
    {
        public int Order => 0;

        public async ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken)
        {
            await wait();
            return GuardResult.Allow;
        }
    }

    private sealed class FuncGuard(Func<Interaction, RouteInfo, GuardResult> check) : IInteractionGuard
    {
        public int Order => 0;

        public ValueTask<GuardResult> CheckAsync(Interaction interaction, RouteInfo route, CancellationToken cancellationToken) =>
            ValueTask.FromResult(check(interaction, route));
    }

    /// <summary>A transport that records the router's deferral hints and passes everything else on.</summary>
    private sealed class HintRecorder(RecordingResponder inner) : IInteractionResponder, IInteractionDeferralHint
    {
        public List<InteractionResponse> Hints { get; } = [];

        public void PreferDeferral(InteractionResponse deferral) => Hints.Add(deferral);

        public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) => inner.RespondAsync(interaction, response, cancellationToken);

        public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => inner.EditOriginalAsync(interaction, message, cancellationToken);

        public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) => inner.DeleteOriginalAsync(interaction, cancellationToken);

        public ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) => inner.CreateFollowupAsync(interaction, message, cancellationToken);

        public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) => inner.EditFollowupAsync(interaction, messageId, message, cancellationToken);
    }
}
