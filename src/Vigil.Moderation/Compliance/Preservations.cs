using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>What happened to a hold request.</summary>
public enum HoldStatus
{
    Done,

    /// <summary>The content is not preserved (it was not removed), so there is nothing to hold.</summary>
    NotPreserved,

    /// <summary>There is no such hold on the content.</summary>
    NoSuchHold,

    /// <summary>The hold was released already.</summary>
    Released,

    /// <summary>The content's text and bytes were deleted already.</summary>
    Purged,

    /// <summary>The end date is not in the future, or the reason is empty.</summary>
    Invalid,
}

/// <summary>
/// Preservation of removed content (TCO Art 6): content removed or disabled (by a removal order, or by a moderator's
/// decision) is preserved with its related data for <see cref="ComplianceSettings.PreservationMonths"/> months from
/// removal; a compliance officer may keep it longer with a hold (a reason and an end date), extend the hold and release
/// it. Every change is audited. <see cref="Retention"/> deletes what is no longer preserved.
/// </summary>
public sealed class Preservations(IVigilStore store, TimeProvider time)
{
    /// <summary>Starts preserving removed content inside <paramref name="unit"/> (audited <c>preservation.started</c>);
    /// nothing when it is preserved already.</summary>
    public static async Task StartAsync(IUnitOfWork unit, long contentId, string basis, string reference, string actor, DateTimeOffset removedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var until = removedAt.AddMonths(ComplianceSettings.PreservationMonths);
        if (await unit.Compliance.InsertPreservationAsync(new NewPreservation(contentId, basis, reference, removedAt, until), cancellationToken))
        {
            await unit.Audit.AppendAsync(
                new AuditRecord(actor, "preservation.started", $"content:{contentId}", Details(new() { ["basis"] = basis, ["reference"] = reference, ["preserve_until"] = until })),
                removedAt,
                cancellationToken);
        }
    }

    /// <summary>When the content's preservation ends: its period, or the latest end of a hold not released.</summary>
    public static DateTimeOffset EndsAt(Preservation preservation)
    {
        ArgumentNullException.ThrowIfNull(preservation);
        return preservation.Holds.Where(h => h.ReleasedAt is null).Select(h => h.HoldUntil).Append(preservation.PreserveUntil).Max();
    }

    /// <summary>Adds a hold on preserved content until <paramref name="until"/>.</summary>
    public async Task<(HoldStatus Status, PreservationHold? Hold)> HoldAsync(long contentId, string reason, DateTimeOffset until, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var preservation = await unit.Compliance.GetPreservationAsync(contentId, cancellationToken);
        var status = preservation is null ? HoldStatus.NotPreserved
            : preservation.PurgedAt is not null ? HoldStatus.Purged
            : string.IsNullOrWhiteSpace(reason) || until <= now ? HoldStatus.Invalid
            : HoldStatus.Done;
        if (status != HoldStatus.Done)
        {
            return (status, null);
        }

        var hold = await unit.Compliance.InsertHoldAsync(new PreservationHold(0, contentId, reason.Trim(), until, actor, now), cancellationToken);
        await unit.Audit.AppendAsync(
            new AuditRecord(actor, "preservation.hold_added", $"content:{contentId}", Details(new() { ["hold_id"] = hold.Id, ["reason"] = hold.Reason, ["hold_until"] = until })),
            now,
            cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (HoldStatus.Done, hold);
    }

    /// <summary>Moves a live hold's end to <paramref name="until"/>.</summary>
    public Task<HoldStatus> ExtendAsync(long contentId, long holdId, DateTimeOffset until, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(contentId, holdId, actor, "preservation.hold_extended", (hold, now) => until <= now ? null : hold with { HoldUntil = until }, cancellationToken);

    /// <summary>Releases a live hold: the content's preservation ends as if the hold had not been.</summary>
    public Task<HoldStatus> ReleaseAsync(long contentId, long holdId, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(contentId, holdId, actor, "preservation.hold_released", (hold, now) => hold with { ReleasedBy = actor, ReleasedAt = now }, cancellationToken);

    private async Task<HoldStatus> ChangeAsync(
        long contentId, long holdId, string actor, string action, Func<PreservationHold, DateTimeOffset, PreservationHold?> change, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var preservation = await unit.Compliance.GetPreservationAsync(contentId, cancellationToken);
        var hold = preservation?.Holds.FirstOrDefault(h => h.Id == holdId);
        if (preservation is null || hold is null)
        {
            return preservation is null ? HoldStatus.NotPreserved : HoldStatus.NoSuchHold;
        }

        if (hold.ReleasedAt is not null || preservation.PurgedAt is not null)
        {
            return hold.ReleasedAt is not null ? HoldStatus.Released : HoldStatus.Purged;
        }

        if (change(hold, now) is not { } changed)
        {
            return HoldStatus.Invalid;
        }

        await unit.Compliance.UpdateHoldAsync(changed, cancellationToken);
        await unit.Audit.AppendAsync(
            new AuditRecord(actor, action, $"content:{contentId}", Details(new() { ["hold_id"] = holdId, ["hold_until"] = changed.HoldUntil })),
            now,
            cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return HoldStatus.Done;
    }

    internal static string Details(Dictionary<string, object?> details) => JsonSerializer.Serialize(details);
}
