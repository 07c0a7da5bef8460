using System.Text.Json.Serialization.Metadata;
using NafflesBotKit.Services;

namespace NafflesBotKit.Plugins.Shared;

/// <summary>
/// The Discord posts a plugin keeps in step with Naffles, in its plugin store (key <c>posts/{id}</c>), so a restart loses
/// nothing. Subclasses keep whatever else the plugin stores beside its posts.
/// </summary>
/// <typeparam name="TPost">The post record.</typeparam>
internal abstract class PostStore<TPost>(IPluginStore store, JsonTypeInfo<TPost> typeInfo, Func<TPost, string> idOf, Func<TPost, ulong> guildOf)
    where TPost : class
{
    private const string Prefix = "posts/";

    /// <summary>The plugin's store.</summary>
    protected IPluginStore Store { get; } = store;

    public ValueTask<TPost?> GetAsync(string id, CancellationToken cancellationToken) =>
        Store.GetAsync(Prefix + id, typeInfo, cancellationToken);

    public ValueTask SaveAsync(TPost post, CancellationToken cancellationToken) =>
        Store.SetAsync(Prefix + idOf(post), post, typeInfo, cancellationToken: cancellationToken);

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Store.DeleteAsync(Prefix + id, cancellationToken);

    public async ValueTask<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken) =>
        [.. (await Store.ListKeysAsync(Prefix, cancellationToken).ConfigureAwait(false)).Select(k => k[Prefix.Length..])];

    /// <summary>Forgets every post made in <paramref name="guildId"/> (the bot left that guild).</summary>
    public async ValueTask ForgetGuildAsync(ulong guildId, CancellationToken cancellationToken)
    {
        foreach (var id in await ListIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } post && guildOf(post) == guildId)
            {
                await DeleteAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
