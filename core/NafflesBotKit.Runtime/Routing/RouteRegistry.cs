using NafflesBotKit.Interactions;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>
/// Holds the current <see cref="RouteTable"/> snapshot. Plugins' routes are switched in and out atomically: the
/// router reads one snapshot per interaction.
/// </summary>
public sealed class RouteRegistry : ICommandCatalog
{
    private readonly Lock _writeLock = new();
    private readonly List<PluginRoutes> _active = [];
    private RouteTable _table = RouteTable.Empty;

    /// <summary>Raised after the routes changed (command sync listens to it).</summary>
    public event EventHandler? Changed;

    /// <inheritdoc />
    public IReadOnlyList<ApplicationCommandDefinition> Commands => Current.Definitions;

    internal RouteTable Current => Volatile.Read(ref _table);

    /// <summary>Finds which active plugin (other than <paramref name="except"/>) already claims a route of <paramref name="candidate"/>.</summary>
    internal IReadOnlyList<string> FindConflicts(PluginRoutes candidate, string pluginId, PluginRoutes? except = null)
    {
        var conflicts = new List<string>();
        lock (_writeLock)
        {
            foreach (var other in _active)
            {
                if (ReferenceEquals(other, except))
                {
                    continue;
                }

                foreach (var name in candidate.Definitions.Select(d => d.Name).Intersect(other.Definitions.Select(d => d.Name), StringComparer.Ordinal))
                {
                    var owner = other.Definitions.First(d => d.Name == name).PluginId;
                    conflicts.Add($"command '/{name}' is claimed by both '{owner}' and '{pluginId}'");
                }

                foreach (var mine in candidate.HttpEndpoints)
                {
                    foreach (var theirs in other.HttpEndpoints.Where(t => string.Equals(t.Method, mine.Method, StringComparison.OrdinalIgnoreCase) && t.Template.Shape.Equals(mine.Template.Shape, StringComparison.OrdinalIgnoreCase)))
                    {
                        conflicts.Add($"HTTP endpoint {mine.Method} {mine.Template.Text} of '{pluginId}' is already served by '{theirs.PluginId}' ({theirs.Template.Text})");
                    }
                }

                AddPrefixConflicts(candidate.Components, other.Components, "custom-id", pluginId, conflicts);
                AddPrefixConflicts(candidate.Modals, other.Modals, "modal custom-id", pluginId, conflicts);
            }
        }

        return conflicts;
    }

    internal void Add(PluginRoutes routes) => Mutate(list => list.Add(routes));

    internal void Remove(PluginRoutes routes) => Mutate(list => list.Remove(routes));

    internal void Replace(PluginRoutes oldRoutes, PluginRoutes newRoutes) => Mutate(list =>
    {
        var index = list.IndexOf(oldRoutes);
        if (index >= 0)
        {
            list[index] = newRoutes;
        }
        else
        {
            list.Add(newRoutes);
        }
    });

    private void Mutate(Action<List<PluginRoutes>> change)
    {
        lock (_writeLock)
        {
            change(_active);
            Volatile.Write(ref _table, new RouteTable(_active));
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static void AddPrefixConflicts(List<TemplateRoute> mine, List<TemplateRoute> theirs, string what, string pluginId, List<string> conflicts)
    {
        foreach (var a in mine)
        {
            foreach (var b in theirs)
            {
                if (a.Template.Prefix.StartsWith(b.Template.Prefix, StringComparison.Ordinal) || b.Template.Prefix.StartsWith(a.Template.Prefix, StringComparison.Ordinal))
                {
                    conflicts.Add($"{what} prefix '{a.Template.Prefix}' of '{pluginId}' ({a.Template.Text}) overlaps '{b.Template.Prefix}' of '{b.Info.PluginId}' ({b.Template.Text})");
                }
            }
        }
    }
}
