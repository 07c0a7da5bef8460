namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// A host singleton made visible inside every plugin's container. Register with
/// <c>services.AddPluginExport&lt;T&gt;()</c>. Only SDK (shared) types may be exported.
/// </summary>
/// <param name="ServiceType">The service type, as plugins request it.</param>
public sealed record PluginServiceExport(Type ServiceType);
