namespace NafflesBotKit.Interactions;

/// <summary>
/// A slash command as registered with Discord, built by the host from a plugin's handler attributes. The union of
/// the loaded plugins' definitions is what the host syncs with Discord.
/// </summary>
public sealed record ApplicationCommandDefinition
{
    /// <summary>Command name (1-32 characters, lower case).</summary>
    public required string Name { get; init; }

    /// <summary>Description (1-100 characters).</summary>
    public required string Description { get; init; }

    /// <summary>Options, subcommands or groups (at most 25).</summary>
    public IReadOnlyList<CommandOptionDefinition> Options { get; init; } = [];

    /// <summary>Default member permissions Discord uses to show the command, or null for everyone.</summary>
    public Permissions? DefaultMemberPermissions { get; init; }

    /// <summary>Whether the command is available in DMs.</summary>
    public bool AllowInDms { get; init; }

    /// <summary>The plugin that defines the command.</summary>
    public string PluginId { get; init; } = string.Empty;
}

/// <summary>An option, subcommand or subcommand group of a command.</summary>
public sealed record CommandOptionDefinition
{
    /// <summary>Option type.</summary>
    public required CommandOptionType Type { get; init; }

    /// <summary>Name (1-32 characters, lower case).</summary>
    public required string Name { get; init; }

    /// <summary>Description (1-100 characters).</summary>
    public required string Description { get; init; }

    /// <summary>Whether the option is required.</summary>
    public bool Required { get; init; }

    /// <summary>Fixed choices (at most 25).</summary>
    public IReadOnlyList<CommandChoiceDefinition> Choices { get; init; } = [];

    /// <summary>Nested options of a subcommand or group.</summary>
    public IReadOnlyList<CommandOptionDefinition> Options { get; init; } = [];

    /// <summary>Minimum numeric value.</summary>
    public double? MinValue { get; init; }

    /// <summary>Maximum numeric value.</summary>
    public double? MaxValue { get; init; }

    /// <summary>Minimum string length.</summary>
    public int? MinLength { get; init; }

    /// <summary>Maximum string length.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Whether suggestions come from autocomplete.</summary>
    public bool Autocomplete { get; init; }

    /// <summary>Allowed channel types of a channel option.</summary>
    public IReadOnlyList<int> ChannelTypes { get; init; } = [];
}

/// <summary>A fixed option choice.</summary>
/// <param name="Name">Shown name (1-100 characters).</param>
/// <param name="Value">Value: string, long or double.</param>
public sealed record CommandChoiceDefinition(string Name, object Value);

/// <summary>What the loaded plugins offer, for help pages and diagnostics.</summary>
public interface ICommandCatalog
{
    /// <summary>The slash commands of all active plugins.</summary>
    IReadOnlyList<ApplicationCommandDefinition> Commands { get; }
}
