using System.Text.Json;
using System.Text.Json.Serialization;

namespace NafflesBotKit.Discord.Json;

// Discord's wire shapes (API v10), snake_case through DiscordJsonContext. Snowflakes travel as strings.
// Outgoing shapes omit nulls; incoming shapes tolerate missing and unknown fields.

internal sealed class MessageWire
{
    public string? Content { get; set; }
    public List<EmbedWire>? Embeds { get; set; }
    public List<ComponentWire>? Components { get; set; }
    public int? Flags { get; set; }
    public AllowedMentionsWire? AllowedMentions { get; set; }
    public List<AttachmentWire>? Attachments { get; set; }
}

internal sealed class EmbedWire
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Url { get; set; }
    public string? Timestamp { get; set; }
    public int? Color { get; set; }
    public EmbedFooterWire? Footer { get; set; }
    public EmbedAuthorWire? Author { get; set; }
    public EmbedMediaWire? Thumbnail { get; set; }
    public EmbedMediaWire? Image { get; set; }
    public List<EmbedFieldWire>? Fields { get; set; }
}

internal sealed class EmbedFooterWire
{
    public string? Text { get; set; }
    public string? IconUrl { get; set; }
}

internal sealed class EmbedAuthorWire
{
    public string? Name { get; set; }
    public string? Url { get; set; }
    public string? IconUrl { get; set; }
}

internal sealed class EmbedMediaWire
{
    public string? Url { get; set; }
}

internal sealed class EmbedFieldWire
{
    public string? Name { get; set; }
    public string? Value { get; set; }
    public bool? Inline { get; set; }
}

/// <summary>Every component shape in one class (Discord distinguishes them by <c>type</c>).</summary>
internal sealed class ComponentWire
{
    public int Type { get; set; }
    public int? Id { get; set; }
    public int? Style { get; set; }
    public string? Label { get; set; }
    public string? CustomId { get; set; }
    public string? Url { get; set; }
    public EmojiWire? Emoji { get; set; }
    public bool? Disabled { get; set; }
    public List<ComponentWire>? Components { get; set; }
    public ComponentWire? Component { get; set; }
    public List<SelectOptionWire>? Options { get; set; }
    public string? Placeholder { get; set; }
    public int? MinValues { get; set; }
    public int? MaxValues { get; set; }
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    public bool? Required { get; set; }
    public string? Value { get; set; }
    public List<string>? Values { get; set; }
}

internal sealed class EmojiWire
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public bool? Animated { get; set; }
}

internal sealed class SelectOptionWire
{
    public string? Label { get; set; }
    public string? Value { get; set; }
    public string? Description { get; set; }
    public EmojiWire? Emoji { get; set; }
    public bool? Default { get; set; }
}

internal sealed class AllowedMentionsWire
{
    public List<string>? Parse { get; set; }
    public List<string>? Users { get; set; }
    public List<string>? Roles { get; set; }
    public bool? RepliedUser { get; set; }
}

internal sealed class AttachmentWire
{
    public string? Id { get; set; }
    public string? Filename { get; set; }
    public string? Description { get; set; }
}

internal sealed class InteractionCallbackWire
{
    public int Type { get; set; }
    public InteractionCallbackDataWire? Data { get; set; }
}

/// <summary>The <c>data</c> of a callback: message fields, modal fields or autocomplete choices.</summary>
internal sealed class InteractionCallbackDataWire
{
    public string? Content { get; set; }
    public List<EmbedWire>? Embeds { get; set; }
    public List<ComponentWire>? Components { get; set; }
    public int? Flags { get; set; }
    public AllowedMentionsWire? AllowedMentions { get; set; }
    public List<AttachmentWire>? Attachments { get; set; }
    public string? CustomId { get; set; }
    public string? Title { get; set; }
    public List<ChoiceWire>? Choices { get; set; }
}

internal sealed class ChoiceWire
{
    public string Name { get; set; } = string.Empty;
    public JsonElement Value { get; set; }
}

