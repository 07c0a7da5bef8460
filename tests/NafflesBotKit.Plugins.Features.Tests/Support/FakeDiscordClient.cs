using System.Collections.Concurrent;
using NafflesBotKit.Discord;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;

namespace NafflesBotKit.Plugins.Features.Tests.Support;

public sealed record SentMessage(ulong ChannelId, ulong MessageId, MessagePayload Message);

public sealed record EditedMessage(ulong ChannelId, ulong MessageId, MessagePayload Message);

/// <summary>A recording <see cref="IDiscordClient"/> at the unit boundary (the Discord emulator is not merged yet).</summary>
public sealed class FakeDiscordClient : IDiscordClient
{
    private long _nextId = 900_000_000_000_000_000;
    private readonly ConcurrentDictionary<ulong, byte> _deleted = new();
    private readonly ConcurrentDictionary<(ulong Guild, ulong User), GuildMember> _members = new();
    private readonly ConcurrentQueue<SentMessage> _sent = new();
    private readonly ConcurrentQueue<EditedMessage> _edits = new();
    private readonly ConcurrentQueue<(ulong Guild, ulong User, ulong Role)> _roles = new();
    private readonly ConcurrentQueue<(ulong User, MessagePayload Message)> _dms = new();

    public IReadOnlyList<SentMessage> Sent => [.. _sent];

    public IReadOnlyList<EditedMessage> Edits => [.. _edits];

    public IReadOnlyList<(ulong Guild, ulong User, ulong Role)> RolesAdded => [.. _roles];

    public IReadOnlyList<(ulong User, MessagePayload Message)> DirectMessages => [.. _dms];

    /// <summary>Channels whose sends fail with 50013 Missing Permissions.</summary>
    public ConcurrentDictionary<ulong, byte> ForbiddenChannels { get; } = new();

    public void AddMember(ulong guildId, ulong userId) =>
        _members[(guildId, userId)] = new GuildMember(guildId, new DiscordUser(userId, "member" + userId), []);

    public void DeleteMessage(ulong messageId) => _deleted[messageId] = 1;

    public ValueTask<ulong> SendMessageAsync(ulong channelId, MessagePayload message, CancellationToken cancellationToken)
    {
        message.Validate();
        if (ForbiddenChannels.ContainsKey(channelId))
        {
            throw new DiscordApiException(403, DiscordApiException.MissingPermissions, "Missing Permissions", "POST /channels/{channel_id}/messages");
        }

        var id = (ulong)Interlocked.Increment(ref _nextId);
        _sent.Enqueue(new SentMessage(channelId, id, message));
        return ValueTask.FromResult(id);
    }

    public ValueTask EditMessageAsync(ulong channelId, ulong messageId, MessagePayload message, CancellationToken cancellationToken)
    {
        message.Validate();
        if (_deleted.ContainsKey(messageId))
        {
            throw new DiscordApiException(404, DiscordApiException.UnknownMessage, "Unknown Message", "PATCH /channels/{channel_id}/messages/{message_id}");
        }

        _edits.Enqueue(new EditedMessage(channelId, messageId, message));
        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteMessageAsync(ulong channelId, ulong messageId, CancellationToken cancellationToken)
    {
        _deleted[messageId] = 1;
        return ValueTask.CompletedTask;
    }

    public ValueTask<GuildMember?> GetMemberAsync(ulong guildId, ulong userId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_members.TryGetValue((guildId, userId), out var m) ? m : null);

    public ValueTask AddRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken)
    {
        _roles.Enqueue((guildId, userId, roleId));
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveRoleAsync(ulong guildId, ulong userId, ulong roleId, string? auditLogReason, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask<ulong> SendDirectMessageAsync(ulong userId, MessagePayload message, CancellationToken cancellationToken)
    {
        _dms.Enqueue((userId, message));
        return ValueTask.FromResult((ulong)Interlocked.Increment(ref _nextId));
    }
}
