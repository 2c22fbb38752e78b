using Vigil.Moderation.Content;
using Vigil.Storage;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Queue;

/// <summary>What queuing a submission did: the item (pending, or assessed already when it repeated an assessed one).</summary>
/// <param name="Created">Whether a new item was stored (false: the same platform id or idempotency key was submitted before).</param>
public sealed record Queued(ContentItem Content, bool Created);

/// <summary>
/// Submitting content through the work queue (<c>vigil serve --queue</c>): the item and its parts are stored as pending
/// (the database is the claim check), then its id is queued for a worker (<see cref="AssessQueuedContent"/>).
/// Ingestion is idempotent on the platform's content id (or the client's idempotency key): a repeated submission is the
/// first item, queued again while it is still pending (the queue drops the duplicate message). When the queue cannot
/// take the message, a new item is removed again and <see cref="QueueUnavailableException"/> is thrown: an item the
/// caller was told is accepted is always queued, one it was told to retry is not half-stored.
/// </summary>
public sealed class QueueContent(IVigilStore store, IWorkBroker queue, TimeProvider time)
{
    public async Task<Queued> ExecuteAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ContentItem item;
        bool created;
        await using (var unit = await store.BeginAsync(cancellationToken))
        {
            (item, created) = await unit.Content.InsertOrGetAsync(
                new NewContent(
                    submission.PlatformContentId,
                    submission.AuthorId,
                    submission.Url,
                    submission.MetadataJson,
                    submission.Text,
                    submission.StoredParts(),
                    submission.Actor,
                    Result: null,
                    submission.StoreKey(byPlatformId: true)),
                time.GetUtcNow(),
                cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }

        if (!item.Pending)
        {
            return new Queued(item, created);
        }

        try
        {
            await queue.PublishAsync(item.Id, cancellationToken);
        }
        catch (QueueUnavailableException) when (created)
        {
            await using var unit = await store.BeginAsync(CancellationToken.None);
            await unit.Content.RemovePendingAsync(item.Id, CancellationToken.None);
            await unit.CommitAsync(CancellationToken.None);
            throw;
        }

        return new Queued(item, created);
    }
}
