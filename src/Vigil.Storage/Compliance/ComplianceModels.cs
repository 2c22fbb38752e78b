using Vigil.Core.Compliance;

namespace Vigil.Storage.Compliance;

/// <summary>One URL or platform content id a removal order covers, and what Vigil made of it.</summary>
/// <param name="Location">As the order gives it (a URL or the platform's content id).</param>
/// <param name="ContentId">The stored item it resolved to; null when Vigil does not know it (listed, not dropped).</param>
/// <param name="CaseId">The <c>order</c> case opened for it.</param>
/// <param name="RemovedAt">When it was removed or disabled under the order.</param>
public sealed record OrderTarget(string Location, long? ContentId, long? CaseId = null, DateTimeOffset? RemovedAt = null);

/// <summary>The order document as received (a PDF or an image), without its bytes.</summary>
public sealed record OrderDocument(string MediaType, string Sha256, long Length, string? Name);

/// <summary>What a TCO removal order says (EU Regulation 2021/784, Annex I).</summary>
/// <param name="MemberState">The issuing Member State (two letters).</param>
/// <param name="ReceivedAt">When the platform received it: the one-hour clock starts here.</param>
/// <param name="Reasons">The Art 2(7) categories the authority ticked (wire names).</param>
/// <param name="DisclosureWithheldUntil">Until when the uploader must not be told (Art 11(3)); null: not withheld.</param>
public sealed record OrderDetails(
    string Reference,
    string MemberState,
    string Authority,
    string? ContactPoint,
    DateTimeOffset IssuedAt,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Reasons,
    DateTimeOffset? DisclosureWithheldUntil);

/// <summary>A removal order to store (TCO Art 3), as the application layer logged it.</summary>
/// <param name="DocumentBytes">The order document's bytes (with <paramref name="Document"/>).</param>
public sealed record NewRemovalOrder(
    OrderDetails Details,
    IReadOnlyList<OrderTarget> Targets,
    OrderDocument? Document,
    ReadOnlyMemory<byte> DocumentBytes,
    string LoggedBy,
    DateTimeOffset LoggedAt);

/// <summary>A stored removal order and its state.</summary>
/// <param name="Stops">The clock's stops on Annex III grounds, in order.</param>
/// <param name="WarningsSent">The warning points (time into the running hour) already announced for the current hour.</param>
/// <param name="ExecutedAt">When the content was removed or disabled (the last target), or null.</param>
/// <param name="BreachedAt">When the deadline was found missed, or null.</param>
public sealed record RemovalOrder(
    long Id,
    OrderDetails Details,
    IReadOnlyList<OrderTarget> Targets,
    OrderDocument? Document,
    string LoggedBy,
    DateTimeOffset LoggedAt,
    IReadOnlyList<ClockStop> Stops,
    IReadOnlyList<TimeSpan> WarningsSent,
    DateTimeOffset? ExecutedAt,
    string? ExecutedBy,
    DateTimeOffset? BreachedAt)
{
    public bool Executed => ExecutedAt is not null;
}

/// <summary>A removal order's new state, as the application layer decided it (every field is written).</summary>
public sealed record RemovalOrderUpdate(
    long Id,
    IReadOnlyList<OrderTarget> Targets,
    IReadOnlyList<ClockStop> Stops,
    IReadOnlyList<TimeSpan> WarningsSent,
    DateTimeOffset? ExecutedAt,
    string? ExecutedBy,
    DateTimeOffset? BreachedAt)
{
    public static RemovalOrderUpdate Of(RemovalOrder order) =>
        new(order.Id, order.Targets, order.Stops, order.WarningsSent, order.ExecutedAt, order.ExecutedBy, order.BreachedAt);
}

/// <summary>Why removed content is preserved (TCO Art 6): <c>removal_order</c> or <c>decision</c>, with the order's
/// reference or the decision's id.</summary>
public sealed record NewPreservation(long ContentId, string Basis, string Reference, DateTimeOffset RemovedAt, DateTimeOffset PreserveUntil);

/// <summary>A hold that keeps preserved content beyond its preservation period (e.g. at an authority's request).</summary>
public sealed record PreservationHold(
    long Id,
    long ContentId,
    string Reason,
    DateTimeOffset HoldUntil,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? ReleasedBy = null,
    DateTimeOffset? ReleasedAt = null);

/// <summary>Removed content under preservation, with its holds; <paramref name="PurgedAt"/> once its text and bytes went.</summary>
public sealed record Preservation(
    long ContentId,
    string Basis,
    string Reference,
    DateTimeOffset RemovedAt,
    DateTimeOffset PreserveUntil,
    IReadOnlyList<PreservationHold> Holds,
    DateTimeOffset? PurgedAt);

/// <summary>A content item that no preservation covers, for the retention of content kept up or never flagged.</summary>
public sealed record RetentionCandidate(long ContentId, DateTimeOffset ReceivedAt);
