using System.Globalization;
using System.Text.RegularExpressions;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Commands;

/// <summary>
/// Checks command definitions against Discord's rules before they are sent: at most 100 global chat-input commands,
/// names <c>^[-_\p{L}\p{N}]{1,32}$</c> in lower case, descriptions 1-100, at most 25 options and 25 choices, required
/// options before optional ones, subcommand nesting, and at most 8000 characters per command. Every problem names
/// the plugin and the command.
/// </summary>
public static partial class CommandValidator
{
    /// <summary>At most this many global CHAT_INPUT commands.</summary>
    public const int MaxGlobalChatInputCommands = 100;

    /// <summary>At most this many characters per command (names, descriptions, choice names and values).</summary>
    public const int MaxCharactersPerCommand = 8000;

    /// <summary>Validates <paramref name="commands"/>.</summary>
    /// <param name="commands">The definitions to send.</param>
    /// <exception cref="CommandValidationException">One or more rules are broken.</exception>
    public static void Validate(IReadOnlyList<ApplicationCommandDefinition> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var errors = new List<string>();
        if (commands.Count > MaxGlobalChatInputCommands)
        {
            errors.Add(Invariant($"{commands.Count} chat-input commands; Discord allows at most {MaxGlobalChatInputCommands}."));
        }

        foreach (var group in commands.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"command '/{group.Key}' is defined more than once (plugins {string.Join(", ", group.Select(c => "'" + c.PluginId + "'"))}).");
        }

        foreach (var command in commands)
        {
            var where = $"plugin '{command.PluginId}' command '/{command.Name}'";
            CheckName(command.Name, where, "name", errors);
            CheckLength(command.Description, 1, 100, where, "description", errors);
            CheckOptions(command.Options, where, 0, errors);
            var total = CountCharacters(command);
            if (total > MaxCharactersPerCommand)
            {
                errors.Add(Invariant($"{where}: {total} characters in names, descriptions and choices; Discord allows at most {MaxCharactersPerCommand}."));
            }
        }

        if (errors.Count > 0)
        {
            throw new CommandValidationException(errors);
        }
    }

    private static void CheckOptions(IReadOnlyList<CommandOptionDefinition> options, string where, int depth, List<string> errors)
    {
        if (options.Count > 25)
        {
            errors.Add(Invariant($"{where}: {options.Count} options; Discord allows at most 25."));
        }

        var seenOptional = false;
        var hasSub = options.Any(o => o.Type is CommandOptionType.SubCommand or CommandOptionType.SubCommandGroup);
        var hasValue = options.Any(o => o.Type is not (CommandOptionType.SubCommand or CommandOptionType.SubCommandGroup));
        if (hasSub && hasValue)
        {
            errors.Add($"{where}: subcommands cannot be mixed with value options at the same level.");
        }

        foreach (var group in options.GroupBy(o => o.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{where}: option '{group.Key}' appears more than once.");
        }

        foreach (var option in options)
        {
            var at = $"{where} option '{option.Name}'";
            CheckName(option.Name, at, "name", errors);
            CheckLength(option.Description, 1, 100, at, "description", errors);
            switch (option.Type)
            {
                case CommandOptionType.SubCommandGroup when depth > 0:
                    errors.Add($"{at}: a subcommand group can only be at the top level.");
                    break;
                case CommandOptionType.SubCommandGroup when option.Options.Any(o => o.Type != CommandOptionType.SubCommand):
                    errors.Add($"{at}: a subcommand group may only contain subcommands.");
                    break;
                case CommandOptionType.SubCommand when depth > 1 || option.Options.Any(o => o.Type is CommandOptionType.SubCommand or CommandOptionType.SubCommandGroup):
                    errors.Add($"{at}: subcommands cannot nest further.");
                    break;
            }

            if (option.Type is CommandOptionType.SubCommand or CommandOptionType.SubCommandGroup)
            {
                CheckOptions(option.Options, at, depth + 1, errors);
                continue;
            }

            if (option.Required && seenOptional)
            {
                errors.Add($"{at}: required options must come before optional ones.");
            }

            seenOptional |= !option.Required;
            if (option.Choices.Count > 25)
            {
                errors.Add(Invariant($"{at}: {option.Choices.Count} choices; Discord allows at most 25."));
            }

            if (option.Choices.Count > 0 && option.Autocomplete)
            {
                errors.Add($"{at}: choices and autocomplete cannot be combined.");
            }

            foreach (var choice in option.Choices)
            {
                CheckLength(choice.Name, 1, 100, at, "choice name", errors);
                if (choice.Value is string s)
                {
                    CheckLength(s, 1, 100, at, "choice value", errors);
                }
            }

            if (option.MinLength is < 0 or > 6000 || option.MaxLength is < 1 or > 6000)
            {
                errors.Add($"{at}: min_length must be 0-6000 and max_length 1-6000.");
            }

            if (option.MinValue is { } min && option.MaxValue is { } max && min > max)
            {
                errors.Add($"{at}: min_value is greater than max_value.");
            }
        }
    }

    private static void CheckName(string name, string where, string what, List<string> errors)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name) || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            errors.Add($"{where}: {what} '{name}' must be 1-32 lower-case letters, digits, '-' or '_'.");
        }
    }

    private static void CheckLength(string? value, int min, int max, string where, string what, List<string> errors)
    {
        var length = value?.Length ?? 0;
        if (length < min || length > max)
        {
            errors.Add(Invariant($"{where}: {what} must be {min}-{max} characters (is {length})."));
        }
    }

    /// <summary>The characters Discord counts toward the 8000 limit.</summary>
    /// <param name="command">The command.</param>
    public static int CountCharacters(ApplicationCommandDefinition command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Name.Length + (command.Description?.Length ?? 0) + Count(command.Options);

        static int Count(IReadOnlyList<CommandOptionDefinition> options) => options.Sum(o =>
            o.Name.Length + (o.Description?.Length ?? 0)
            + o.Choices.Sum(c => c.Name.Length + Convert.ToString(c.Value, CultureInfo.InvariantCulture)!.Length)
            + Count(o.Options));
    }

    [GeneratedRegex(@"^[-_\p{L}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Command definitions break Discord's rules; <see cref="Errors"/> names each plugin and command.</summary>
public sealed class CommandValidationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CommandValidationException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public CommandValidationException(string message)
        : base(message)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CommandValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The problems.</param>
    public CommandValidationException(IReadOnlyList<string> errors)
        : base("Invalid slash commands: " + string.Join(" ", errors))
    {
        Errors = errors;
    }

    /// <summary>The problems, one per broken rule.</summary>
    public IReadOnlyList<string> Errors { get; }
}
