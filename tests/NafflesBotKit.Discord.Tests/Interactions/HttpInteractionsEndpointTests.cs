using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NafflesBotKit.Discord.Tests.Support;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Testing.Discord;
using NafflesBotKit.Transport;
using NSec.Cryptography;

namespace NafflesBotKit.Discord.Tests.Interactions;

public sealed class HttpInteractionsEndpointTests
{
    private static async Task<(EmulatedUser User, ulong Guild, ulong Channel)> SetUpCommandAsync(InteractionsHost host)
    {
        var (guild, channel) = host.Emulator.AddGuild();
        var user = host.Emulator.AddUser("alice", "Alice");
        host.Emulator.AddMember(guild.Id, user.Id);
        var rest = new JsonArray(new JsonObject
        {
            ["name"] = "points",
            ["description"] = "Show points",
            ["options"] = new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["name"] = "show",
                ["description"] = "Show",
                ["options"] = new JsonArray(
                    new JsonObject { ["type"] = 6, ["name"] = "who", ["description"] = "Who" },
                    new JsonObject { ["type"] = 4, ["name"] = "days", ["description"] = "Days" }),
            }),
        });
        using var http = new HttpClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, host.Emulator.Urls.RestBaseUrl + $"/applications/{host.Emulator.ApplicationId}/commands")
        {
            Content = new StringContent(rest.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        put.Headers.TryAddWithoutValidation("Authorization", "Bot " + host.Emulator.BotToken);
        (await http.SendAsync(put)).EnsureSuccessStatusCode();
        return (user, guild.Id, channel);
    }

    [Fact]
    public async Task Ping_SignedByDiscord_AnsweredWithPong()
    {
        await using var host = await InteractionsHost.StartAsync();

        var ping = await host.Emulator.Interactions.PingAsync();

        Assert.Equal(200, ping.Delivery.HttpStatus);
        Assert.StartsWith("application/json", ping.Delivery.ContentType, StringComparison.Ordinal);
        Assert.Equal("""{"type":1}""", Encoding.UTF8.GetString(ping.Delivery.Body));
        Assert.Equal(1, ping.Interaction.Response!.Type);
        Assert.Empty(host.Received);
    }

    [Fact]
    public async Task Command_RoutedAndAnsweredInline_ThenFollowupAndEditOverRest()
    {
        await using var host = await InteractionsHost.StartAsync();
        var (user, guild, channel) = await SetUpCommandAsync(host);
        var followupSent = new TaskCompletionSource();
        host.Handler = async (i, r, ct) =>
        {
            await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, MessagePayload.FromText("You have 50 points")), ct);
            await r.EditOriginalAsync(i, MessagePayload.FromText("You have 55 points"), ct);
            await r.CreateFollowupAsync(i, new MessagePayload { Content = "Details", Flags = MessageFlags.Ephemeral }, ct);
            var second = await Assert.ThrowsAsync<DiscordApiException>(async () => await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), ct));
            Assert.Equal(DiscordApiException.AlreadyAcknowledged, second.Code);
            followupSent.SetResult();
        };

        var sent = await host.Emulator.Interactions.RunCommandAsync(user, guild, channel, "points show", new Dictionary<string, object> { ["who"] = user.Id, ["days"] = 7 });
        await followupSent.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(200, sent.Delivery.HttpStatus);
        var response = sent.Interaction.Response!;
        Assert.True(response.Inline);
        Assert.Equal(4, response.Type);
        var original = host.Emulator.Message(sent.Interaction.OriginalMessageId!.Value)!;
        Assert.Equal("You have 55 points", original.Content);
        var followup = host.Emulator.Message(Assert.Single(sent.Interaction.FollowupIds))!;
        Assert.Equal(64, followup.Flags);

        var parsed = Assert.Single(host.Received);
        Assert.Equal(sent.Interaction.Id, parsed.Id);
        Assert.Equal(guild, parsed.GuildId);
        Assert.Equal(user.Id, parsed.User.Id);
        Assert.Equal("points", parsed.Command!.Name);
        var sub = Assert.Single(parsed.Command.Options);
        Assert.Equal(CommandOptionType.SubCommand, sub.Type);
        Assert.Equal(7L, sub.Options!.Single(o => o.Name == "days").Value);
        Assert.Equal(user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), sub.Options!.Single(o => o.Name == "who").Value);
        Assert.Equal("alice", parsed.Command.Resolved!.Users[user.Id].Username);
        Assert.Empty(host.Validation.Violations);
    }

    [Fact]
    public async Task SlowHandler_EndpointDefersAtDeadline_LateMessageBecomesEditOfOriginal()
    {
        await using var host = await InteractionsHost.StartAsync(deadline: "00:00:00.200");
        var (user, guild, channel) = await SetUpCommandAsync(host);
        var done = new TaskCompletionSource();
        host.Handler = async (i, r, ct) =>
        {
            // Wait until Discord (the emulator) has seen the endpoint's own deferral, then answer late.
            await host.Emulator.WaitForResponseAsync(i.Id);
            await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, MessagePayload.FromText("finally")), ct);
            done.SetResult();
        };

        var sent = await host.Emulator.Interactions.RunCommandAsync(user, guild, channel, "points");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, sent.Interaction.Response!.Type);
        var original = host.Emulator.Message(sent.Interaction.OriginalMessageId!.Value)!;
        Assert.Equal("finally", original.Content);
        Assert.False(original.Loading);
        Assert.Equal(0, sent.Interaction.RejectedCallbacks);
    }

    [Fact]
    public async Task SlowComponentHandler_EndpointDefersAsHinted_LateEphemeralReplyEditsTheDeferredMessage()
    {
        await using var host = await InteractionsHost.StartAsync(deadline: "00:00:00.200");
        var (guild, channel, user, post) = SeedPost(host);
        var done = new TaskCompletionSource();
        host.Handler = async (i, r, ct) =>
        {
            // What the router does for a component whose handler replies with an ephemeral message.
            ((IInteractionDeferralHint)r).PreferDeferral(new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new MessagePayload { Flags = MessageFlags.Ephemeral }));
            await host.Emulator.WaitForResponseAsync(i.Id);
            await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new MessagePayload { Content = "details", Flags = MessageFlags.Ephemeral }), ct);
            done.SetResult();
        };

        var sent = await host.Emulator.Interactions.ClickAsync(user, guild, post.Id, "task:view:1");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, sent.Interaction.Response!.Type);
        Assert.Equal(64, (int)sent.Interaction.Response.Data!["flags"]!);
        Assert.NotEqual(post.Id, sent.Interaction.OriginalMessageId);
        Assert.Equal("details", host.Emulator.ResponseMessage(sent.Interaction.Id)!.Content);
        Assert.Equal("The post", host.Emulator.Message(post.Id)!.Content);
        Assert.Equal(0, sent.Interaction.RejectedCallbacks);
        Assert.Equal(channel, host.Emulator.ResponseMessage(sent.Interaction.Id)!.ChannelId);
    }

    [Fact]
    public async Task SlowComponentHandler_NoHint_DeferredUpdate_LateReplyBecomesFollowup_PostUntouched()
    {
        await using var host = await InteractionsHost.StartAsync(deadline: "00:00:00.200");
        var (guild, channel, user, post) = SeedPost(host);
        var done = new TaskCompletionSource();
        host.Handler = async (i, r, ct) =>
        {
            await host.Emulator.WaitForResponseAsync(i.Id);
            await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new MessagePayload { Content = "late reply", Flags = MessageFlags.Ephemeral }), ct);
            await r.EditOriginalAsync(i, MessagePayload.FromText("late reply, edited"), ct);
            done.SetResult();
        };

        var sent = await host.Emulator.Interactions.ClickAsync(user, guild, post.Id, "task:view:1");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // Discord's deferred update makes the post itself @original: the reply must not overwrite the post.
        Assert.Equal(6, sent.Interaction.Response!.Type);
        Assert.Equal("The post", host.Emulator.Message(post.Id)!.Content);
        var followup = host.Emulator.Message(Assert.Single(sent.Interaction.FollowupIds))!;
        Assert.Equal("late reply, edited", followup.Content);
        Assert.Equal(64, followup.Flags & 64);
        Assert.Equal(channel, followup.ChannelId);
    }

    [Fact]
    public async Task SlowComponentHandler_HintedDeferredUpdate_LateUpdateEditsThePost()
    {
        await using var host = await InteractionsHost.StartAsync(deadline: "00:00:00.200");
        var (guild, _, user, post) = SeedPost(host);
        var done = new TaskCompletionSource();
        host.Handler = async (i, r, ct) =>
        {
            ((IInteractionDeferralHint)r).PreferDeferral(new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage));
            await host.Emulator.WaitForResponseAsync(i.Id);
            await r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.UpdateMessage, MessagePayload.FromText("page 2")), ct);
            done.SetResult();
        };

        var sent = await host.Emulator.Interactions.ClickAsync(user, guild, post.Id, "task:view:1");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(6, sent.Interaction.Response!.Type);
        Assert.Equal("page 2", host.Emulator.Message(post.Id)!.Content);
        Assert.Empty(sent.Interaction.FollowupIds);
    }

    private static (ulong Guild, ulong Channel, EmulatedUser User, EmulatedMessage Post) SeedPost(InteractionsHost host)
    {
        var (guild, channel) = host.Emulator.AddGuild();
        var user = host.Emulator.AddUser("dora");
        host.Emulator.AddMember(guild.Id, user.Id);
        var post = host.Emulator.SeedMessage(
            channel,
            new JsonArray(new JsonObject
            {
                ["type"] = 1,
                ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["style"] = 2, ["label"] = "View", ["custom_id"] = "task:view:1" }),
            }),
            "The post");
        return (guild.Id, channel, user, post);
    }

    [Fact]
    public async Task DispatcherFails_EndpointStillAnswersWithEphemeralError()
    {
        await using var host = await InteractionsHost.StartAsync();
        var (user, guild, channel) = await SetUpCommandAsync(host);
        host.Handler = (_, _, _) => throw new InvalidOperationException("boom");

        var sent = await host.Emulator.Interactions.RunCommandAsync(user, guild, channel, "points");

        Assert.Equal(200, sent.Delivery.HttpStatus);
        Assert.Equal(4, sent.Interaction.Response!.Type);
        Assert.Equal(64, (int)sent.Interaction.Response.Data!["flags"]!);
    }

    [Fact]
    public async Task Autocomplete_ChoicesAnsweredInline()
    {
        await using var host = await InteractionsHost.StartAsync();
        var (user, guild, channel) = await SetUpCommandAsync(host);
        host.Handler = (i, r, ct) =>
        {
            var focused = i.Command!.Options.Single().Options!.Single(o => o.Focused);
            return r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, Choices: [new AutocompleteChoice("Seven days", 7L), new AutocompleteChoice("Typed " + focused.Value, 1L)]), ct);
        };

        var sent = await host.Emulator.Interactions.AutocompleteAsync(user, guild, channel, "points show", "days", "7");

        Assert.Equal(8, sent.Interaction.Response!.Type);
        var choices = (System.Text.Json.Nodes.JsonArray)sent.Interaction.Response.Data!["choices"]!;
        Assert.Equal(2, choices.Count);
        Assert.Equal("Typed 7", (string)choices[1]!["name"]!);
    }

    [Fact]
    public async Task InlineResponseWithFile_SentAsMultipart()
    {
        await using var host = await InteractionsHost.StartAsync();
        var (user, guild, channel) = await SetUpCommandAsync(host);
        host.Handler = (i, r, ct) => r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new MessagePayload { Content = "CSV", Files = [new FileAttachment("entries.csv", "a,b\n1,2\n"u8.ToArray(), "text/csv")] }), ct);

        var sent = await host.Emulator.Interactions.RunCommandAsync(user, guild, channel, "points");

        Assert.StartsWith("multipart/form-data", sent.Delivery.ContentType, StringComparison.Ordinal);
        var original = host.Emulator.Message(sent.Interaction.OriginalMessageId!.Value)!;
        Assert.Equal("entries.csv", Assert.Single(original.Attachments).FileName);
    }

    [Fact]
    public async Task ComponentClick_UpdateMessageInline_EditsTheMessage()
    {
        await using var host = await InteractionsHost.StartAsync();
        var (guild, channel) = host.Emulator.AddGuild();
        var user = host.Emulator.AddUser("bob");
        var message = host.Emulator.SeedMessage(channel, new JsonArray(new JsonObject
        {
            ["type"] = 1,
            ["components"] = new JsonArray(new JsonObject { ["type"] = 3, ["custom_id"] = "pick:7", ["options"] = new JsonArray(new JsonObject { ["label"] = "A", ["value"] = "a" }, new JsonObject { ["label"] = "B", ["value"] = "b" }) }),
        }));
        host.Handler = (i, r, ct) => r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.UpdateMessage, MessagePayload.FromText("picked " + string.Join('+', i.Component!.Values))), ct);

        var sent = await host.Emulator.Interactions.ClickAsync(user, guild.Id, message.Id, "pick:7", ["a", "b"]);

        Assert.Equal(7, sent.Interaction.Response!.Type);
        Assert.Equal("picked a+b", host.Emulator.Message(message.Id)!.Content);
        var parsed = Assert.Single(host.Received);
        Assert.Equal(3, parsed.Component!.ComponentType);
        Assert.Equal(message.Id, parsed.Message!.Id);
        Assert.Equal(channel, parsed.Message.ChannelId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ModalSubmit_RowsOrLabels_ParsedIntoFields(bool labels)
    {
        await using var host = await InteractionsHost.StartAsync();
        var (guild, channel) = host.Emulator.AddGuild();
        var user = host.Emulator.AddUser("carol");
        host.Handler = (i, r, ct) => r.RespondAsync(i, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, new MessagePayload { Content = "saved", Flags = MessageFlags.Ephemeral }), ct);

        var sent = await host.Emulator.Interactions.SubmitModalAsync(user, guild.Id, channel, "task:create:twitter", new Dictionary<string, string> { ["title"] = "Follow", ["points"] = "50" }, labels);

        Assert.Equal(4, sent.Interaction.Response!.Type);
        var parsed = Assert.Single(host.Received);
        Assert.Equal("task:create:twitter", parsed.Modal!.CustomId);
        Assert.Equal("Follow", parsed.Modal.Fields["title"]);
        Assert.Equal("50", parsed.Modal.Fields["points"]);
    }

    [Theory]
    [InlineData("tamper-body")]
    [InlineData("tamper-timestamp")]
    [InlineData("wrong-key")]
    [InlineData("bad-hex")]
    [InlineData("short-signature")]
    [InlineData("missing")]
    public async Task BadSignature_Rejected401BeforeParsing(string mode)
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        await using var host = await InteractionsHost.StartAsync(Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        var body = """{"id":"123456789012345678","application_id":"1","type":1,"token":"t","version":1}""";
        var timestamp = "1767225600";
        var signature = mode == "wrong-key" ? Sign(other, timestamp, body) : Sign(key, timestamp, body);
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint)
        {
            Content = new StringContent(mode == "tamper-body" ? body.Replace("\"type\":1", "\"type\":2", StringComparison.Ordinal) : body, Encoding.UTF8, "application/json"),
        };
        if (mode != "missing")
        {
            request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", mode switch { "bad-hex" => new string('z', 128), "short-signature" => signature[..126], _ => signature });
            request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", mode == "tamper-timestamp" ? "1767225601" : timestamp);
        }

        using var http = new HttpClient();
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(host.Received);
    }

    [Fact]
    public async Task GoodSignature_SameRequest_Accepted()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        await using var host = await InteractionsHost.StartAsync(Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
        var body = """{"id":"123456789012345678","application_id":"1","type":1,"token":"t","version":1}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, host.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Signature-Ed25519", Sign(key, "1767225600", body));
        request.Headers.TryAddWithoutValidation("X-Signature-Timestamp", "1767225600");

        using var http = new HttpClient();
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"type":1}""", await response.Content.ReadAsStringAsync());
    }

    private static string Sign(Key key, string timestamp, string body) =>
        HttpInteractionTransport.Sign(key, timestamp, Encoding.UTF8.GetBytes(body));
}
