using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Content;

/// <summary>Who reads stored content: an actor (<c>key:ID</c>) and whether it may read every item (a key with the review
/// or admin scope) or only what it submitted itself (an ingest key: one integration's items, not another's).</summary>
public sealed record ContentReader(string Actor, bool ReadsAll);

/// <summary>Reading stored content items, with the rule of who may see which: an item is shown to a reader that reads
/// everything, or to the actor that submitted it; to anyone else it does not exist (the answer is the same as for an id
/// that was never used, so ids cannot be probed).</summary>
public sealed class ContentReads(IVigilStore store)
{
    /// <summary>The item and its case, or null when there is none this reader may see.</summary>
    public async Task<(ContentItem Item, ReviewCase? Case)?> GetAsync(long id, ContentReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var item = await store.Content.GetAsync(id, cancellationToken);
        if (item is null || (!reader.ReadsAll && !string.Equals(item.SubmittedBy, reader.Actor, StringComparison.Ordinal)))
        {
            return null;
        }

        return (item, item.Pending ? null : await store.Cases.GetByContentAsync(id, cancellationToken));
    }
}
