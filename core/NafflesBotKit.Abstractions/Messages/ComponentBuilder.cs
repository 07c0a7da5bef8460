using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>
/// Fluent builder for a message's action rows. The <c>With*</c> methods only lay components out;
/// <see cref="Build"/> checks them against <see cref="DiscordLimits"/> and Discord's layout rules.
/// </summary>
/// <remarks>
/// Rows are numbered 0 to <see cref="DiscordLimits.ActionRows"/> - 1. With <c>row: -1</c> a button goes into the first
/// row that has fewer than <see cref="DiscordLimits.ButtonsPerRow"/> buttons and no select menu, and a select menu into
/// the first empty row. Rows left empty by explicit row numbers are dropped by <see cref="Build"/>.
/// </remarks>
public sealed class ComponentBuilder
{
    private readonly SortedDictionary<int, List<MessageComponent>> _rows = [];

    /// <summary>Adds a button that sends an interaction.</summary>
    /// <param name="label">The label, at most <see cref="DiscordLimits.ButtonLabelLength"/> characters.</param>
    /// <param name="customId">The id sent back, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the message.</param>
    /// <param name="style">The style; not <see cref="ButtonStyle.Link"/> (use <see cref="WithLinkButton"/>).</param>
    /// <param name="emoji">A Unicode emoji, or a custom emoji as <c>&lt;:name:id&gt;</c>.</param>
    /// <param name="disabled">Whether the button is greyed out.</param>
    /// <param name="row">The row (0-based), or -1 for the first row with room.</param>
    /// <returns>This builder.</returns>
    public ComponentBuilder WithButton(
        string label, string customId, ButtonStyle style = ButtonStyle.Primary, string? emoji = null, bool disabled = false, int row = -1)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(customId);
        var button = new Button { Style = style, Label = label, CustomId = customId, Emoji = emoji, Disabled = disabled };
        return Place(button, row);
    }

    /// <summary>Adds a button that opens a URL.</summary>
    /// <param name="label">The label, at most <see cref="DiscordLimits.ButtonLabelLength"/> characters.</param>
    /// <param name="url">The URL, at most <see cref="DiscordLimits.UrlLength"/> characters.</param>
    /// <param name="emoji">A Unicode emoji, or a custom emoji as <c>&lt;:name:id&gt;</c>.</param>
    /// <param name="row">The row (0-based), or -1 for the first row with room.</param>
    /// <returns>This builder.</returns>
    public ComponentBuilder WithLinkButton(string label, string url, string? emoji = null, int row = -1)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(url);
        return Place(new Button { Style = ButtonStyle.Link, Label = label, Url = url, Emoji = emoji }, row);
    }

    /// <summary>Adds a string select menu, which takes a whole row.</summary>
    /// <param name="customId">The id sent back, 1 to <see cref="DiscordLimits.CustomIdLength"/> characters, unique within the message.</param>
    /// <param name="options">1 to <see cref="DiscordLimits.SelectOptions"/> options with unique values.</param>
    /// <param name="placeholder">Text shown when nothing is selected, at most <see cref="DiscordLimits.SelectPlaceholderLength"/> characters.</param>
    /// <param name="minValues">The fewest options the user must choose (0 or more, at most <paramref name="maxValues"/>).</param>
    /// <param name="maxValues">The most options the user may choose (1 or more, at most the number of options).</param>
    /// <param name="disabled">Whether the menu is greyed out.</param>
    /// <param name="row">The row (0-based), or -1 for the first empty row.</param>
    /// <returns>This builder.</returns>
    public ComponentBuilder WithSelectMenu(
        string customId,
        IEnumerable<SelectOption> options,
        string? placeholder = null,
        int minValues = 1,
        int maxValues = 1,
        bool disabled = false,
        int row = -1)
    {
        ArgumentNullException.ThrowIfNull(customId);
        ArgumentNullException.ThrowIfNull(options);
        var select = new SelectMenu
        {
            CustomId = customId,
            Options = options.ToArray(),
            Placeholder = placeholder,
            MinValues = minValues,
            MaxValues = maxValues,
            Disabled = disabled,
        };
        return Place(select, row);
    }

    /// <summary>
    /// Creates the action rows, checking: at most <see cref="DiscordLimits.ActionRows"/> rows, at most
    /// <see cref="DiscordLimits.ButtonsPerRow"/> buttons per row, each select menu alone in its row, custom ids of
    /// 1 to <see cref="DiscordLimits.CustomIdLength"/> characters and unique, labels up to
    /// <see cref="DiscordLimits.ButtonLabelLength"/>, link buttons with a URL up to <see cref="DiscordLimits.UrlLength"/>
    /// and no custom id, 1 to <see cref="DiscordLimits.SelectOptions"/> options with labels, values and descriptions up
    /// to 100 characters, placeholders up to <see cref="DiscordLimits.SelectPlaceholderLength"/>, and
    /// 0 &lt;= min_values &lt;= max_values &lt;= number of options. The builder can be reused afterwards.
    /// </summary>
    /// <returns>The rows, top to bottom.</returns>
    /// <exception cref="DiscordLimitException">A value is outside a Discord limit.</exception>
    /// <exception cref="ArgumentException">A layout rule is broken (select sharing its row, duplicate custom id, ...).</exception>
    public IReadOnlyList<ActionRow> Build()
    {
        if (_rows.Count > 0)
        {
            var highest = _rows.Keys.Last();
            DiscordLimitException.ThrowIfOutside(
                highest + 1, 0, DiscordLimits.ActionRows, nameof(DiscordLimits.ActionRows),
                string.Create(CultureInfo.InvariantCulture, $"Action row count (highest row number is {highest})"), "");
        }

        var rows = _rows.Values.Select(components => new ActionRow(components.ToArray())).ToArray();
        ComponentValidator.ValidateMessageRows(rows);
        return rows;
    }

    private ComponentBuilder Place(MessageComponent component, int row)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(row, -1);
        if (row == -1)
        {
            row = 0;
            while (_rows.TryGetValue(row, out var taken) && !HasRoomFor(taken, component))
            {
                row++;
            }
        }

        if (!_rows.TryGetValue(row, out var components))
        {
            components = [];
            _rows.Add(row, components);
        }

        components.Add(component);
        return this;
    }

    private static bool HasRoomFor(List<MessageComponent> row, MessageComponent component) =>
        component is SelectMenu
            ? row.Count == 0
            : row.Count < DiscordLimits.ButtonsPerRow && !row.Any(c => c is SelectMenu);
}
