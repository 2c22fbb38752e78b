namespace Vigil.Storage.Content;

/// <summary>Submitted content items and their detection results.</summary>
public interface IContentStore
{
    /// <summary>Stores the item and, when <paramref name="openCase"/> is given, opens its case (and audits that) in the
    /// same transaction. Returns once it is durable.</summary>
    Task<StoredSubmission> AddAsync(NewContent content, NewCase? openCase, CancellationToken cancellationToken);

    Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The image bytes of an item, or null when it has none.</summary>
    Task<(ImageInfo Info, byte[] Bytes)?> GetImageAsync(long id, CancellationToken cancellationToken);

    /// <summary>The author's most recent items, newest first, without <paramref name="exceptId"/>.</summary>
    Task<IReadOnlyList<ContentItem>> ListByAuthorAsync(string authorId, long? exceptId, int limit, CancellationToken cancellationToken);
}
