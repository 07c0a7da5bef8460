#pragma warning disable CS1591
namespace NafflesBotKit.Messages;
// Temporary until the messages branch is merged.
[Flags] public enum MessageFlags { None = 0, SuppressEmbeds = 1 << 2, Ephemeral = 1 << 6, SuppressNotifications = 1 << 12 }
public enum TextInputStyle { Short = 1, Paragraph = 2 }
public sealed record Embed { public string? Title { get; init; } public string? Description { get; init; } public int? Color { get; init; } public IReadOnlyList<EmbedField> Fields { get; init; } = []; }
public sealed record EmbedField(string Name, string Value, bool Inline = false);
public abstract record MessageComponent;
public sealed record ActionRow(IReadOnlyList<MessageComponent> Components) : MessageComponent;
public sealed record TextInput(string CustomId, string Label) : MessageComponent;
public sealed record MessagePayload { public string? Content { get; init; } public IReadOnlyList<Embed> Embeds { get; init; } = []; public IReadOnlyList<ActionRow> Components { get; init; } = []; public MessageFlags Flags { get; init; }
  public static MessagePayload FromText(string content) => new() { Content = content };
  public static MessagePayload FromEmbed(Embed embed, IReadOnlyList<ActionRow>? components = null) => new() { Embeds = [embed], Components = components ?? [] };
  public void Validate() { if (Content?.Length > 2000) throw new ArgumentException("content"); } }
public sealed record ModalPayload(string CustomId, string Title, IReadOnlyList<ActionRow> Components);
public sealed class ModalBuilder(string customId, string title) { private readonly List<ActionRow> _rows = [];
  public ModalBuilder AddTextInput(string customId, string label, TextInputStyle style = TextInputStyle.Short, int? minLength = null, int? maxLength = null, bool required = true, string? value = null, string? placeholder = null) { _rows.Add(new ActionRow([new TextInput(customId, label)])); return this; }
  public ModalPayload Build() => new(customId, title, _rows); }
public sealed class DiscordLimitException : ArgumentException { public DiscordLimitException() { } public DiscordLimitException(string m) : base(m) { } public DiscordLimitException(string m, Exception i) : base(m, i) { } }
public static class NafflesEmbeds { public static Embed Error(string title, string description, IEnumerable<string>? suggestions = null) => new() { Title = "❌ " + title, Description = description, Color = 0xEF4444 }; }
