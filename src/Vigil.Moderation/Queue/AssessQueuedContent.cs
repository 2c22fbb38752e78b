using Vigil.Core.Content;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Storage;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Queue;

/// <summary>What assessing a queued item did.</summary>
public enum AssessStatus
{
    /// <summary>The result, case, audit entry and webhook events were stored.</summary>
    Assessed,

    /// <summary>The item had its result already (a redelivery, or another worker was first): nothing changed.</summary>
    AlreadyAssessed,

    /// <summary>There is no such item (its submission was withdrawn because it could not be queued): nothing to do.</summary>
    NotFound,
}

/// <summary>
/// A worker's use case: assesses a pending item from its stored text and parts with the pipeline, then stores its
/// result, its case (when the outcome opens one), the case's audit entry and the <c>content.assessed</c> events in one
/// transaction, on the condition that the item is still pending. A message delivered twice (at-least-once delivery, a
/// worker killed before it acknowledged) therefore changes nothing the second time: exactly-once effects.
/// </summary>
public sealed class AssessQueuedContent(ContentPipeline pipeline, IVigilStore store, TimeProvider time)
{
    public async Task<AssessStatus> ExecuteAsync(long contentId, CancellationToken cancellationToken)
    {
        var item = await store.Content.GetAsync(contentId, cancellationToken);
        if (item is null)
        {
            return AssessStatus.NotFound;
        }

        if (!item.Pending)
        {
            return AssessStatus.AlreadyAssessed;
        }

        var parts = new List<ContentPart>(item.Parts.Count + 1);
        if (!string.IsNullOrEmpty(item.Text))
        {
            parts.Add(ContentPart.FromText(item.Text));
        }

        foreach (var stored in item.Parts)
        {
            var (part, bytes) = await store.Content.GetPartAsync(item.Id, stored.Id, cancellationToken)
                ?? throw new InvalidOperationException($"Part {stored.Id} of content item {item.Id} is missing.");
            parts.Add(new ContentPart(part.Id, part.Type, part.MediaType, Bytes: bytes, ParentId: part.ParentId, Name: part.Name));
        }

        var result = await pipeline.AssessAsync(parts, cancellationToken);
        var outcome = result.Outcome;
        var contentResult = new ContentResult(outcome.Verdict, result.Assessment.Signals, outcome.Action, outcome.Queue, outcome.Rule);
        await using var unit = await store.BeginAsync(cancellationToken);
        if (!await unit.Content.CompleteAsync(item.Id, contentResult, cancellationToken))
        {
            return AssessStatus.AlreadyAssessed; // another worker stored it first; this transaction is rolled back
        }

        await SubmitContent.RecordOutcomeAsync(unit, item with { Assessment = contentResult }, result, time.GetUtcNow(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return AssessStatus.Assessed;
    }
}
