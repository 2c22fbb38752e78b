namespace Vigil.Storage.Content;

/// <summary>Reads submitted content items.</summary>
public interface IContentReader
{
    Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The description and bytes of one stored part of an item, or null.</summary>
    Task<(StoredPart Part, byte[] Bytes)?> GetPartAsync(long contentId, string partId, CancellationToken cancellationToken);

    /// <summary>The author's most recent items, newest first, without <paramref name="exceptId"/>.</summary>
    Task<IReadOnlyList<ContentItem>> ListByAuthorAsync(string authorId, long? exceptId, int limit, CancellationToken cancellationToken);
}

/// <summary>Writes content items (inside a unit of work).</summary>
public interface IContentWriter : IContentReader
{
    /// <summary>Stores the item with its parts; the store assigns the id.</summary>
    Task<ContentItem> InsertAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken);
}
