namespace NafflesBotKit.Plugins.Tests.Support;

/// <summary>
/// Temporary folders of this test run, under one root per test process that is removed when the process exits
/// (a host's folder outlives the host itself: a second host may reopen its store, as after a restart).
/// </summary>
internal static class TestTemp
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Directory.CreateTempSubdirectory("nbk-plugins-tests-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return root;
    });

    /// <summary>A new empty folder.</summary>
    /// <param name="prefix">Start of its name.</param>
    public static string CreateDirectory(string prefix) =>
        Directory.CreateDirectory(Path.Combine(Root.Value, prefix + Guid.NewGuid().ToString("N")[..12])).FullName;
}
