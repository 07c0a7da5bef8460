using NafflesBotKit.Interactions;

namespace NafflesBotKit.Runtime.Tests.Support;

/// <summary>Builds interactions the way the Discord layer would.</summary>
public static class TestInteractions
{
    private static long _next = 1000;

    public const ulong GuildId = 111111111111111111;
    public const ulong ChannelId = 222222222222222222;
    public static readonly DiscordUser User = new(333333333333333333, "tester");

    public static Interaction Command(string name, IReadOnlyList<CommandOptionValue>? options = null, ResolvedData? resolved = null, Permissions permissions = Permissions.None, InteractionType type = InteractionType.ApplicationCommand) =>
        Base(type) with
        {
            Command = new CommandInteractionData { Id = 42, Name = name, Options = options ?? [], Resolved = resolved },
            Member = new InteractionMember(permissions, []),
        };

    public static Interaction Button(string customId) =>
        Base(InteractionType.MessageComponent) with
        {
            Component = new ComponentInteractionData(customId, 2, []),
            Message = new InteractionMessage(555, ChannelId),
            Member = new InteractionMember(Permissions.None, []),
        };

    public static Interaction Select(string customId, params string[] values) =>
        Base(InteractionType.MessageComponent) with
        {
            Component = new ComponentInteractionData(customId, 3, values),
            Message = new InteractionMessage(556, ChannelId),
            Member = new InteractionMember(Permissions.None, []),
        };

    public static Interaction ModalSubmit(string customId, params (string Id, string Value)[] fields) =>
        Base(InteractionType.ModalSubmit) with
        {
            Modal = new ModalInteractionData(customId, fields.ToDictionary(f => f.Id, f => f.Value)),
            Member = new InteractionMember(Permissions.None, []),
        };

    public static CommandOptionValue Opt(string name, CommandOptionType type, object? value) => new(name, type, value);

    public static CommandOptionValue Sub(string name, params CommandOptionValue[] options) => new(name, CommandOptionType.SubCommand, null, options);

    public static CommandOptionValue Group(string name, CommandOptionValue sub) => new(name, CommandOptionType.SubCommandGroup, null, [sub]);

    private static Interaction Base(InteractionType type) => new()
    {
        Id = (ulong)Interlocked.Increment(ref _next),
        ApplicationId = 999,
        Type = type,
        Token = "token-" + Guid.NewGuid().ToString("N"),
        User = User,
        GuildId = GuildId,
        ChannelId = ChannelId,
        Locale = "en-US",
    };
}
