using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using NafflesBotKit.Events;
using NafflesBotKit.Http;
using NafflesBotKit.Interactions;
using NafflesBotKit.Runtime.Routing;

namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// Registers a plugin's handlers by scanning its assembly (Scrutor) and builds its routes and command definitions,
/// reporting every problem with the plugin and handler named.
/// </summary>
internal static partial class HandlerScanner
{
    public static void RegisterHandlers(IServiceCollection services, Assembly assembly, Func<Type, bool>? filter = null)
    {
        filter ??= _ => true;
        services.Scan(scan => scan
            .FromAssemblies(assembly)
            .AddClasses(c => c.AssignableTo<IInteractionHandler>().Where(filter), publicOnly: false)
                .AsSelf()
                .WithScopedLifetime()
            .AddClasses(c => c.AssignableTo(typeof(IEventHandler<>)).Where(filter), publicOnly: false)
                .AsSelf()
                .WithScopedLifetime()
            .AddClasses(c => c.AssignableTo<IHttpEndpointHandler>().Where(filter), publicOnly: false)
                .AsSelf()
                .WithScopedLifetime());
    }

    public static PluginRoutes BuildRoutes(LoadedPlugin plugin, IServiceCollection services, Assembly assembly)
    {
        var id = plugin.Manifest.Id;
        var routes = new PluginRoutes();
        var problems = new List<string>();
        var handlerTypes = services
            .Where(d => d.ImplementationType is not null && d.ServiceType == d.ImplementationType && d.ImplementationType.Assembly == assembly)
            .Select(d => d.ImplementationType!)
            .Distinct()
            .ToList();

        var groupDescriptions = assembly.GetCustomAttributes<CommandGroupAttribute>()
            .Concat(handlerTypes.SelectMany(t => t.GetCustomAttributes<CommandGroupAttribute>()))
            .GroupBy(g => g.Path, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Description, StringComparer.Ordinal);

        var leaves = new List<(string[] Path, string Description, CommandAttribute Attribute, OptionBinder? Binder)>();
        foreach (var type in handlerTypes)
        {
            try
            {
                if (typeof(IEventHandler<>).IsAssignableFromGeneric(type))
                {
                    routes.EventHandlerTypes.Add(type);
                }

                if (typeof(ICommandHandler).IsAssignableFrom(type))
                {
                    AddCommand(plugin, type, routes, leaves);
                }

                if (typeof(IComponentHandler).IsAssignableFrom(type))
                {
                    AddTemplates(plugin, type, routes);
                }

                if (typeof(IModalHandler).IsAssignableFrom(type))
                {
                    AddModal(plugin, type, routes);
                }

                if (typeof(IHttpEndpointHandler).IsAssignableFrom(type))
                {
                    AddHttpEndpoints(plugin, type, routes);
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException)
            {
                problems.Add($"{type.Name}: {ex.Message}");
            }
        }

        BuildDefinitions(id, leaves, groupDescriptions, routes, problems);

        foreach (var duplicate in routes.HttpEndpoints.GroupBy(r => (r.Method.ToUpperInvariant(), r.Template.Shape.ToUpperInvariant())).Where(g => g.Count() > 1))
        {
            problems.Add($"HTTP endpoint {duplicate.First().Method} {duplicate.First().Template.Text} is declared by {string.Join(" and ", duplicate.Select(r => r.HandlerType.Name))}");
        }

        var duplicateTemplates = routes.Components.Concat(routes.Modals)
            .GroupBy(r => (r.Info.Kind, r.Template.Text))
            .Where(g => g.Count() > 1);
        foreach (var duplicate in duplicateTemplates)
        {
            problems.Add($"custom-id template '{duplicate.Key.Text}' is claimed by {string.Join(" and ", duplicate.Select(r => r.Info.HandlerType.Name))}");
        }

        if (problems.Count > 0)
        {
            throw new PluginLoadException(id, $"plugin '{id}' has invalid handlers: {string.Join("; ", problems)}");
        }

        return routes;
    }

    private static void AddCommand(LoadedPlugin plugin, Type type, PluginRoutes routes, List<(string[], string, CommandAttribute, OptionBinder?)> leaves)
    {
        var attribute = type.GetCustomAttribute<CommandAttribute>()
            ?? throw new InvalidOperationException("a command handler needs a [Command(\"name\", \"description\")] attribute");
        var path = attribute.Path.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (path.Length is < 1 or > 3)
        {
            throw new InvalidOperationException($"command path '{attribute.Path}' must have 1 to 3 parts");
        }

        foreach (var part in path)
        {
            CheckName(part, "command");
        }

        CheckDescription(attribute.Description, $"command '{attribute.Path}'");
        var optionsType = FindGenericArgument(type, typeof(CommandHandler<>));
        var binder = optionsType is null ? null : OptionBinder.Create(optionsType);
        if (binder is not null)
        {
            foreach (var slot in binder.Slots)
            {
                CheckName(slot.Attribute.Name, "option");
                CheckDescription(slot.Attribute.Description, $"option '{slot.Attribute.Name}'");
                if (slot.Choices.Count > 25)
                {
                    throw new InvalidOperationException($"option '{slot.Attribute.Name}' has {slot.Choices.Count} choices; Discord allows 25");
                }

                if (slot.Attribute.Autocomplete && !typeof(IAutocompleteHandler).IsAssignableFrom(type))
                {
                    throw new InvalidOperationException($"option '{slot.Attribute.Name}' asks for autocomplete but the handler does not implement IAutocompleteHandler");
                }
            }

            if (binder.Slots.Count > 25)
            {
                throw new InvalidOperationException($"command '{attribute.Path}' has {binder.Slots.Count} options; Discord allows 25");
            }
        }

        var name = string.Join(' ', path);
        var info = new RouteInfo(plugin.Manifest.Id, RouteKind.Command, name, type, PreconditionsOf(type));
        routes.Commands.Add(new CommandRoute(info, plugin, binder, attribute));
        leaves.Add((path, attribute.Description, attribute, binder));
    }

    private static void AddTemplates(LoadedPlugin plugin, Type type, PluginRoutes routes)
    {
        var attributes = type.GetCustomAttributes<ComponentAttribute>().ToList();
        if (attributes.Count == 0)
        {
            throw new InvalidOperationException("a component handler needs at least one [Component(\"prefix:{capture}\")] attribute");
        }

        var argsType = FindGenericArgument(type, typeof(ComponentHandler<>));
        var binder = argsType is null ? null : ValueBinder.Create(argsType);
        foreach (var attribute in attributes)
        {
            var template = CustomIdTemplate.Parse(attribute.Template);
            CheckCaptures(template, binder, argsType);
            var info = new RouteInfo(plugin.Manifest.Id, RouteKind.Component, template.Text, type, PreconditionsOf(type));
            routes.Components.Add(new TemplateRoute(info, plugin, template, binder, attribute.Defer, attribute.Defer != ComponentDeferMode.PublicMessage));
        }
    }

    private static void AddModal(LoadedPlugin plugin, Type type, PluginRoutes routes)
    {
        var attributes = type.GetCustomAttributes<ModalAttribute>().ToList();
        if (attributes.Count == 0)
        {
            throw new InvalidOperationException("a modal handler needs at least one [Modal(\"prefix:{capture}\")] attribute");
        }

        var modalType = FindGenericArgument(type, typeof(ModalHandler<>))
            ?? throw new InvalidOperationException("a modal handler must derive from ModalHandler<TModal>");
        var binder = ValueBinder.Create(modalType);
        foreach (var attribute in attributes)
        {
            var template = CustomIdTemplate.Parse(attribute.Template);
            CheckCaptures(template, binder, modalType);
            var info = new RouteInfo(plugin.Manifest.Id, RouteKind.Modal, template.Text, type, PreconditionsOf(type));
            routes.Modals.Add(new TemplateRoute(info, plugin, template, binder, attribute.Ephemeral ? ComponentDeferMode.EphemeralMessage : ComponentDeferMode.PublicMessage, attribute.Ephemeral));
        }
    }

    private static readonly string[] ReservedPaths = ["/", "/health", "/metrics", "/interactions", "/admin", "/playground", "/oauth2"];

    private static void AddHttpEndpoints(LoadedPlugin plugin, Type type, PluginRoutes routes)
    {
        var attributes = type.GetCustomAttributes<HttpEndpointAttribute>().ToList();
        if (attributes.Count == 0)
        {
            throw new InvalidOperationException("an HTTP endpoint handler needs at least one [HttpEndpoint(\"POST\", \"/path\")] attribute");
        }

        foreach (var attribute in attributes)
        {
            var template = HttpPathTemplate.Parse(attribute.PathTemplate);
            var first = "/" + attribute.PathTemplate.Trim('/').Split('/')[0];
            if (ReservedPaths.Contains(first, StringComparer.OrdinalIgnoreCase) || attribute.PathTemplate.Trim('/').Length == 0)
            {
                throw new InvalidOperationException($"HTTP path '{attribute.PathTemplate}' is reserved by the host ({string.Join(", ", ReservedPaths)})");
            }

            if (attribute.MaxRequestBytes <= 0)
            {
                throw new InvalidOperationException($"HTTP endpoint '{attribute.PathTemplate}' needs a positive MaxRequestBytes");
            }

            routes.HttpEndpoints.Add(new HttpRoute(plugin, attribute.Method.ToUpperInvariant(), template, type, attribute.MaxRequestBytes));
        }
    }

    private static void CheckCaptures(CustomIdTemplate template, ValueBinder? binder, Type? argsType)
    {
        if (binder is null)
        {
            return;
        }

        foreach (var name in template.PlaceholderNames)
        {
            if (!binder.CaptureNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"template '{template.Text}' captures '{name}' but {argsType!.Name} has no settable property of that name");
            }
        }
    }

