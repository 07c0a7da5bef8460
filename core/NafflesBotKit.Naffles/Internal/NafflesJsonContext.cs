using System.Text.Json.Serialization;

namespace NafflesBotKit.Naffles.Internal;

/// <summary>All JSON the client reads or writes: source-generated, never reflection.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientNullableInt32Converter)])]
[JsonSerializable(typeof(NafflesCommunity))]
[JsonSerializable(typeof(DiscordServerLink))]
[JsonSerializable(typeof(NafflesPage<CommunityMember>))]
[JsonSerializable(typeof(CommunityMembership))]
[JsonSerializable(typeof(SocialTask))]
[JsonSerializable(typeof(NafflesPage<SocialTask>))]
[JsonSerializable(typeof(TaskProgress))]
[JsonSerializable(typeof(TaskCompletion))]
[JsonSerializable(typeof(Allowlist))]
[JsonSerializable(typeof(AllowlistDiscordConnection))]
[JsonSerializable(typeof(AllowlistEntry))]
[JsonSerializable(typeof(NafflesPage<AllowlistEntry>))]
[JsonSerializable(typeof(NafflesUser))]
[JsonSerializable(typeof(WebhookRegistration))]
[JsonSerializable(typeof(NafflesHealth))]
[JsonSerializable(typeof(LinkDiscordServerBody))]
[JsonSerializable(typeof(CreateSocialTaskBody))]
[JsonSerializable(typeof(TaskProgressUpdate))]
[JsonSerializable(typeof(CompleteTaskBody))]
[JsonSerializable(typeof(ConnectAllowlistBody))]
[JsonSerializable(typeof(EnterAllowlistBody))]
[JsonSerializable(typeof(LinkDiscordAccountBody))]
[JsonSerializable(typeof(UserLookupBody))]
[JsonSerializable(typeof(UserActivityBody))]
[JsonSerializable(typeof(RegisterWebhookBody))]
internal sealed partial class NafflesJsonContext : JsonSerializerContext;

/// <summary>Export of the request log; indented for people.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<NafflesRequestLogEntry>))]
internal sealed partial class NafflesLogJsonContext : JsonSerializerContext;

/// <summary>Seed: <c>linkDiscordServer</c> body.</summary>
internal sealed record LinkDiscordServerBody(string GuildId, string LinkedBy, string Timestamp);

/// <summary>Seed: <c>createSocialTask</c> body: <c>...taskData, source, createdAt</c>.</summary>
internal sealed record CreateSocialTaskBody(
    string Title,
    string? Description,
    string Type,
    SocialTaskRewards? Rewards,
    IReadOnlyDictionary<string, string>? Configuration,
    string? CreatedBy,
    DateTimeOffset? EndsAt,
    string Source,
    string CreatedAt);

/// <summary>Seed: <c>completeTask</c> body.</summary>
internal sealed record CompleteTaskBody(string UserId, IReadOnlyDictionary<string, string>? CompletionData, string CompletedAt, string Source);

/// <summary>Seed: <c>connectAllowlistToDiscord</c> body: <c>...connectionData, connectedAt</c>.</summary>
internal sealed record ConnectAllowlistBody(string GuildId, string ChannelId, string? MessageId, string? ConnectedBy, string ConnectedAt);

/// <summary>Seed: <c>enterAllowlist</c> body: <c>...entryData, enteredAt, source</c>.</summary>
internal sealed record EnterAllowlistBody(string UserId, string? DiscordId, string? Username, string? WalletAddress, string EnteredAt, string Source);

/// <summary>Seed: <c>linkDiscordAccount</c> body.</summary>
internal sealed record UserLookupBody(string Email);

internal sealed record LinkDiscordAccountBody(string DiscordId, string Username, string? Discriminator, string? Avatar, string LinkedAt);

/// <summary>Seed: <c>updateUserActivity</c> body: <c>...activityData, timestamp, source</c>.</summary>
internal sealed record UserActivityBody(string Type, string? GuildId, IReadOnlyDictionary<string, string>? Details, string Timestamp, string Source);

/// <summary>Seed: <c>registerWebhook</c> body.</summary>
internal sealed record RegisterWebhookBody(string Url, IReadOnlyList<string> Events, string Secret, bool Active);
