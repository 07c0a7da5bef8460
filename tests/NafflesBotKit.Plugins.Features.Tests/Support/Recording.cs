using System.Collections.Concurrent;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Transport;

namespace NafflesBotKit.Plugins.Features.Tests.Support;

public sealed record SentResponse(string Kind, InteractionCallbackType? CallbackType, MessagePayload? Message, InteractionResponse? Response);

public sealed class RecordingResponder : IInteractionResponder
{
    private readonly ConcurrentQueue<SentResponse> _sent = new();
    private long _followups;

    public IReadOnlyList<SentResponse> Sent => [.. _sent];

    /// <summary>The last message the user saw (reply, edit of a deferral, or follow-up).</summary>
    public MessagePayload LastMessage => Sent.Last(s => s.Message is { } m && (m.Embeds.Count > 0 || m.Content is not null || m.Files.Count > 0)).Message!;

    public Embed LastEmbed => Assert.Single(LastMessage.Embeds);

    public ModalPayload? Modal => Sent.FirstOrDefault(s => s.CallbackType == InteractionCallbackType.Modal)?.Response?.Modal;

    public ValueTask RespondAsync(Interaction interaction, InteractionResponse response, CancellationToken cancellationToken) =>
        Add(new SentResponse("callback", response.Type, response.Message, response));

    public ValueTask EditOriginalAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken) =>
        Add(new SentResponse("edit-original", null, message, null));

    public ValueTask DeleteOriginalAsync(Interaction interaction, CancellationToken cancellationToken) =>
        Add(new SentResponse("delete-original", null, null, null));

    public async ValueTask<ulong> CreateFollowupAsync(Interaction interaction, MessagePayload message, CancellationToken cancellationToken)
    {
        await Add(new SentResponse("followup", null, message, null));
        return (ulong)Interlocked.Increment(ref _followups);
    }

    public ValueTask EditFollowupAsync(Interaction interaction, ulong messageId, MessagePayload message, CancellationToken cancellationToken) =>
        Add(new SentResponse("edit-followup", null, message, null));

    private ValueTask Add(SentResponse response)
    {
        _sent.Enqueue(response);
        return ValueTask.CompletedTask;
    }
}

public static class TestInteractions
{
    private static long _next = 1000;

    public const ulong GuildId = 111111111111111111;
    public const ulong ChannelId = 222222222222222222;
    public const ulong AdminId = 333333333333333333;
    public const ulong MemberId = 444444444444444444;

    public static DiscordUser Admin { get; } = new(AdminId, "admin");

    public static DiscordUser Member { get; } = new(MemberId, "member");

    public static Interaction Command(string name, DiscordUser user, Permissions permissions, params CommandOptionValue[] options) =>
        Base(InteractionType.ApplicationCommand, user, permissions) with
        {
            Command = new CommandInteractionData { Id = 42, Name = name, Options = options },
        };

    public static Interaction CommandWithChannel(string name, DiscordUser user, Permissions permissions, DiscordChannel channel, params CommandOptionValue[] options) =>
        Base(InteractionType.ApplicationCommand, user, permissions) with
        {
            Command = new CommandInteractionData
            {
                Id = 42,
                Name = name,
                Options = options,
                Resolved = new ResolvedData { Channels = new Dictionary<ulong, DiscordChannel> { [channel.Id] = channel } },
            },
        };

    public static Interaction Button(string customId, DiscordUser user, ulong messageId = 555) =>
        Base(InteractionType.MessageComponent, user, Permissions.None) with
        {
            Component = new ComponentInteractionData(customId, 2, []),
            Message = new InteractionMessage(messageId, ChannelId),
        };

    public static Interaction Select(string customId, DiscordUser user, params string[] values) =>
        Base(InteractionType.MessageComponent, user, Permissions.None) with
        {
            Component = new ComponentInteractionData(customId, 3, values),
            Message = new InteractionMessage(556, ChannelId),
        };

    public static Interaction ModalSubmit(string customId, DiscordUser user, params (string Id, string Value)[] fields) =>
        Base(InteractionType.ModalSubmit, user, Permissions.ManageGuild) with
        {
            Modal = new ModalInteractionData(customId, fields.ToDictionary(f => f.Id, f => f.Value)),
        };

    public static CommandOptionValue Str(string name, string value) => new(name, CommandOptionType.String, value);

    public static CommandOptionValue Int(string name, long value) => new(name, CommandOptionType.Integer, value);

    public static CommandOptionValue Channel(string name, ulong id) => new(name, CommandOptionType.Channel, id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static DiscordUser User(int n) => new((ulong)(500_000_000_000_000_000 + n), "user" + n);

    private static Interaction Base(InteractionType type, DiscordUser user, Permissions permissions) => new()
    {
        Id = (ulong)Interlocked.Increment(ref _next),
        ApplicationId = 999,
        Type = type,
        Token = "token-" + Guid.NewGuid().ToString("N"),
        User = user,
        GuildId = GuildId,
        ChannelId = ChannelId,
        Member = new InteractionMember(permissions, []),
        Locale = "en-US",
    };
}
