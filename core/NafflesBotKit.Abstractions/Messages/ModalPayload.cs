using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>A modal shown in response to an interaction. Build one with <see cref="ModalBuilder"/>.</summary>
/// <param name="CustomId">The id sent back on submit, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters.</param>
/// <param name="Title">The title, 1 to <see cref="DiscordLimits.ModalTitleLength"/> characters.</param>
/// <param name="Components">1 to <see cref="DiscordLimits.ActionRows"/> rows, each holding one <see cref="TextInput"/>.</param>
public sealed record ModalPayload(string CustomId, string Title, IReadOnlyList<ActionRow> Components)
{
    /// <summary>Checks the modal against Discord's limits (see <see cref="ModalBuilder.Build"/>).</summary>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">A row does not hold exactly one text input, a custom id repeats, or a minimum exceeds a maximum.</exception>
    public void Validate()
    {
        DiscordLimitException.ThrowIfLengthOutside(
            CustomId, 1, DiscordLimits.CustomIdLength, nameof(DiscordLimits.CustomIdLength), "Modal custom id");
        DiscordLimitException.ThrowIfLengthOutside(
            Title, 1, DiscordLimits.ModalTitleLength, nameof(DiscordLimits.ModalTitleLength), "Modal title");

        var rows = Components ?? throw new ArgumentException("Modal components is null.");
        DiscordLimitException.ThrowIfOutside(
            rows.Count, 1, DiscordLimits.ActionRows, nameof(DiscordLimits.ActionRows), "Modal text input count", "");

        var customIds = new HashSet<string>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"Text input {r + 1}");
            if (rows[r]?.Components is not [TextInput input])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Modal row {r + 1} must hold exactly one text input."));
            }

            ComponentValidator.ValidateTextInput(input, where, customIds);
        }
    }
}
