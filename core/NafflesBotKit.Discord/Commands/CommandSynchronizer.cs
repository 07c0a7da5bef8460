using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NafflesBotKit.Discord.Json;
using NafflesBotKit.Discord.Rest;
using NafflesBotKit.Interactions;

namespace NafflesBotKit.Discord.Commands;

/// <summary>
/// Makes Discord's slash commands match the loaded plugins: validates the desired definitions, reads what Discord
/// has, compares them semantically (server-added fields ignored, defaults normalised) and bulk-overwrites only when
/// something differs — globally or per configured guild.
/// </summary>
public sealed partial class CommandSynchronizer
{
    private readonly DiscordRestClient _rest;
    private readonly ICommandCatalog _catalog;
    private readonly DiscordOptions _options;
    private readonly ILogger<CommandSynchronizer> _logger;
    private readonly IGuildCommandScopes? _guildScopes;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the synchronizer.</summary>
    /// <param name="rest">The REST client.</param>
    /// <param name="catalog">The commands of the loaded plugins.</param>
    /// <param name="options">Discord options (sync mode, guilds).</param>
    /// <param name="logger">Logger.</param>
    /// <param name="guildScopes">Per-guild plugin switches (Guild mode leaves switched-off plugins' commands out).</param>
    public CommandSynchronizer(DiscordRestClient rest, ICommandCatalog catalog, IOptions<DiscordOptions> options, ILogger<CommandSynchronizer> logger, IGuildCommandScopes? guildScopes = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rest = rest;
        _catalog = catalog;
        _options = options.Value;
        _logger = logger;
        _guildScopes = guildScopes;
    }

    /// <summary>
    /// Re-syncs one guild's command set after a plugin was switched on or off there. Only <see cref="CommandSyncMode.Guild"/>
    /// keeps per-guild sets (and only for the configured guilds); otherwise there is nothing to do and this returns null.
    /// </summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The guild's result, or null when the mode keeps no set for it.</returns>
    public async ValueTask<CommandSyncResult?> SyncGuildAsync(ulong guildId, CancellationToken cancellationToken)
    {
        if (_options.CommandSync.Mode != CommandSyncMode.Guild || !_options.CommandSync.GuildIds.Contains(guildId))
        {
            return null;
        }

        var desired = _catalog.Commands;
        CommandValidator.Validate(desired);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await SyncScopeAsync(RequireApplicationId(), guildId, desired, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Syncs once.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>For each scope (null = global), whether it was overwritten.</returns>
    /// <exception cref="CommandValidationException">A definition breaks Discord's rules; nothing was sent.</exception>
    public async ValueTask<IReadOnlyList<CommandSyncResult>> SyncAsync(CancellationToken cancellationToken)
    {
        var mode = _options.CommandSync.Mode;
        if (mode == CommandSyncMode.Off)
        {
            return [];
        }

        var desired = _catalog.Commands;
        CommandValidator.Validate(desired);
        var applicationId = RequireApplicationId();
        IEnumerable<ulong?> scopes = mode == CommandSyncMode.Global ? [null] : _options.CommandSync.GuildIds.Select(g => (ulong?)g);
        var results = new List<CommandSyncResult>();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var scope in scopes)
            {
                results.Add(await SyncScopeAsync(applicationId, scope, desired, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            _gate.Release();
        }

        return results;
    }

    private ulong RequireApplicationId() => _options.ApplicationId is not 0 and var id
        ? id
        : throw new InvalidOperationException("Discord:ClientId (the application id) is needed to sync commands.");

    /// <summary>One scope: a guild gets the commands of the plugins not switched off there; overwritten only when different.</summary>
    private async ValueTask<CommandSyncResult> SyncScopeAsync(ulong applicationId, ulong? scope, IReadOnlyList<ApplicationCommandDefinition> all, CancellationToken cancellationToken)
    {
        var desired = all;
        if (scope is { } guild && _guildScopes is not null)
        {
            var off = new HashSet<string>(await _guildScopes.DisabledPluginsAsync(guild, cancellationToken).ConfigureAwait(false), StringComparer.OrdinalIgnoreCase);
            if (off.Count > 0)
            {
                desired = [.. all.Where(c => !off.Contains(c.PluginId))];
            }
        }

        var wanted = Canonical(desired.Select(DiscordJson.ToWire));
        var existing = await _rest.GetCommandsAsync(applicationId, scope, cancellationToken).ConfigureAwait(false);
        var name = scope?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "global";
        if (wanted.SequenceEqual(Canonical(existing), StringComparer.Ordinal))
        {
            Log.Unchanged(_logger, name, desired.Count);
            return new CommandSyncResult(scope, Updated: false, desired.Count);
        }

        await _rest.BulkOverwriteCommandsAsync(applicationId, scope, desired, cancellationToken).ConfigureAwait(false);
        Log.Updated(_logger, name, desired.Count);
        return new CommandSyncResult(scope, Updated: true, desired.Count);
    }

    /// <summary>
    /// Each chat-input command as normalised JSON, sorted by name: ids, versions and other server-added fields are
    /// dropped, and absent values become their defaults (type 1, not required, no choices, contexts from
    /// dm_permission).
    /// </summary>
    internal static List<string> Canonical(IEnumerable<ApplicationCommandWire> commands) =>
        commands
            .Where(c => (c.Type ?? 1) == 1)
            .Select(c => new ApplicationCommandWire
            {
                Type = 1,
                Name = c.Name,
                Description = c.Description ?? string.Empty,
                Options = Normalise(c.Options),
                DefaultMemberPermissions = c.DefaultMemberPermissions,
                Contexts = c.Contexts is { Count: > 0 } contexts
                    ? [.. contexts.Order()]
                    : c.DmPermission == false ? [0] : [0, 1, 2],
            })
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => JsonSerializer.Serialize(c, DiscordJsonContext.Default.ApplicationCommandWire))
            .ToList();

    private static List<CommandOptionWire>? Normalise(List<CommandOptionWire>? options) =>
        options is not { Count: > 0 }
            ? null
            : options.Select(o => new CommandOptionWire
            {
                Type = o.Type,
                Name = o.Name,
                Description = o.Description ?? string.Empty,
                Required = o.Required == true ? true : null,
                Choices = o.Choices is { Count: > 0 }
                    ? o.Choices.Select(c => new ChoiceWire
                    {
                        Name = c.Name,
                        Value = c.Value.ValueKind == JsonValueKind.Number ? DiscordJson.Scalar(c.Value.GetDouble()) : c.Value,
                    }).ToList()
                    : null,
                Options = Normalise(o.Options),
                MinValue = o.MinValue,
                MaxValue = o.MaxValue,
                MinLength = o.MinLength,
                MaxLength = o.MaxLength,
                Autocomplete = o.Autocomplete == true ? true : null,
                ChannelTypes = o.ChannelTypes is { Count: > 0 } types ? [.. types.Order()] : null,
            }).ToList();

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Slash commands ({Scope}) unchanged: {Count} commands")]
        public static partial void Unchanged(ILogger logger, string scope, int count);

        [LoggerMessage(2, LogLevel.Information, "Slash commands ({Scope}) overwritten: {Count} commands")]
        public static partial void Updated(ILogger logger, string scope, int count);
    }
}

/// <summary>The outcome of syncing one scope.</summary>
/// <param name="GuildId">The guild, or null for global commands.</param>
/// <param name="Updated">Whether a bulk overwrite was sent.</param>
/// <param name="CommandCount">How many commands are registered.</param>
public sealed record CommandSyncResult(ulong? GuildId, bool Updated, int CommandCount);
