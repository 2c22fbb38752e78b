namespace Vigil.Storage.Content;

/// <summary>Reads submitted content items.</summary>
public interface IContentReader
{
    Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The latest item the platform submitted under <paramref name="platformContentId"/>, or null.</summary>
    Task<ContentItem?> FindByPlatformIdAsync(string platformContentId, CancellationToken cancellationToken);

    /// <summary>The description and bytes of one stored part of an item, or null.</summary>
    Task<(StoredPart Part, byte[] Bytes)?> GetPartAsync(long contentId, string partId, CancellationToken cancellationToken);

    /// <summary>The author's most recent items, newest first, without <paramref name="exceptId"/>.</summary>
    Task<IReadOnlyList<ContentItem>> ListByAuthorAsync(string authorId, long? exceptId, int limit, CancellationToken cancellationToken);

    /// <summary>The item stored with <paramref name="idempotencyKey"/>, or null.</summary>
    Task<ContentItem?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>How many items wait to be assessed.</summary>
    Task<long> CountPendingAsync(CancellationToken cancellationToken);
}

/// <summary>Writes content items (inside a unit of work).</summary>
public interface IContentWriter : IContentReader
{
    /// <summary>Stores the item with its parts; the store assigns the id.</summary>
    Task<ContentItem> InsertAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Stores the item unless one with its <see cref="NewContent.IdempotencyKey"/> is stored already (then that
    /// one is returned, unchanged, with <c>Created</c> false). Safe against concurrent submissions of the same key.</summary>
    Task<(ContentItem Item, bool Created)> InsertOrGetAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken);

    /// <summary>Stores the result of a pending item; false (and nothing changed) when the item is not pending (absent,
    /// or assessed already, e.g. by another worker).</summary>
    Task<bool> CompleteAsync(long id, ContentResult result, CancellationToken cancellationToken);

    /// <summary>Deletes a pending item and its parts (a submission that could not be queued); false when it is not pending.</summary>
    Task<bool> RemovePendingAsync(long id, CancellationToken cancellationToken);
}