    private static void BuildDefinitions(
        string pluginId,
        List<(string[] Path, string Description, CommandAttribute Attribute, OptionBinder? Binder)> leaves,
        Dictionary<string, string> groupDescriptions,
        PluginRoutes routes,
        List<string> problems)
    {
        foreach (var root in leaves.GroupBy(l => l.Path[0], StringComparer.Ordinal))
        {
            var items = root.ToList();
            if (items.Any(i => i.Path.Length == 1))
            {
                if (items.Count > 1)
                {
                    problems.Add($"command '{root.Key}' is both a command and a group of subcommands, or is declared twice");
                    continue;
                }

                var only = items[0];
                routes.Definitions.Add(new ApplicationCommandDefinition
                {
                    Name = root.Key,
                    Description = only.Description,
                    Options = only.Binder?.Describe() ?? [],
                    AllowInDms = only.Attribute.AllowInDms,
                    PluginId = pluginId,
                });
                continue;
            }

            var options = new List<CommandOptionDefinition>();
            foreach (var second in items.GroupBy(i => i.Path[1], StringComparer.Ordinal))
            {
                var secondItems = second.ToList();
                if (secondItems.Any(i => i.Path.Length == 2))
                {
                    if (secondItems.Count > 1)
                    {
                        problems.Add($"'{root.Key} {second.Key}' is both a subcommand and a group, or is declared twice");
                        continue;
                    }

                    var sub = secondItems[0];
                    options.Add(new CommandOptionDefinition
                    {
                        Type = CommandOptionType.SubCommand,
                        Name = second.Key,
                        Description = sub.Description,
                        Options = sub.Binder?.Describe() ?? [],
                    });
                    continue;
                }

                var groupPath = $"{root.Key} {second.Key}";
                options.Add(new CommandOptionDefinition
                {
                    Type = CommandOptionType.SubCommandGroup,
                    Name = second.Key,
                    Description = groupDescriptions.GetValueOrDefault(groupPath, $"{second.Key} commands"),
                    Options = secondItems.Select(i => new CommandOptionDefinition
                    {
                        Type = CommandOptionType.SubCommand,
                        Name = i.Path[2],
                        Description = i.Description,
                        Options = i.Binder?.Describe() ?? [],
                    }).ToList(),
                });
            }

            routes.Definitions.Add(new ApplicationCommandDefinition
            {
                Name = root.Key,
                Description = groupDescriptions.GetValueOrDefault(root.Key, $"{root.Key} commands"),
                Options = options,
                AllowInDms = items.All(i => i.Attribute.AllowInDms),
                PluginId = pluginId,
            });
        }
    }

    private static Attribute[] PreconditionsOf(Type type) =>
        [.. type.GetCustomAttributes(inherit: true).OfType<Attribute>().Where(a => a is RequirePermissionAttribute or RequireCommunityRoleAttribute or RateLimitAttribute or CooldownAttribute)];

    private static Type? FindGenericArgument(Type type, Type openBase)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == openBase)
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    private static bool IsAssignableFromGeneric(this Type openInterface, Type type) =>
        type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface);

    private static void CheckName(string name, string what)
    {
        if (!NamePattern().IsMatch(name) || !string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{what} name '{name}' is invalid: Discord wants 1-32 lower-case letters, digits, '-' or '_'");
        }
    }

    private static void CheckDescription(string description, string what)
    {
        if (string.IsNullOrWhiteSpace(description) || description.Length > 100)
        {
            throw new InvalidOperationException($"{what} needs a description of 1-100 characters (has {description?.Length ?? 0})");
        }
    }

    [GeneratedRegex(@"^[-_\p{L}\p{N}]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
