using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using NafflesBotKit.Services;

namespace NafflesBotKit.Runtime.Services.Permissions;

/// <summary>Permission settings (configuration section <c>Permissions</c>).</summary>
public sealed class PermissionOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Permissions";

    /// <summary>How long a user's community role is remembered per guild.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan CommunityRoleCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Remembers answers of the registered <see cref="ICommunityRoleSource"/> (by default <see cref="NafflesCommunityRoleSource"/>) for
/// <see cref="PermissionOptions.CommunityRoleCacheDuration"/> (5 minutes) per guild and user. Failures are not
/// remembered; concurrent lookups of one user share one call.
/// </summary>
public sealed class CachedCommunityRoleSource : ICommunityRoleSource
{
    private const int MaxEntries = 50_000;
    private readonly ICommunityRoleSource _inner;
    private readonly TimeProvider _time;
    private readonly TimeSpan _duration;
    private readonly ConcurrentDictionary<(ulong Guild, ulong User), Entry> _entries = new();

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public CachedCommunityRoleSource(ICommunityRoleSource inner, TimeProvider time, IOptions<PermissionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        _time = time;
        _duration = options.Value.CommunityRoleCacheDuration;
    }

    /// <inheritdoc />
    public async ValueTask<CommunityRole?> GetRoleAsync(ulong guildId, ulong userId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var key = (guildId, userId);
        if (_entries.TryGetValue(key, out var entry) && entry.Expires > now)
        {
            return await entry.Role.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var fresh = new Entry(Load(guildId, userId), now + _duration);
        entry = entry is null ? _entries.GetOrAdd(key, fresh) : (_entries.TryUpdate(key, fresh, entry) ? fresh : _entries[key]);
        if (_entries.Count > MaxEntries)
        {
            Sweep(now);
        }

        try
        {
            return await entry.Role.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (entry.Role.IsFaulted || entry.Role.IsCanceled)
        {
            _entries.TryRemove(new KeyValuePair<(ulong, ulong), Entry>(key, entry));
            throw;
        }
    }

    /// <summary>Forgets a user's role in a guild (e.g. after a membership change webhook).</summary>
    /// <param name="guildId">The guild.</param>
    /// <param name="userId">The user.</param>
    public void Invalidate(ulong guildId, ulong userId) => _entries.TryRemove((guildId, userId), out _);

    private Task<CommunityRole?> Load(ulong guildId, ulong userId) =>
        _inner.GetRoleAsync(guildId, userId, CancellationToken.None).AsTask();

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now)
            {
                _entries.TryRemove(new KeyValuePair<(ulong, ulong), Entry>(key, entry));
            }
        }
    }

    private sealed record Entry(Task<CommunityRole?> Role, DateTimeOffset Expires);
}
