using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Testing.Discord;

public sealed partial class DiscordEmulator
{
    private readonly ConcurrentDictionary<ulong, JsonArray> _commands = new(); // key 0 = global
    private readonly ConcurrentDictionary<ulong, EmulatedMessage> _messages = new();
    private readonly ConcurrentDictionary<ulong, ulong?> _channels = new(); // channel -> guild (null for DMs)
    private readonly ConcurrentDictionary<ulong, EmulatedGuild> _guilds = new();
    private readonly ConcurrentDictionary<ulong, EmulatedUser> _users = new();
    private readonly ConcurrentDictionary<ulong, ulong> _dmChannels = new(); // user -> channel
    private readonly ConcurrentDictionary<string, EmulatedInteraction> _interactionsByToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ulong, EmulatedInteraction> _interactions = new();
    private readonly ConcurrentDictionary<ulong, int> _commandOverwrites = new();
    private readonly ConcurrentDictionary<ulong, Permissions> _botChannelDenies = new(); // channel -> denied for the bot

    /// <summary>How many bulk overwrites a scope received (0 = global).</summary>
    /// <param name="guildId">The guild, or null for global commands.</param>
    public int CommandOverwriteCount(ulong? guildId = null) => _commandOverwrites.TryGetValue(guildId ?? 0, out var n) ? n : 0;

    /// <summary>The commands registered in a scope, as Discord returns them.</summary>
    /// <param name="guildId">The guild, or null for global commands.</param>
    public JsonArray Commands(ulong? guildId = null) => (JsonArray)(_commands.TryGetValue(guildId ?? 0, out var list) ? list.DeepClone() : new JsonArray());

    /// <summary>Adds a user.</summary>
    /// <param name="username">The username.</param>
    /// <param name="globalName">The display name.</param>
    /// <param name="email">The account's e-mail address (seen by OAuth2 tokens with the <c>email</c> scope).</param>
    /// <param name="emailVerified">Whether Discord has verified the address.</param>
    public EmulatedUser AddUser(string username, string? globalName = null, string? email = null, bool emailVerified = true)
    {
        var user = new EmulatedUser(NextId(), username, globalName) { Email = email, EmailVerified = emailVerified };
        _users[user.Id] = user;
        return user;
    }

    /// <summary>Adds a guild with a text channel.</summary>
    /// <returns>The guild and its channel.</returns>
    public (EmulatedGuild Guild, ulong ChannelId) AddGuild()
    {
        var guild = new EmulatedGuild { Id = NextId() };
        _guilds[guild.Id] = guild;
        var channel = NextId();
        _channels[channel] = guild.Id;
        return (guild, channel);
    }

    /// <summary>Adds a text channel to a guild.</summary>
    /// <param name="guildId">The guild.</param>
    public ulong AddChannel(ulong guildId)
    {
        var channel = NextId();
        _channels[channel] = guildId;
        return channel;
    }

    /// <summary>
    /// A permission overwrite on a channel that denies the bot <paramref name="denied"/> (as a server admin does to keep a
    /// bot out of a channel): creating messages there answers 403 Missing Permissions (50013) when Send Messages is denied.
    /// </summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="denied">The denied permissions.</param>
    public void DenyBotInChannel(ulong channelId, Permissions denied) => _botChannelDenies[channelId] = denied;

    /// <summary>Adds a role to a guild.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="name">The role name.</param>
    public ulong AddRole(ulong guildId, string name)
    {
        var id = NextId();
        var guild = Guild(guildId);
        lock (guild)
        {
            guild.Roles[id] = name;
        }

        return id;
    }

    /// <summary>Makes a user a member of a guild.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The user.</param>
    /// <param name="roles">Initial roles.</param>
    public void AddMember(ulong guildId, ulong userId, params ulong[] roles)
    {
        var guild = Guild(guildId);
        lock (guild)
        {
            guild.Members[userId] = [.. roles];
        }
    }

    /// <summary>The guild.</summary>
    /// <param name="guildId">Its id.</param>
    public EmulatedGuild Guild(ulong guildId) =>
        _guilds.TryGetValue(guildId, out var g) ? g : throw new InvalidOperationException($"Guild {guildId} is not known to the emulator.");

