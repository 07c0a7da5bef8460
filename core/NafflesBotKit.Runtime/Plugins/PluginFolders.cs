namespace NafflesBotKit.Runtime.Plugins;

/// <summary>
/// The on-disk layout of plugins. A plugin lives in <c>plugins/&lt;Name&gt;/</c>, either directly
/// (<c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>) or as versions side by side
/// (<c>plugins/&lt;Name&gt;/&lt;version&gt;/&lt;Name&gt;.dll</c>), of which the newest runs.
/// </summary>
public static class PluginFolders
{
    /// <summary>The plugin assembly name for a plugin or version folder.</summary>
    /// <param name="folder">A plugin folder, or a version folder inside one.</param>
    public static string AssemblyNameOf(string folder)
    {
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        var name = Path.GetFileName(trimmed);
        if (File.Exists(Path.Combine(trimmed, name + ".dll")))
        {
            return name;
        }

        var parent = Path.GetDirectoryName(trimmed);
        return parent is not null && TryParseVersion(name, out _) ? Path.GetFileName(parent) : name;
    }

    /// <summary>
    /// The plugin folder holding the version folders when <paramref name="loadedFolder"/> is one of them
    /// (<c>plugins/X/1.2.0</c> → <c>plugins/X</c>); null for an unversioned layout.
    /// </summary>
    /// <param name="loadedFolder">The folder a plugin was loaded from.</param>
    public static string? VersionsRootOf(string loadedFolder)
    {
        var current = Path.TrimEndingDirectorySeparator(loadedFolder);
        var parent = Path.GetDirectoryName(current);
        return parent is null || AssemblyNameOf(current) == Path.GetFileName(current) ? null : parent;
    }

    /// <summary>The version folders of a plugin folder, newest first (empty when it is not versioned).</summary>
    /// <param name="pluginFolder">The plugin folder.</param>
    public static IReadOnlyList<(Version Version, string Folder)> Versions(string pluginFolder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginFolder));
        if (!Directory.Exists(pluginFolder))
        {
            return [];
        }

        return Directory.EnumerateDirectories(pluginFolder)
            .Select(d => (Ok: TryParseVersion(Path.GetFileName(d), out var v), Version: v, Folder: d))
            .Where(x => x.Ok && File.Exists(Path.Combine(x.Folder, name + ".dll")))
            .OrderByDescending(x => x.Version)
            .Select(x => (x.Version!, x.Folder))
            .ToList();
    }

    /// <summary>The folder to load for a plugin folder: itself when unversioned, else its newest version; null when neither.</summary>
    /// <param name="pluginFolder">The plugin folder.</param>
    public static string? ResolveNewest(string pluginFolder)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(pluginFolder));
        if (File.Exists(Path.Combine(pluginFolder, name + ".dll")))
        {
            return pluginFolder;
        }

        var versions = Versions(pluginFolder);
        return versions.Count > 0 ? versions[0].Folder : null;
    }

    /// <summary>Parses a version folder name (<c>1.2.0</c> or <c>v1.2.0</c>).</summary>
    /// <param name="name">Folder name.</param>
    /// <param name="version">The version.</param>
    public static bool TryParseVersion(string name, out Version? version)
    {
        var text = name.StartsWith('v') || name.StartsWith('V') ? name[1..] : name;
        return Version.TryParse(text, out version);
    }
}