internal sealed class ApplicationCommandWire
{
    public string? Id { get; set; }
    public string? ApplicationId { get; set; }
    public string? Version { get; set; }
    public string? GuildId { get; set; }
    public int? Type { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? Description { get; set; }
    public List<CommandOptionWire>? Options { get; set; }
    public string? DefaultMemberPermissions { get; set; }
    public bool? DmPermission { get; set; }
    public List<int>? Contexts { get; set; }
    public bool? Nsfw { get; set; }
}

internal sealed class CommandOptionWire
{
    public int Type { get; set; }
    public string Name { get; set; } = string.Empty;
    public string? Description { get; set; }
    public bool? Required { get; set; }
    public List<ChoiceWire>? Choices { get; set; }
    public List<CommandOptionWire>? Options { get; set; }
    public double? MinValue { get; set; }
    public double? MaxValue { get; set; }
    public int? MinLength { get; set; }
    public int? MaxLength { get; set; }
    public bool? Autocomplete { get; set; }
    public List<int>? ChannelTypes { get; set; }
}

internal sealed class InteractionWire
{
    public string? Id { get; set; }
    public string? ApplicationId { get; set; }
    public int Type { get; set; }
    public string? Token { get; set; }
    public int? Version { get; set; }
    public InteractionDataWire? Data { get; set; }
    public string? GuildId { get; set; }
    public string? ChannelId { get; set; }
    public ChannelWire? Channel { get; set; }
    public MemberWire? Member { get; set; }
    public UserWire? User { get; set; }
    public string? Locale { get; set; }
    public string? GuildLocale { get; set; }
    public string? AppPermissions { get; set; }
    public MessageRefWire? Message { get; set; }
}

internal sealed class InteractionDataWire
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public int? Type { get; set; }
    public List<OptionValueWire>? Options { get; set; }
    public ResolvedWire? Resolved { get; set; }
    public string? GuildId { get; set; }
    public string? TargetId { get; set; }
    public string? CustomId { get; set; }
    public int? ComponentType { get; set; }
    public List<string>? Values { get; set; }
    public List<ComponentWire>? Components { get; set; }
}

internal sealed class OptionValueWire
{
    public string Name { get; set; } = string.Empty;
    public int Type { get; set; }
    public JsonElement? Value { get; set; }
    public List<OptionValueWire>? Options { get; set; }
    public bool? Focused { get; set; }
}

internal sealed class ResolvedWire
{
    public Dictionary<string, UserWire>? Users { get; set; }
    public Dictionary<string, MemberWire>? Members { get; set; }
    public Dictionary<string, RoleWire>? Roles { get; set; }
    public Dictionary<string, ChannelWire>? Channels { get; set; }
}

internal sealed class UserWire
{
    public string? Id { get; set; }
    public string? Username { get; set; }
    public string? GlobalName { get; set; }
    public string? Avatar { get; set; }
    public bool? Bot { get; set; }
    public string? Discriminator { get; set; }
    public string? Email { get; set; }
    public bool? Verified { get; set; }
}

internal sealed class MemberWire
{
    public UserWire? User { get; set; }
    public string? Nick { get; set; }
    public List<string>? Roles { get; set; }
    public string? JoinedAt { get; set; }
    public string? Permissions { get; set; }
}

internal sealed class RoleWire
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Permissions { get; set; }
}

internal sealed class ChannelWire
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public int? Type { get; set; }
    public string? Permissions { get; set; }
}

internal sealed class MessageRefWire
{
    public string? Id { get; set; }
    public string? ChannelId { get; set; }
    public int? Flags { get; set; }
}

internal sealed class MessageResponseWire
{
    public string? Id { get; set; }
    public string? ChannelId { get; set; }
    public string? Content { get; set; }
    public int? Flags { get; set; }
}

internal sealed class ErrorWire
{
    public int? Code { get; set; }
    public string? Message { get; set; }
    public JsonElement? Errors { get; set; }
    public double? RetryAfter { get; set; }
    public bool? Global { get; set; }
}

internal sealed class GatewayBotWire
{
    public string? Url { get; set; }
    public int Shards { get; set; }
    public SessionStartLimitWire? SessionStartLimit { get; set; }
}

internal sealed class SessionStartLimitWire
{
    public int Total { get; set; }
    public int Remaining { get; set; }
    public long ResetAfter { get; set; }
    public int MaxConcurrency { get; set; }
}

internal sealed class CreateDmWire
{
    public string? RecipientId { get; set; }
}

internal sealed class OAuth2TokenWire
{
    public string? AccessToken { get; set; }
    public string? TokenType { get; set; }
    public long ExpiresIn { get; set; }
    public string? RefreshToken { get; set; }
    public string? Scope { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MessageWire))]
[JsonSerializable(typeof(InteractionCallbackWire))]
[JsonSerializable(typeof(List<ApplicationCommandWire>))]
[JsonSerializable(typeof(ApplicationCommandWire))]
[JsonSerializable(typeof(InteractionWire))]
[JsonSerializable(typeof(MessageResponseWire))]
[JsonSerializable(typeof(MemberWire))]
[JsonSerializable(typeof(ChannelWire))]
[JsonSerializable(typeof(UserWire))]
[JsonSerializable(typeof(ErrorWire))]
[JsonSerializable(typeof(GatewayBotWire))]
[JsonSerializable(typeof(CreateDmWire))]
[JsonSerializable(typeof(OAuth2TokenWire))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(bool))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