    /// <summary>A member's roles, or null if not a member.</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The user.</param>
    public IReadOnlyCollection<ulong>? MemberRoles(ulong guildId, ulong userId)
    {
        var guild = Guild(guildId);
        lock (guild)
        {
            return guild.Members.TryGetValue(userId, out var roles) ? [.. roles] : null;
        }
    }

    /// <summary>The messages in a channel (including deleted ones, flagged), oldest first.</summary>
    /// <param name="channelId">The channel.</param>
    public IReadOnlyList<EmulatedMessage> Messages(ulong channelId) =>
        [.. _messages.Values.Where(m => m.ChannelId == channelId).OrderBy(m => m.Id)];

    /// <summary>The last message the bot posted in a channel (not deleted), or null.</summary>
    /// <param name="channelId">The channel.</param>
    public EmulatedMessage? LastMessage(ulong channelId) => Messages(channelId).LastOrDefault(m => !m.Deleted);

    /// <summary>The message an interaction's response created or edited (its <c>@original</c>), or null.</summary>
    /// <param name="interactionId">The interaction.</param>
    public EmulatedMessage? ResponseMessage(ulong interactionId) =>
        Interaction(interactionId).OriginalMessageId is { } id ? Message(id) : null;

    /// <summary>A message by id.</summary>
    /// <param name="messageId">The id.</param>
    public EmulatedMessage? Message(ulong messageId) => _messages.TryGetValue(messageId, out var m) ? m : null;

    /// <summary>The DM channel opened with a user, if any.</summary>
    /// <param name="userId">The user.</param>
    public ulong? DmChannel(ulong userId) => _dmChannels.TryGetValue(userId, out var c) ? c : null;

    /// <summary>An interaction the emulator sent, with the responses it got.</summary>
    /// <param name="interactionId">The id.</param>
    public EmulatedInteraction Interaction(ulong interactionId) =>
        _interactions.TryGetValue(interactionId, out var i) ? i : throw new InvalidOperationException($"Interaction {interactionId} was not sent by the emulator.");

    /// <summary>Waits until the bot acknowledged an interaction (a safety timeout, not a timing assertion).</summary>
    /// <param name="interactionId">The id.</param>
    /// <param name="timeout">How long to wait at most (real time).</param>
    public Task<EmulatedCallback> WaitForResponseAsync(ulong interactionId, TimeSpan? timeout = null) =>
        Interaction(interactionId).Answered.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    /// <summary>
    /// Forgets the recorded requests, the interactions sent and the messages their responses created (for long load runs
    /// that measure memory). Guilds, users, commands and other messages stay.
    /// </summary>
    public void ForgetHistory()
    {
        _requests.Clear();
        foreach (var message in _messages.Values.Where(m => m.InteractionId is not null))
        {
            _messages.TryRemove(message.Id, out _);
        }

        _interactions.Clear();
        _interactionsByToken.Clear();
    }

    /// <summary>Posts a message as the bot would have (e.g. an existing message with buttons, for a click simulation).</summary>
    /// <param name="channelId">The channel.</param>
    /// <param name="components">Components JSON.</param>
    /// <param name="content">Content.</param>
    public EmulatedMessage SeedMessage(ulong channelId, JsonArray? components = null, string? content = "seed")
    {
        var message = new EmulatedMessage { Id = NextId(), ChannelId = channelId, Content = content, Components = components ?? [] };
        _messages[message.Id] = message;
        return message;
    }

    internal void Register(EmulatedInteraction interaction)
    {
        _interactions[interaction.Id] = interaction;
        _interactionsByToken[interaction.Token] = interaction;
    }

