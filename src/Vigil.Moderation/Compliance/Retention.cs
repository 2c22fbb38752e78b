using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Compliance;

/// <summary>One item retention deletes (or, in a dry run, would delete), and under which rule.</summary>
/// <param name="Rule"><see cref="Retention.PreservationEnded"/> or <see cref="Retention.KeptUp"/>.</param>
/// <param name="Since">Since when the rule allows it: the end of preservation (holds included), or the end of the
/// retention period after receipt.</param>
public sealed record RetentionItem(long ContentId, string Rule, DateTimeOffset Since);

/// <summary>What a retention run did: the items deleted (none when a dry run), or that would be.</summary>
public sealed record RetentionRun(bool DryRun, DateTimeOffset At, IReadOnlyList<RetentionItem> Items);

/// <summary>
/// Deletes what may no longer be kept: the text, metadata and bytes of removed content once its preservation ended
/// (six months after removal, later under a hold that was not released: TCO Art 6), and of content that no preservation
/// covers (kept up, or never flagged) once <see cref="ComplianceSettings.KeptUpRetention"/> passed since it was received,
/// unless its case is still open. The hashes, the result, the decisions and the audit entries stay. Idempotent (an item
/// is purged once; a second run finds nothing more); each deletion is audited (<c>content.purged</c>, with the rule).
/// </summary>
public sealed class Retention(IVigilStore store, TimeProvider time, ComplianceSettings settings)
{
    /// <summary>TCO Art 6: the preservation of removed content ended.</summary>
    public const string PreservationEnded = "tco_art6_preservation_ended";

    /// <summary>Content kept up or never flagged, older than the retention setting.</summary>
    public const string KeptUp = "kept_up_retention";

    private const int Batch = 1000;

    /// <summary>Finds what is due now and, unless <paramref name="dryRun"/>, deletes it (one unit of work per item).</summary>
    public async Task<RetentionRun> RunAsync(bool dryRun, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = new List<RetentionItem>();
        foreach (var preservation in await store.Compliance.ListPreservationsAsync(unpurgedOnly: true, 10_000, cancellationToken))
        {
            var ends = Preservations.EndsAt(preservation);
            if (ends <= now)
            {
                due.Add(new RetentionItem(preservation.ContentId, PreservationEnded, ends));
            }
        }

        foreach (var candidate in await store.Compliance.ListRetentionCandidatesAsync(now - settings.KeptUpRetention, Batch, cancellationToken))
        {
            if (await store.Cases.GetByContentAsync(candidate.ContentId, cancellationToken) is not { State: CaseState.Open })
            {
                due.Add(new RetentionItem(candidate.ContentId, KeptUp, candidate.ReceivedAt + settings.KeptUpRetention));
            }
        }

        if (dryRun)
        {
            return new RetentionRun(true, now, due);
        }

        var done = new List<RetentionItem>();
        foreach (var item in due)
        {
            await using var unit = await store.BeginAsync(cancellationToken);
            if (await unit.Compliance.PurgeContentAsync(item.ContentId, now, cancellationToken))
            {
                await unit.Audit.AppendAsync(
                    new AuditRecord(actor, "content.purged", $"content:{item.ContentId}", Preservations.Details(new() { ["rule"] = item.Rule, ["since"] = item.Since })),
                    now,
                    cancellationToken);
                await unit.CommitAsync(cancellationToken);
                done.Add(item);
            }
        }

        return new RetentionRun(false, now, done);
    }
}
