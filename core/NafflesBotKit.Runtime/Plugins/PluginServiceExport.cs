namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// A host singleton made visible inside every plugin's container. Register with
/// <c>services.AddPluginExport&lt;T&gt;()</c>. Only SDK (shared) types may be exported.
/// </summary>
/// <param name="ServiceType">The service type, as plugins request it.</param>
/// <param name="PerPlugin">
/// When set, each plugin gets its own instance made from the host's services and the plugin's id (e.g. a store scoped
/// to the plugin) instead of the host's singleton.
/// </param>
/// <param name="All">
/// When true, every registration of the type in the host is handed to plugins (they resolve them as an enumerable),
/// not only the last one.
/// </param>
public sealed record PluginServiceExport(Type ServiceType, Func<IServiceProvider, string, object>? PerPlugin = null, bool All = false);
