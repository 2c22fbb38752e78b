using System.Security.Cryptography;
using Vigil.Core.Compliance;
using Vigil.Moderation.Compliance;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Api;

/// <summary>A removal order to log (<c>POST /v1/removal-orders</c>).</summary>
/// <param name="MemberState">The issuing Member State, two letters (e.g. FR).</param>
/// <param name="ReceivedAt">When the order was received: the one-hour clock starts here.</param>
/// <param name="Reasons">Art 2(7) categories: incitement, solicitation_to_commit, solicitation_to_participate, instruction, threat.</param>
/// <param name="WithheldUntil">Until when the uploader must not be told (Art 11(3)); omit when disclosure is not withheld.</param>
/// <param name="Locations">The URLs or platform content ids the order covers.</param>
/// <param name="DocumentBase64">The order document (a PDF or a PNG, JPEG, GIF or WebP image), base64.</param>
public sealed record OrderRequest(
    string? Reference,
    string? MemberState,
    string? Authority,
    string? ContactPoint,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ReceivedAt,
    IReadOnlyList<string>? Reasons,
    DateTimeOffset? WithheldUntil,
    IReadOnlyList<string>? Locations,
    string? DocumentBase64,
    string? DocumentName);

/// <summary>A stop of the clock to record (<c>POST /v1/removal-orders/{id}/stop</c>).</summary>
/// <param name="Ground">force_majeure, manifest_errors or insufficient_information (Annex III).</param>
public sealed record ClockStopRequest(string? Ground, string? Explanation);

public sealed record OrderTargetDto(string Location, long? ContentId, long? CaseId, DateTimeOffset? RemovedAt, string Status);

public sealed record ClockStopDto(string Ground, string Explanation, DateTimeOffset StoppedAt, DateTimeOffset? ResumedAt);

public sealed record OrderDocumentDto(string MediaType, string Sha256, long Length, string? Name);

/// <summary>A removal order with its clock, as of <paramref name="At"/>.</summary>
/// <param name="Deadline">When the content must be removed by; null while the clock is stopped.</param>
/// <param name="SecondsLeft">Until the deadline (negative once passed); null while stopped or once executed.</param>
/// <param name="State">received, stopped, executed.</param>
public sealed record OrderDto(
    long Id,
    string Reference,
    string MemberState,
    string Authority,
    string? ContactPoint,
    DateTimeOffset IssuedAt,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<string> Reasons,
    DateTimeOffset? WithheldUntil,
    IReadOnlyList<OrderTargetDto> Targets,
    OrderDocumentDto? Document,
    string State,
    DateTimeOffset? Deadline,
    long? SecondsLeft,
    string ClockRestart,
    IReadOnlyList<ClockStopDto> Stops,
    DateTimeOffset? ExecutedAt,
    string? ExecutedBy,
    DateTimeOffset? BreachedAt,
    string LoggedBy,
    DateTimeOffset LoggedAt,
    DateTimeOffset At)
{
    public static OrderDto From(RemovalOrder order, OrderClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(clock);
        var d = order.Details;
        return new(
            order.Id, d.Reference, d.MemberState, d.Authority, d.ContactPoint, d.IssuedAt, d.ReceivedAt, d.Reasons, d.DisclosureWithheldUntil,
            [.. order.Targets.Select(t => new OrderTargetDto(t.Location, t.ContentId, t.CaseId, t.RemovedAt, t.ContentId is null ? "not_found" : t.RemovedAt is null ? "pending" : "removed"))],
            order.Document is { } doc ? new OrderDocumentDto(doc.MediaType, doc.Sha256, doc.Length, doc.Name) : null,
            order.Executed ? "executed" : clock.IsStopped ? "stopped" : "received",
            clock.Deadline,
            order.Executed ? null : clock.Left(now) is { } left ? (long)Math.Floor(left.TotalSeconds) : null,
            clock.Restart == Vigil.Core.Compliance.ClockRestart.Remaining ? "remaining" : "full_period",
            [.. order.Stops.Select(s => new ClockStopDto(OrderReplies.Wire(s.Ground), s.Explanation, s.StoppedAt, s.ResumedAt))],
            order.ExecutedAt, order.ExecutedBy, order.BreachedAt, order.LoggedBy, order.LoggedAt, now);
    }
}

/// <summary>An order document as received: its type told from its bytes (a PDF or an image), never from the client.</summary>
public static class OrderDocuments
{
    /// <summary>The document's description, or the reason it is refused.</summary>
    public static (OrderDocument? Document, string? Error) Describe(ReadOnlySpan<byte> bytes, string? name)
    {
        if (bytes.IsEmpty)
        {
            return (null, "document: the file is empty.");
        }

        string? mediaType = bytes.StartsWith("%PDF-"u8) ? "application/pdf" : ImageSniffer.MediaType(bytes);
        if (mediaType is null)
        {
            return (null, "document: a PDF or a PNG, JPEG, GIF or WebP image.");
        }

        string? safeName = name is null ? null : Path.GetFileName(name.Trim()) is { Length: > 0 and <= 200 } n && !n.Any(char.IsControl) ? n : null;
        return (new OrderDocument(mediaType, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length, safeName), null);
    }
}
