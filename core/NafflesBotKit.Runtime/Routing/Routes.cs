using System.Collections.Frozen;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Plugins;

namespace NafflesBotKit.Runtime.Routing;

/// <summary>Kinds of routes.</summary>
public enum RouteKind
{
    /// <summary>A slash command (path).</summary>
    Command,

    /// <summary>A button or select menu (custom-id template).</summary>
    Component,

    /// <summary>A modal (custom-id template).</summary>
    Modal,
}

/// <summary>What guards (permissions, rate limits) see of the handler an interaction is routed to.</summary>
/// <param name="PluginId">The handling plugin.</param>
/// <param name="Kind">Route kind.</param>
/// <param name="Name">Command path or custom-id template.</param>
/// <param name="HandlerType">The handler class.</param>
/// <param name="Attributes">The handler's precondition attributes (RequirePermission, RateLimit, Cooldown, RequireCommunityRole).</param>
public sealed record RouteInfo(string PluginId, RouteKind Kind, string Name, Type HandlerType, IReadOnlyList<Attribute> Attributes)
{
    /// <summary>The first attribute of the given type, or null.</summary>
    /// <typeparam name="T">Attribute type.</typeparam>
    public T? Get<T>()
        where T : Attribute => Attributes.OfType<T>().FirstOrDefault();
}

internal sealed class CommandRoute(RouteInfo info, LoadedPlugin plugin, OptionBinder? binder, CommandAttribute attribute)
{
    public RouteInfo Info { get; } = info;

    public LoadedPlugin Plugin { get; } = plugin;

    public OptionBinder? Binder { get; } = binder;

    public CommandAttribute Attribute { get; } = attribute;
}

/// <summary>A plugin-contributed HTTP endpoint.</summary>
public sealed class HttpRoute
{
    internal HttpRoute(LoadedPlugin plugin, string method, HttpPathTemplate template, Type handlerType, int maxRequestBytes)
    {
        Plugin = plugin;
        Method = method;
        Template = template;
        HandlerType = handlerType;
        MaxRequestBytes = maxRequestBytes;
    }

    /// <summary>The owning plugin's id.</summary>
    public string PluginId => Plugin.Manifest.Id;

    /// <summary>HTTP method.</summary>
    public string Method { get; }

    /// <summary>Path template.</summary>
    public HttpPathTemplate Template { get; }

    /// <summary>Largest accepted request body.</summary>
    public int MaxRequestBytes { get; }

    internal LoadedPlugin Plugin { get; }

    internal Type HandlerType { get; }
}

internal sealed class TemplateRoute(RouteInfo info, LoadedPlugin plugin, CustomIdTemplate template, ValueBinder? binder, ComponentDeferMode deferMode, bool ephemeral)
{
    public RouteInfo Info { get; } = info;

    public LoadedPlugin Plugin { get; } = plugin;

    public CustomIdTemplate Template { get; } = template;

    public ValueBinder? Binder { get; } = binder;

    public ComponentDeferMode DeferMode { get; } = deferMode;

    public bool Ephemeral { get; } = ephemeral;
}

/// <summary>Everything one plugin contributes to routing, built when it loads.</summary>
internal sealed class PluginRoutes
{
    public List<CommandRoute> Commands { get; } = [];

    public List<TemplateRoute> Components { get; } = [];

    public List<TemplateRoute> Modals { get; } = [];

    public List<ApplicationCommandDefinition> Definitions { get; } = [];

    public List<Type> EventHandlerTypes { get; } = [];

    public List<HttpRoute> HttpEndpoints { get; } = [];
}

/// <summary>An immutable snapshot of all routes; replaced atomically when plugins change.</summary>
internal sealed class RouteTable
{
    public static readonly RouteTable Empty = new([]);

    private readonly FrozenDictionary<string, CommandRoute> _commands;
    private readonly TemplateRoute[] _components;
    private readonly TemplateRoute[] _modals;
    private readonly HttpRoute[] _http;

    public RouteTable(IEnumerable<PluginRoutes> plugins)
    {
        var all = plugins.ToList();
        _commands = all.SelectMany(p => p.Commands).ToFrozenDictionary(c => c.Info.Name, StringComparer.Ordinal);

        // Longest literal prefix first, so a more specific template wins.
        _components = [.. all.SelectMany(p => p.Components).OrderByDescending(r => r.Template.Prefix.Length)];
        _modals = [.. all.SelectMany(p => p.Modals).OrderByDescending(r => r.Template.Prefix.Length)];
        _http = [.. all.SelectMany(p => p.HttpEndpoints)];
        Definitions = [.. all.SelectMany(p => p.Definitions).OrderBy(d => d.Name, StringComparer.Ordinal)];
    }

    public IReadOnlyList<ApplicationCommandDefinition> Definitions { get; }

    public int CommandCount => _commands.Count;

    public bool TryGetCommand(string path, out CommandRoute route) => _commands.TryGetValue(path, out route!);

    public TemplateRoute? MatchComponent(string customId, out Dictionary<string, string>? captures) => Match(_components, customId, out captures);

    public TemplateRoute? MatchModal(string customId, out Dictionary<string, string>? captures) => Match(_modals, customId, out captures);

    public PluginHttpMatch? MatchHttp(string method, string path)
    {
        foreach (var route in _http)
        {
            if (string.Equals(route.Method, method, StringComparison.OrdinalIgnoreCase) && route.Template.TryMatch(path, out var values))
            {
                return new PluginHttpMatch(route, values);
            }
        }

        return null;
    }

    public bool HttpPathExists(string path) => _http.Any(r => r.Template.TryMatch(path, out _));

    private static TemplateRoute? Match(TemplateRoute[] routes, string customId, out Dictionary<string, string>? captures)
    {
        foreach (var route in routes)
        {
            if (route.Template.TryMatch(customId, out captures))
            {
                return route;
            }
        }

        captures = null;
        return null;
    }
}
