using Vigil.Core.Compliance;
using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>The removal order a case was opened for, with its clock under the configured restart rule.</summary>
public sealed record CaseOrder(RemovalOrder Order, OrderClock Clock);

/// <summary>Content whose text, metadata and bytes retention deleted: when, and under which rule
/// (<see cref="Retention.PreservationEnded"/> or <see cref="Retention.KeptUp"/>).</summary>
public sealed record ContentDeletion(DateTimeOffset PurgedAt, string Rule);

/// <summary>A statement of reasons held back from the uploader while an order withholds disclosure (TCO Art 11(3)).</summary>
public sealed record WithheldStatement(string Puid, string? OrderReference, DateTimeOffset Until);

/// <summary>What the compliance workflows know about a case: its order, the deletion of its content, the statements
/// withheld from the uploader.</summary>
public sealed record CaseComplianceView(CaseOrder? Order, ContentDeletion? Deletion, IReadOnlyList<WithheldStatement> Withheld);

/// <summary>
/// The compliance side of a case, for the case page: the removal order it was opened for (a case decided from the case
/// page points back to its order), whether and under which rule retention deleted its content (the rule follows from
/// whether the content was preserved: <see cref="Retention"/> deletes preserved content only when its preservation ended,
/// other content only under <see cref="ComplianceSettings.KeptUpRetention"/>), and the statements still withheld.
/// </summary>
public sealed class CaseCompliance(IVigilStore store, ComplianceSettings settings, TimeProvider time)
{
    public async Task<CaseComplianceView> ForAsync(ReviewCase reviewCase, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reviewCase);
        var order = await store.Compliance.GetOrderByCaseAsync(reviewCase.Id, cancellationToken);
        return new CaseComplianceView(
            order is null ? null : new CaseOrder(order, new OrderClock(order.Details.ReceivedAt, order.Stops, settings.ClockRestart)),
            await DeletionAsync(reviewCase.ContentId, cancellationToken),
            await WithheldAsync(reviewCase.ContentId, cancellationToken));
    }

    /// <summary>When and under which rule the item's content was deleted, or null while it is kept.</summary>
    public async Task<ContentDeletion?> DeletionAsync(long contentId, CancellationToken cancellationToken)
    {
        if (await store.Compliance.GetPurgedAtAsync(contentId, cancellationToken) is not { } purgedAt)
        {
            return null;
        }

        bool preserved = await store.Compliance.GetPreservationAsync(contentId, cancellationToken) is not null;
        return new ContentDeletion(purgedAt, preserved ? Retention.PreservationEnded : Retention.KeptUp);
    }

    private async Task<IReadOnlyList<WithheldStatement>> WithheldAsync(long contentId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return [.. (await store.Statements.ListByContentAsync(contentId, cancellationToken))
            .Where(s => s.DisclosedAt is null && s.DiscloseAt is { } at && at > now)
            .Select(s => new WithheldStatement(s.Puid, StatementsOfReasons.Read(s).OrderReference, s.DiscloseAt!.Value))];
    }
}
