namespace NafflesBotKit.Plugins;

/// <summary>The version of this SDK, which plugin manifests' SDK ranges are checked against.</summary>
public static class SdkVersion
{
    /// <summary>The SDK version the running host provides.</summary>
    public static Version Current { get; } = new(1, 0, 0);
}
