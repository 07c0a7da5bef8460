using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Primitives;

namespace NafflesBotKit.Host.Configuration;

/// <summary>
/// Shows the host's <c>Webhooks:Secret</c> (the seed's <c>WEBHOOK_SECRET</c>) to the Webhooks plugin as
/// <c>Plugins:Settings:naffles.webhooks:HostSecret</c>: a plugin only sees its own settings section, and this keeps the
/// seed's single variable working without copying the secret into a second place. Read live, so reloads apply.
/// </summary>
internal static class WebhookSecretAlias
{
    public const string SourceKey = "Webhooks:Secret";

    public const string PluginSection = "Plugins:Settings:naffles.webhooks";

    public const string AliasKey = PluginSection + ":HostSecret";

    /// <summary>Adds the alias (last, but it only answers its own key).</summary>
    /// <param name="manager">The host's configuration manager.</param>
    public static ConfigurationManager AddWebhookSecretAlias(this ConfigurationManager manager)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ((IConfigurationBuilder)manager).Add(new AliasSource(manager));
        return manager;
    }

    private sealed class AliasSource(IConfiguration root) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new AliasProvider(root);
    }

    private sealed class AliasProvider(IConfiguration root) : IConfigurationProvider
    {
        private static readonly IChangeToken NeverChanges = new CancellationChangeToken(CancellationToken.None);

        public bool TryGet(string key, out string? value)
        {
            // Reading SourceKey never comes back here (another key), so there is no recursion.
            value = string.Equals(key, AliasKey, StringComparison.OrdinalIgnoreCase) ? root[SourceKey] : null;
            return !string.IsNullOrEmpty(value);
        }

        public void Set(string key, string? value)
        {
        }

        // Never the root's token: the root re-raises its providers' tokens, which would loop. Values are read live anyway.
        public IChangeToken GetReloadToken() => NeverChanges;

        public void Load()
        {
        }

        public IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (string.Equals(parentPath, PluginSection, StringComparison.OrdinalIgnoreCase) && TryGet(AliasKey, out _))
            {
                return [.. earlierKeys, "HostSecret"];
            }

            return earlierKeys;
        }
    }
}
