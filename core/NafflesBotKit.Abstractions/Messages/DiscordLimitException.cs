using System.Globalization;

namespace NafflesBotKit.Messages;

/// <summary>
/// Thrown by the builders' <c>Build()</c> and by <c>MessagePayload.Validate()</c> when a value is outside one of
/// <see cref="DiscordLimits"/>. The message names the limit, for example
/// "Embed title is 300 characters; Discord's limit is 256 (DiscordLimits.EmbedTitleLength)."
/// </summary>
/// <remarks>
/// Rules that are not a single numeric limit (duplicate custom ids, a select menu sharing its row, a minimum greater
/// than a maximum, an empty message, ...) throw a plain <see cref="ArgumentException"/>. This type derives from it,
/// so catching <see cref="ArgumentException"/> handles both.
/// </remarks>
public sealed class DiscordLimitException : ArgumentException
{
    /// <summary>Creates the exception for a value above <paramref name="maximum"/>.</summary>
    /// <param name="limit">The name of the <see cref="DiscordLimits"/> constant, e.g. "EmbedTitleLength".</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="actual">The value found.</param>
    /// <param name="message">A message that names the limit.</param>
    public DiscordLimitException(string limit, int maximum, int actual, string message)
        : this(limit, 0, maximum, actual, message)
    {
    }

    /// <summary>Creates the exception for a value outside <paramref name="minimum"/>..<paramref name="maximum"/>.</summary>
    /// <param name="limit">The name of the <see cref="DiscordLimits"/> constant, e.g. "EmbedFieldNameLength".</param>
    /// <param name="minimum">The smallest allowed value (e.g. 1 for text that must not be empty).</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="actual">The value found.</param>
    /// <param name="message">A message that names the limit.</param>
    public DiscordLimitException(string limit, int minimum, int maximum, int actual, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrEmpty(limit);
        Limit = limit;
        Minimum = minimum;
        Maximum = maximum;
        Actual = actual;
    }

    /// <summary>The name of the exceeded <see cref="DiscordLimits"/> constant, e.g. "EmbedTitleLength".</summary>
    public string Limit { get; }

    /// <summary>The smallest allowed value: 0 for most limits, 1 where Discord requires a non-empty value.</summary>
    public int Minimum { get; }

    /// <summary>The largest allowed value.</summary>
    public int Maximum { get; }

    /// <summary>The value found (a length in characters, or a count).</summary>
    public int Actual { get; }

    /// <summary>Throws when <paramref name="actual"/> is outside <paramref name="minimum"/>..<paramref name="maximum"/>.</summary>
    /// <param name="actual">The measured value.</param>
    /// <param name="minimum">The smallest allowed value.</param>
    /// <param name="maximum">The largest allowed value.</param>
    /// <param name="limit">The <see cref="DiscordLimits"/> constant's name.</param>
    /// <param name="subject">What was measured, e.g. "Embed title"; the message reads "{subject} is {actual} {unit}".</param>
    /// <param name="unit">The unit of <paramref name="actual"/>, or empty for a bare number.</param>
    internal static void ThrowIfOutside(int actual, int minimum, int maximum, string limit, string subject, string unit)
    {
        if (actual >= minimum && actual <= maximum)
        {
            return;
        }

        var measured = unit.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{subject} is {actual}")
            : string.Create(CultureInfo.InvariantCulture, $"{subject} is {actual} {unit}");
        var rule = actual > maximum
            ? string.Create(CultureInfo.InvariantCulture, $"Discord's limit is {maximum}")
            : string.Create(CultureInfo.InvariantCulture, $"Discord requires at least {minimum}");
        throw new DiscordLimitException(limit, minimum, maximum, actual, $"{measured}; {rule} (DiscordLimits.{limit}).");
    }

    /// <summary>Throws when the length of <paramref name="text"/> (in code points) is outside the range.</summary>
    /// <param name="text">The text; <see langword="null"/> has length 0.</param>
    /// <param name="minimum">The smallest allowed length.</param>
    /// <param name="maximum">The largest allowed length.</param>
    /// <param name="limit">The <see cref="DiscordLimits"/> constant's name.</param>
    /// <param name="subject">What was measured, e.g. "Embed title".</param>
    internal static void ThrowIfLengthOutside(string? text, int minimum, int maximum, string limit, string subject) =>
        ThrowIfOutside(DiscordLimits.CountCharacters(text), minimum, maximum, limit, subject, "characters");
}
