using System.Globalization;
using System.Text;
using NafflesBotKit.Interactions;
using NafflesBotKit.Messages;
using NafflesBotKit.Plugins;

namespace NafflesBotKit.Plugins.Diagnostics;

/// <summary>Options naming a plugin.</summary>
public sealed class PluginOptions
{
    /// <summary>The plugin id.</summary>
    [Option("plugin", "Plugin id, e.g. naffles.social-tasks", MaxLength = 64, Autocomplete = true)]
    public string Plugin { get; set; } = string.Empty;
}

/// <summary>Shared checks and replies of the operator commands.</summary>
internal static class Operator
{
    public static async ValueTask<bool> EnsureAsync(InteractionContext context, IPluginAdministration administration, CancellationToken cancellationToken)
    {
        if (administration.IsOperator(context.User.Id))
        {
            return true;
        }

        await context.ReplyAsync(
            NafflesEmbeds.Error("Operators only", "Only the bot's operators (Admin:OwnerIds) can manage plugins.", ["Ask the person who runs this bot"]),
            ephemeral: true,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return false;
    }

    public static async ValueTask RunAsync(CommandContext context, PluginManifest self, string pluginId, Func<CancellationToken, Task<PluginOperationResult>> operation, CancellationToken cancellationToken)
    {
        await context.DeferAsync(ephemeral: true, cancellationToken).ConfigureAwait(false);
        if (string.Equals(pluginId, self.Id, StringComparison.OrdinalIgnoreCase))
        {
            // This plugin is the target: it would wait for its own drain. The operation runs on its own; its result
            // is logged and visible in /naffles-admin plugins list.
            _ = operation(CancellationToken.None);
            await context.ReplyAsync($"⏳ {pluginId}: started. Check `/naffles-admin plugins list` in a moment.", cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await operation(cancellationToken).ConfigureAwait(false);
        var embed = result.Succeeded ? NafflesEmbeds.Success(pluginId, result.Message) : NafflesEmbeds.Error(pluginId, result.Message);
        await context.ReplyAsync(embed, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    public static ValueTask<IReadOnlyList<Transport.AutocompleteChoice>> Suggest(IPluginAdministration administration, AutocompleteContext context) =>
        ValueTask.FromResult<IReadOnlyList<Transport.AutocompleteChoice>>(
            [.. administration.List()
                .Where(p => p.Id.Contains(context.Value, StringComparison.OrdinalIgnoreCase))
                .Take(25)
                .Select(p => new Transport.AutocompleteChoice($"{p.Id} {p.Version} ({p.State})", p.Id))]);
}

/// <summary><c>/naffles-admin plugins list</c>: versions, states and in-flight work of every plugin.</summary>
[Command("naffles-admin plugins list", "List plugins with version and state (bot operators)", Ephemeral = true)]
[CommandGroup("naffles-admin", "Bot operator tools")]
[CommandGroup("naffles-admin plugins", "Manage plugins without downtime")]
internal sealed class ListPluginsCommand(IPluginAdministration administration) : CommandHandler
{
    public override async ValueTask HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await Operator.EnsureAsync(context, administration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var lines = new StringBuilder();
        foreach (var plugin in administration.List())
        {
            var icon = plugin.State switch { "Active" => "🟢", "Failed" => "🔴", "Disabled" => "⚪", _ => "🟡" };
            lines.Append(CultureInfo.InvariantCulture, $"{icon} **{plugin.Id}** {plugin.Version} — {plugin.State}");
            if (plugin.InFlight > 0)
            {
                lines.Append(CultureInfo.InvariantCulture, $", {plugin.InFlight} in flight");
            }

            if (plugin.CanRollBack)
            {
                lines.Append(", can roll back");
            }

            if (plugin.Error is not null)
            {
                lines.Append(CultureInfo.InvariantCulture, $"\n   ↳ {DiscordLimits.Truncate(plugin.Error, 200)}");
            }

            lines.Append('\n');
        }

        await context.ReplyAsync(NafflesEmbeds.Info("🧩 Plugins", DiscordLimits.Truncate(lines.Length == 0 ? "No plugins." : lines.ToString(), DiscordLimits.EmbedDescriptionLength)), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>An operator command that runs one plugin operation on the plugin named in its options.</summary>
internal abstract class PluginOperationCommand(IPluginAdministration administration, PluginManifest self) : CommandHandler<PluginOptions>, IAutocompleteHandler
{
    public override async ValueTask HandleAsync(CommandContext context, PluginOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (await Operator.EnsureAsync(context, administration, cancellationToken).ConfigureAwait(false))
        {
            await Operator.RunAsync(context, self, options.Plugin, ct => Operation(administration, options.Plugin, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask<IReadOnlyList<Transport.AutocompleteChoice>> AutocompleteAsync(AutocompleteContext context, CancellationToken cancellationToken) =>
        Operator.Suggest(administration, context);

    protected abstract Task<PluginOperationResult> Operation(IPluginAdministration administration, string pluginId, CancellationToken cancellationToken);
}

/// <summary><c>/naffles-admin plugins reload</c>: hot-swaps to the newest version on disk.</summary>
[Command("naffles-admin plugins reload", "Swap a plugin to its newest version, without downtime", Ephemeral = true)]
internal sealed class ReloadPluginCommand(IPluginAdministration administration, PluginManifest self) : PluginOperationCommand(administration, self)
{
    protected override Task<PluginOperationResult> Operation(IPluginAdministration administration, string pluginId, CancellationToken cancellationToken) =>
        administration.ReloadAsync(pluginId, cancellationToken);
}

/// <summary><c>/naffles-admin plugins rollback</c>: returns to the previous version.</summary>
[Command("naffles-admin plugins rollback", "Swap a plugin back to its previous version", Ephemeral = true)]
internal sealed class RollbackPluginCommand(IPluginAdministration administration, PluginManifest self) : PluginOperationCommand(administration, self)
{
    protected override Task<PluginOperationResult> Operation(IPluginAdministration administration, string pluginId, CancellationToken cancellationToken) =>
        administration.RollbackAsync(pluginId, cancellationToken);
}

/// <summary><c>/naffles-admin plugins enable</c>.</summary>
[Command("naffles-admin plugins enable", "Turn a plugin on for the whole bot", Ephemeral = true)]
internal sealed class EnablePluginCommand(IPluginAdministration administration, PluginManifest self) : PluginOperationCommand(administration, self)
{
    protected override Task<PluginOperationResult> Operation(IPluginAdministration administration, string pluginId, CancellationToken cancellationToken) =>
        administration.EnableAsync(pluginId, cancellationToken);
}

/// <summary><c>/naffles-admin plugins disable</c>.</summary>
[Command("naffles-admin plugins disable", "Turn a plugin off for the whole bot", Ephemeral = true)]
internal sealed class DisablePluginCommand(IPluginAdministration administration, PluginManifest self) : PluginOperationCommand(administration, self)
{
    protected override Task<PluginOperationResult> Operation(IPluginAdministration administration, string pluginId, CancellationToken cancellationToken) =>
        administration.DisableAsync(pluginId, cancellationToken);
}

/// <summary>Options of the per-server switch.</summary>
public sealed class ServerPluginOptions
{
    /// <summary>The plugin id.</summary>
    [Option("plugin", "Plugin id, e.g. naffles.allowlists", MaxLength = 64)]
    public string Plugin { get; set; } = string.Empty;

    /// <summary>On or off.</summary>
    [Option("enabled", "On or off in this server")]
    public bool Enabled { get; set; }
}

/// <summary><c>/naffles-admin plugins server</c>: turns a plugin on or off in this server only.</summary>
[Command("naffles-admin plugins server", "Turn a plugin on or off in this server only", Ephemeral = true)]
internal sealed class ServerPluginCommand(IPluginAdministration administration) : CommandHandler<ServerPluginOptions>
{
    public override async ValueTask HandleAsync(CommandContext context, ServerPluginOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (!await Operator.EnsureAsync(context, administration, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (context.GuildId is not { } guildId)
        {
            await context.ReplyAsync(NafflesEmbeds.Error("Server only", "Use this command in the server you want to change."), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await administration.SetGuildEnabledAsync(guildId, options.Plugin, options.Enabled, cancellationToken).ConfigureAwait(false);
        await context.ReplyAsync(NafflesEmbeds.Success(options.Plugin, result.Message), ephemeral: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
