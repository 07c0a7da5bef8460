namespace NafflesBotKit.Naffles;

/// <summary>One page of a paged Naffles listing.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed record NafflesPage<T>
{
    /// <summary>The items on this page.</summary>
    public IReadOnlyList<T> Items { get; init; } = [];

    /// <summary>The 1-based page number, when the platform reports it.</summary>
    public int? Page { get; init; }

    /// <summary>The page size, when the platform reports it.</summary>
    public int? Limit { get; init; }

    /// <summary>The total number of items across all pages, when the platform reports it.</summary>
    public int? Total { get; init; }
}