    private void RegisterRoutes()
    {
        Map("GET", "/gateway", Auth.None, _ => Task.FromResult(Reply.Ok(new JsonObject { ["url"] = GatewayUrl })));
        Map("GET", "/gateway/bot", Auth.Bot, _ => Task.FromResult(Reply.Ok(new JsonObject
        {
            ["url"] = GatewayUrl,
            ["shards"] = 1,
            ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 1000, ["reset_after"] = 0, ["max_concurrency"] = 1 },
        })));
        Map("GET", "/applications/{application_id}/commands", Auth.Bot, r => GetCommands(r, null));
        Map("PUT", "/applications/{application_id}/commands", Auth.Bot, r => PutCommands(r, null));
        Map("GET", "/applications/{application_id}/guilds/{guild_id}/commands", Auth.Bot, r => GetCommands(r, r.IdParam("guild_id")));
        Map("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", Auth.Bot, r => PutCommands(r, r.IdParam("guild_id")));
        Map("POST", "/interactions/{interaction_id}/{interaction_token}/callback", Auth.None, Callback);
        Map("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", Auth.None, r => WebhookMessage(r, original: true, "GET"));
        Map("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", Auth.None, r => WebhookMessage(r, original: true, "PATCH"));
        Map("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/@original", Auth.None, r => WebhookMessage(r, original: true, "DELETE"));
        Map("POST", "/webhooks/{webhook_id}/{webhook_token}", Auth.None, Followup);
        Map("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", Auth.None, r => WebhookMessage(r, original: false, "GET"));
        Map("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", Auth.None, r => WebhookMessage(r, original: false, "PATCH"));
        Map("DELETE", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}", Auth.None, r => WebhookMessage(r, original: false, "DELETE"));
        Map("POST", "/channels/{channel_id}/messages", Auth.Bot, CreateMessage);
        Map("GET", "/channels/{channel_id}/messages/{message_id}", Auth.Bot, r => ChannelMessage(r, "GET"));
        Map("PATCH", "/channels/{channel_id}/messages/{message_id}", Auth.Bot, r => ChannelMessage(r, "PATCH"));
        Map("DELETE", "/channels/{channel_id}/messages/{message_id}", Auth.Bot, r => ChannelMessage(r, "DELETE"));
        Map("GET", "/guilds/{guild_id}/members/{user_id}", Auth.Bot, GetMember);
        Map("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", Auth.Bot, r => MemberRole(r, add: true));
        Map("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}", Auth.Bot, r => MemberRole(r, add: false));
        Map("POST", "/users/@me/channels", Auth.Bot, CreateDm);
        Map("GET", "/users/@me", Auth.BotOrBearer, CurrentUser);
        Map("POST", "/oauth2/token", Auth.None, Token);
    }

    private Task<Reply> GetCommands(RequestContext r, ulong? guildId)
    {
        if (r.IdParam("application_id") != ApplicationId)
        {
            return Task.FromResult(Reply.Error(403, 50001, "Missing Access"));
        }

        return Task.FromResult(Reply.Ok(Commands(guildId)));
    }

    private Task<Reply> PutCommands(RequestContext r, ulong? guildId)
    {
        if (r.IdParam("application_id") != ApplicationId)
        {
            return Task.FromResult(Reply.Error(403, 50001, "Missing Access"));
        }

        if (JsonNode.Parse(r.Body) is not JsonArray input)
        {
            return Task.FromResult(Reply.Error(400, 50035, "Invalid Form Body"));
        }

        var existing = Commands(guildId).OfType<JsonObject>().ToDictionary(c => (string)c["name"]!, c => c, StringComparer.Ordinal);
        var stored = new JsonArray();
        foreach (var command in input.OfType<JsonObject>())
        {
            var name = (string?)command["name"] ?? string.Empty;
            var copy = (JsonObject)command.DeepClone();
            copy["id"] = existing.TryGetValue(name, out var old) ? old["id"]!.DeepClone() : Id(NextId());
            copy["application_id"] = Id(ApplicationId);
            copy["version"] = Id(NextId());
            copy["type"] ??= 1;
            copy["default_member_permissions"] ??= null;
            copy["nsfw"] = false;
            copy["integration_types"] = new JsonArray(0);
            copy["name_localizations"] = null;
            copy["description_localizations"] = null;
            if (guildId is { } g)
            {
                copy["guild_id"] = Id(g);
            }

            stored.Add(copy);
        }

        _commands[guildId ?? 0] = stored;
        _commandOverwrites.AddOrUpdate(guildId ?? 0, 1, (_, n) => n + 1);
        return Task.FromResult(Reply.Ok(stored.DeepClone()));
    }

    private Task<Reply> Callback(RequestContext r)
    {
        var (json, files, error) = r.ReadPayload(this);
        if (error is not null)
        {
            return Task.FromResult(error);
        }

        if (!_interactions.TryGetValue(r.IdParam("interaction_id"), out var interaction) || interaction.Token != r.Param("interaction_token"))
        {
            return Task.FromResult(Reply.Error(404, 10062, "Unknown interaction"));
        }

        var type = (int?)json?["type"] ?? 0;
        var data = json?["data"] as JsonObject;
        var rejection = Acknowledge(interaction, type, data, files, inline: false);
        return Task.FromResult(rejection ?? Reply.NoContent());
    }

    /// <summary>Applies Discord's initial-response rules and effects; returns an error reply when rejected.</summary>
    private Reply? Acknowledge(EmulatedInteraction interaction, int type, JsonObject? data, List<EmulatedAttachment> files, bool inline, TimeSpan? roundTrip = null)
    {
        lock (interaction)
        {
            var elapsed = roundTrip is { } measured && Time == TimeProvider.System ? measured : Time.GetUtcNow() - interaction.CreatedAt;
            if (Options.EnforceInteractionDeadline && elapsed > TimeSpan.FromSeconds(3))
            {
                interaction.AddCallback(new EmulatedCallback(type, data, inline, false, files));
                return Reply.Error(404, 10062, "Unknown interaction");
            }

            if (interaction.IsAcknowledged)
            {
                interaction.AddCallback(new EmulatedCallback(type, data, inline, false, files));
                return Reply.Error(400, 40060, "Interaction has already been acknowledged.");
            }

            var invalid = ValidateCallback(interaction, type, data);
            if (invalid is not null)
            {
                return invalid;
            }

            switch (type)
            {
                case 4 or 5:
                    var message = new EmulatedMessage { Id = NextId(), ChannelId = interaction.ChannelId, InteractionId = interaction.Id, Loading = type == 5 };
                    ApplyMessage(message, data, files, edit: false);
                    _messages[message.Id] = message;
                    interaction.OriginalMessageId = message.Id;
                    break;
                case 7 when interaction.SourceMessageId is { } source && _messages.TryGetValue(source, out var target):
                    lock (target)
                    {
                        ApplyMessage(target, data, files, edit: true);
                    }

                    interaction.OriginalMessageId = source;
                    break;
                case 6:
                    interaction.OriginalMessageId = interaction.SourceMessageId;
                    break;
            }

            interaction.AddCallback(new EmulatedCallback(type, data, inline, true, files));
            return null;
        }
    }

    private static Reply? ValidateCallback(EmulatedInteraction interaction, int type, JsonObject? data)
    {
        var ok = type switch
        {
            1 => interaction.Type == InteractionType.Ping,
            4 or 5 => interaction.Type is not (InteractionType.Ping or InteractionType.ApplicationCommandAutocomplete),
            6 or 7 => interaction.Type is InteractionType.MessageComponent or InteractionType.ModalSubmit,
            8 => interaction.Type == InteractionType.ApplicationCommandAutocomplete,
            9 => interaction.Type is InteractionType.ApplicationCommand or InteractionType.MessageComponent,
            _ => false,
        };
        if (!ok)
        {
            return Reply.Error(400, 50035, $"Invalid Form Body: callback type {type} is not valid for interaction type {(int)interaction.Type}");
        }

        if (type == 8 && data?["choices"] is JsonArray { Count: > 25 })
        {
            return Reply.Error(400, 50035, "Invalid Form Body: at most 25 choices");
        }

        if (type == 9 && (((string?)data?["custom_id"])?.Length is null or < 1 or > 100 || ((string?)data?["title"])?.Length is null or < 1 or > 45))
        {
            return Reply.Error(400, 50035, "Invalid Form Body: modal custom_id 1-100 and title 1-45");
        }

        return type is 4 or 7 ? ValidateMessage(data, requireContent: type == 4) : null;
    }

    private static Reply? ValidateMessage(JsonObject? data, bool requireContent)
    {
        var content = (string?)data?["content"];
        if (content?.Length > 2000)
        {
            return Reply.Error(400, 50035, "Invalid Form Body", new JsonObject { ["content"] = "Must be 2000 or fewer in length." });
        }

        if (data?["embeds"] is JsonArray { Count: > 10 })
        {
            return Reply.Error(400, 50035, "Invalid Form Body", new JsonObject { ["embeds"] = "Must be 10 or fewer in length." });
        }

        if (data?["components"] is JsonArray { Count: > 5 })
        {
            return Reply.Error(400, 50035, "Invalid Form Body", new JsonObject { ["components"] = "Must be 5 or fewer in length." });
        }

        if (requireContent && string.IsNullOrEmpty(content) && data?["embeds"] is not JsonArray { Count: > 0 } && data?["components"] is not JsonArray { Count: > 0 } && data?["attachments"] is not JsonArray { Count: > 0 })
        {
            return Reply.Error(400, 50006, "Cannot send an empty message");
        }

        return null;
    }

    private void ApplyMessage(EmulatedMessage message, JsonObject? data, List<EmulatedAttachment> files, bool edit)
    {
        if (data is null)
        {
            return;
        }

        if (!edit || data.ContainsKey("content"))
        {
            message.Content = (string?)data["content"];
        }

        if (!edit || data.ContainsKey("embeds"))
        {
            message.Embeds = data["embeds"] is JsonArray e ? (JsonArray)e.DeepClone() : [];
        }

        if (!edit || data.ContainsKey("components"))
        {
            message.Components = data["components"] is JsonArray c ? (JsonArray)c.DeepClone() : [];
        }

        if (data["flags"] is JsonNode flags)
        {
            message.Flags = (int)flags;
        }

        if (files.Count > 0 || data.ContainsKey("attachments"))
        {
            message.Attachments = files;
        }

        if (edit)
        {
            message.EditCount++;
            message.Loading = false;
        }
    }

    private Task<Reply> Followup(RequestContext r) => WithInteractionToken(r, interaction =>
    {
        var (json, files, error) = r.ReadPayload(this);
        if (error is not null)
        {
            return error;
        }

        if (!interaction.IsAcknowledged)
        {
            return Reply.Error(404, 10015, "Unknown Webhook");
        }

        var data = json as JsonObject;
        var invalid = ValidateMessage(data, requireContent: true);
        if (invalid is not null)
        {
            return invalid;
        }

        var message = new EmulatedMessage { Id = NextId(), ChannelId = interaction.ChannelId, InteractionId = interaction.Id };
        ApplyMessage(message, data, files, edit: false);
        _messages[message.Id] = message;
        interaction.AddFollowup(message.Id);
        return Reply.Ok(message.ToJson(ApplicationId));
    });

    private Task<Reply> WebhookMessage(RequestContext r, bool original, string method) => WithInteractionToken(r, interaction =>
    {
        var id = original ? interaction.OriginalMessageId : r.IdParam("message_id");
        if (id is null || !_messages.TryGetValue(id.Value, out var message) || message.Deleted
            || (!original && !interaction.FollowupIds.Contains(id.Value) && interaction.OriginalMessageId != id))
        {
            return Reply.Error(404, 10008, "Unknown Message");
        }

        return EditOrDelete(r, message, method);
    });

    private Reply EditOrDelete(RequestContext r, EmulatedMessage message, string method)
    {
        switch (method)
        {
            case "GET":
                return Reply.Ok(message.ToJson(ApplicationId));
            case "DELETE":
                message.Deleted = true;
                return Reply.NoContent();
            default:
                var (json, files, error) = r.ReadPayload(this);
                if (error is not null)
                {
                    return error;
                }

                var invalid = ValidateMessage(json as JsonObject, requireContent: false);
                if (invalid is not null)
                {
                    return invalid;
                }

                lock (message)
                {
                    ApplyMessage(message, json as JsonObject, files, edit: true);
                }

                return Reply.Ok(message.ToJson(ApplicationId));
        }
    }

    private async Task<Reply> WithInteractionToken(RequestContext r, Func<EmulatedInteraction, Reply> action)
    {
        if (r.IdParam("webhook_id") != ApplicationId || !_interactionsByToken.TryGetValue(r.Param("webhook_token"), out var interaction))
        {
            return Reply.Error(404, 10015, "Unknown Webhook");
        }

        if (Time.GetUtcNow() - interaction.CreatedAt > TimeSpan.FromMinutes(15))
        {
            return Reply.Error(401, 50027, "Invalid Webhook Token");
        }

        // A bot that answered inline sends its edits and follow-ups only after writing that answer, so Discord has it by
        // then; here the answer is recorded by the simulator's own continuation, which a busy test process may run after
        // the bot's next request arrived. Wait for it rather than answer 404 for a message Discord would know.
        try
        {
            await interaction.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // judge by what was recorded so far
        }

        return action(interaction);
    }

    private Task<Reply> CreateMessage(RequestContext r)
    {
        var channelId = r.IdParam("channel_id");
        if (!_channels.TryGetValue(channelId, out var guildId))
        {
            return Task.FromResult(Reply.Error(404, 10003, "Unknown Channel"));
        }

        if (guildId is { } g && _guilds.TryGetValue(g, out var guild)
            && ((guild.BotPermissions & (Permissions.Administrator | Permissions.SendMessages)) == 0
                || ((guild.BotPermissions & Permissions.Administrator) == 0 && _botChannelDenies.TryGetValue(channelId, out var denied) && (denied & Permissions.SendMessages) != 0)))
        {
            return Task.FromResult(Reply.Error(403, 50013, "Missing Permissions"));
        }

        var (json, files, error) = r.ReadPayload(this);
        if (error is not null)
        {
            return Task.FromResult(error);
        }

        var data = json as JsonObject;
        var invalid = ValidateMessage(data, requireContent: true);
        if (invalid is not null && !(files.Count > 0 && invalid.Json?["code"]?.GetValue<int>() == 50006))
        {
            return Task.FromResult(invalid);
        }

        var message = new EmulatedMessage { Id = NextId(), ChannelId = channelId };
        ApplyMessage(message, data, files, edit: false);
        _messages[message.Id] = message;
        return Task.FromResult(Reply.Ok(message.ToJson(ApplicationId)));
    }

    private Task<Reply> ChannelMessage(RequestContext r, string method)
    {
        var channelId = r.IdParam("channel_id");
        if (!_channels.ContainsKey(channelId))
        {
            return Task.FromResult(Reply.Error(404, 10003, "Unknown Channel"));
        }

        if (!_messages.TryGetValue(r.IdParam("message_id"), out var message) || message.ChannelId != channelId || message.Deleted)
        {
            return Task.FromResult(Reply.Error(404, 10008, "Unknown Message"));
        }

        return Task.FromResult(EditOrDelete(r, message, method));
    }

    private Task<Reply> GetMember(RequestContext r)
    {
        if (!_guilds.TryGetValue(r.IdParam("guild_id"), out var guild))
        {
            return Task.FromResult(Reply.Error(404, 10004, "Unknown Guild"));
        }

        var userId = r.IdParam("user_id");
        lock (guild)
        {
            if (!guild.Members.TryGetValue(userId, out var roles))
            {
                return Task.FromResult(Reply.Error(404, 10007, "Unknown Member"));
            }

            var user = _users.TryGetValue(userId, out var u) ? u : new EmulatedUser(userId, "user" + userId);
            return Task.FromResult(Reply.Ok(new JsonObject
            {
                ["user"] = UserJson(user),
                ["nick"] = null,
                ["roles"] = new JsonArray([.. roles.Select(x => (JsonNode)Id(x))]),
                ["joined_at"] = "2024-01-01T00:00:00.000000+00:00",
                ["deaf"] = false,
                ["mute"] = false,
                ["flags"] = 0,
                ["pending"] = false,
            }));
        }
    }

    private Task<Reply> MemberRole(RequestContext r, bool add)
    {
        if (!_guilds.TryGetValue(r.IdParam("guild_id"), out var guild))
        {
            return Task.FromResult(Reply.Error(404, 10004, "Unknown Guild"));
        }

        lock (guild)
        {
            if ((guild.BotPermissions & (Permissions.Administrator | Permissions.ManageRoles)) == 0)
            {
                return Task.FromResult(Reply.Error(403, 50013, "Missing Permissions"));
            }

            var roleId = r.IdParam("role_id");
            if (!guild.Roles.ContainsKey(roleId))
            {
                return Task.FromResult(Reply.Error(404, 10011, "Unknown Role"));
            }

            if (!guild.Members.TryGetValue(r.IdParam("user_id"), out var roles))
            {
                return Task.FromResult(Reply.Error(404, 10007, "Unknown Member"));
            }

            if (r.Header("X-Audit-Log-Reason") is { } reason)
            {
                guild.AuditLogReasons.Add(Uri.UnescapeDataString(reason));
            }

            if (add)
            {
                roles.Add(roleId);
            }
            else
            {
                roles.Remove(roleId);
            }
        }

        return Task.FromResult(Reply.NoContent());
    }

    private Task<Reply> CreateDm(RequestContext r)
    {
        var json = JsonNode.Parse(r.Body);
        var userId = ParseId((string?)json?["recipient_id"]);
        if (!_users.TryGetValue(userId, out var user))
        {
            return Task.FromResult(Reply.Error(400, 50035, "Invalid Form Body", new JsonObject { ["recipient_id"] = "Unknown user" }));
        }

        var channelId = _dmChannels.GetOrAdd(userId, _ =>
        {
            var id = NextId();
            _channels[id] = null;
            return id;
        });
        return Task.FromResult(Reply.Ok(new JsonObject
        {
            ["id"] = Id(channelId),
            ["type"] = 1,
            ["last_message_id"] = null,
            ["flags"] = 0,
            ["recipients"] = new JsonArray(UserJson(user)),
        }));
    }

    internal static JsonObject UserJson(EmulatedUser user) => new()
    {
        ["id"] = Id(user.Id),
        ["username"] = user.Username,
        ["discriminator"] = "0",
        ["global_name"] = user.GlobalName,
        ["avatar"] = null,
        ["public_flags"] = 0,
    };

    private (JsonNode? Json, List<EmulatedAttachment> Files, Reply? Error) ParseMultipart(string contentType, byte[] body)
    {
        var boundary = MediaTypeHeaderValue.Parse(contentType).Parameters.FirstOrDefault(p => p.Name == "boundary")?.Value?.Trim('"');
        if (boundary is null)
        {
            return (null, [], Reply.Error(400, 50035, "Invalid Form Body (no boundary)"));
        }

        var reader = new Microsoft.AspNetCore.WebUtilities.MultipartReader(boundary, new MemoryStream(body));
        JsonNode? json = null;
        var files = new List<EmulatedAttachment>();
        while (reader.ReadNextSectionAsync().GetAwaiter().GetResult() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition ?? "form-data");
            var name = disposition.Name?.Trim('"');
            using var content = new MemoryStream();
            section.Body.CopyTo(content);
            if (name == "payload_json")
            {
                json = JsonNode.Parse(content.ToArray());
            }
            else if (name?.StartsWith("files[", StringComparison.Ordinal) == true)
            {
                files.Add(new EmulatedAttachment(NextId(), disposition.FileName?.Trim('"') ?? name, section.ContentType ?? "application/octet-stream", content.ToArray()));
            }
        }

        return (json, files, null);
    }
}

public sealed partial class DiscordEmulator
{
    internal EmulatedUser? FindUser(ulong id) => _users.TryGetValue(id, out var user) ? user : null;

    /// <summary>Records the inline HTTP response of an interaction under Discord's rules.</summary>
    internal void RecordInlineResponse(EmulatedInteraction interaction, InteractionDeliveryResult result)
    {
        JsonNode? json;
        List<EmulatedAttachment> files = [];
        if (result.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            (json, files, _) = ParseMultipart(result.ContentType, result.Body);
        }
        else
        {
            json = result.Json;
        }

        if (json is JsonObject response)
        {
            Acknowledge(interaction, (int?)response["type"] ?? 0, response["data"] as JsonObject, files, inline: true, result.RoundTrip);
        }
    }
}
