using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Transfer;

namespace Vigil.Moderation.Hosting;

/// <summary>What was copied of one kind of row: how many the source has and how many were new to the target (the rest
/// were there already).</summary>
public sealed record MigrationStep(string Kind, long Read, long Copied)
{
    public long AlreadyThere => Read - Copied;
}

/// <summary>The outcome of a copy: each step, the counts on both sides and the target's audit chain afterwards;
/// <see cref="Problems"/> says what does not add up (none: the target holds everything the source does).</summary>
public sealed record StoreMigrationResult(
    IReadOnlyList<MigrationStep> Steps, StoreCounts Source, StoreCounts Target, AuditVerification TargetAudit, IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>Thrown when the target cannot take the source's data: its audit log is not the source's (nor a
/// continuation of it), so it was used on its own or holds another deployment.</summary>
public sealed class StoreMigrationException(string message) : Exception(message);

/// <summary>
/// Copies one deployment's store into another (<c>vigil migrate</c>: a SQLite file into PostgreSQL, or any store into
/// any other): content with its parts (and when retention purged it), cases, decisions, users with their password
/// hashes and security state (stamp, sealed TOTP secret, hashed recovery codes), their sign-in sessions, exposure, API
/// keys with their hashes, webhooks, the outbox, policies, removal orders with their targets, documents and clock stops,
/// preservations and their holds, statements of reasons, notices, complaints, hash banks with their entries, and the
/// audit log entry for entry (same sequence, times and hashes, so that the chain stays whole), through the storage
/// contract's export and import. Secrets are copied as stored (sealed or hashed), never opened.
/// </summary>
/// <remarks>
/// <para>Safe to run again: what the target has already (same id or key) is left as it is and counted, not copied again;
/// the audit log is continued from the target's head. A target whose audit log is neither a beginning of the source's
/// nor a continuation of it is refused before anything is written (<see cref="StoreMigrationException"/>).</para>
/// <para>Rows are written in batches, each batch one unit of work on the target, referenced rows before the rows that
/// refer to them and the audit log last; a run that is interrupted leaves whole batches, and the next run goes on.</para>
/// <para>Then it verifies: every count on the target at least the source's, and the target's audit chain whole and
/// holding the source's head.</para>
/// </remarks>
public sealed class StoreMigration(IVigilStore source, IVigilStore target)
{
    private const int Batch = 500;
    private const int ContentBatch = 50;

    /// <summary>Copies, then verifies; <paramref name="stepDone"/> hears of each step as it ends.</summary>
    /// <exception cref="StoreMigrationException">The target's audit log diverges from the source's.</exception>
    public async Task<StoreMigrationResult> RunAsync(Action<MigrationStep>? stepDone, CancellationToken cancellationToken)
    {
        long auditFrom = await AuditCopiedUpToAsync(cancellationToken);
        var steps = new List<MigrationStep>();
        async Task Step(Task<MigrationStep> copy) => Done(await copy);
        void Done(MigrationStep step)
        {
            steps.Add(step);
            stepDone?.Invoke(step);
        }

        var export = source.Export;
        await Step(CopyAsync("users", export.UsersAsync(cancellationToken), Batch, (i, r, ct) => i.UserAsync(r, ct), cancellationToken));
        await Step(CopyAsync("api keys", export.ApiKeysAsync(cancellationToken), Batch, (i, r, ct) => i.ApiKeyAsync(r, ct), cancellationToken));
        await Step(CopyAsync("policies", export.PoliciesAsync(cancellationToken), Batch, (i, r, ct) => i.PolicyAsync(r, ct), cancellationToken));
        await Step(CopyAsync("webhooks", export.WebhooksAsync(cancellationToken), Batch, (i, r, ct) => i.WebhookAsync(r, ct), cancellationToken));
        await Step(CopyAsync("outbox", export.OutboxAsync(cancellationToken), Batch, (i, r, ct) => i.OutboxAsync(r, ct), cancellationToken));
        await Step(CopyAsync("content", export.ContentAsync(cancellationToken), ContentBatch, (i, r, ct) => i.ContentAsync(r, ct), cancellationToken));
        await Step(CopyAsync("cases", export.CasesAsync(cancellationToken), Batch, (i, r, ct) => i.CaseAsync(r, ct), cancellationToken));
        await Step(CopyAsync("decisions", export.DecisionsAsync(cancellationToken), Batch, (i, r, ct) => i.DecisionAsync(r, ct), cancellationToken));
        await Step(CopyAsync("exposure", export.ExposureAsync(cancellationToken), Batch, (i, r, ct) => i.ExposureAsync(r, ct), cancellationToken));
        await Step(CopyAsync("sessions", export.SessionsAsync(cancellationToken), Batch, (i, r, ct) => i.SessionAsync(r, ct), cancellationToken));
        await Step(CopyAsync("removal orders", export.RemovalOrdersAsync(cancellationToken), ContentBatch, (i, r, ct) => i.RemovalOrderAsync(r, ct), cancellationToken));
        await Step(CopyAsync("preservations", export.PreservationsAsync(cancellationToken), Batch, (i, r, ct) => i.PreservationAsync(r, ct), cancellationToken));
        await Step(CopyAsync("preservation holds", export.PreservationHoldsAsync(cancellationToken), Batch, (i, r, ct) => i.PreservationHoldAsync(r, ct), cancellationToken));
        await Step(CopyAsync("statements", export.StatementsAsync(cancellationToken), Batch, (i, r, ct) => i.StatementAsync(r, ct), cancellationToken));
        await Step(CopyAsync("notices", export.NoticesAsync(cancellationToken), Batch, (i, r, ct) => i.NoticeAsync(r, ct), cancellationToken));
        await Step(CopyAsync("complaints", export.ComplaintsAsync(cancellationToken), Batch, (i, r, ct) => i.ComplaintAsync(r, ct), cancellationToken));
        var (banks, entries) = await CopyBanksAsync(cancellationToken);
        Done(banks);
        Done(entries);
        await Step(CopyAsync(
            "audit",
            source.Audit.ReadAllAsync(cancellationToken).Where(e => e.Seq > auditFrom),
            Batch,
            async (i, e, ct) =>
            {
                await i.AuditAsync(e, ct);
                return 1L;
            },
            _ => 1,
            auditFrom,
            cancellationToken));
        return await VerifyAsync(steps, cancellationToken);
    }

    /// <summary>How far the target's audit log already holds the source's (0: not at all, nothing there).</summary>
    /// <exception cref="StoreMigrationException">It holds another log.</exception>
    private async Task<long> AuditCopiedUpToAsync(CancellationToken cancellationToken)
    {
        if (await HeadAsync(target, null, cancellationToken) is not { } targetHead)
        {
            return 0;
        }

        // The target's head is in the source: the target holds the source's log up to there (each hash chains all before it).
        if (await HeadAsync(source, targetHead.Seq, cancellationToken) is { } sameSeq && sameSeq.Seq == targetHead.Seq)
        {
            return sameSeq.Hash == targetHead.Hash ? targetHead.Seq : throw Diverged(targetHead.Seq);
        }

        // The source is shorter: the target must continue it (it was copied, then used).
        var sourceHead = await HeadAsync(source, null, cancellationToken);
        if (sourceHead is null)
        {
            return 0;
        }

        var atSourceHead = await HeadAsync(target, sourceHead.Seq, cancellationToken);
        return atSourceHead?.Hash == sourceHead.Hash ? sourceHead.Seq : throw Diverged(sourceHead.Seq);
    }

    /// <summary>The entry at <paramref name="seq"/> (or the latest before it), or the head when null.</summary>
    private static async Task<AuditEntry?> HeadAsync(IVigilStore store, long? seq, CancellationToken cancellationToken) =>
        await store.Audit.ListAsync(1, seq + 1, cancellationToken) is [var entry, ..] ? entry : null;

    private StoreMigrationException Diverged(long seq) => new(
        $"The audit log of {target.Location} is not the one of {source.Location}: their entry {seq} differs. The target was used on its own or " +
        "holds another deployment; copy into an empty database (nothing was written).");

    private async Task<(MigrationStep Banks, MigrationStep Entries)> CopyBanksAsync(CancellationToken cancellationToken)
    {
        long read = 0, copied = 0;
        var entries = new List<MigrationStep>();
        foreach (var bank in await source.Banks.ListAsync(cancellationToken))
        {
            read++;
            await using (var unit = await target.BeginAsync(cancellationToken))
            {
                copied += await unit.Banks.InsertAsync(bank, cancellationToken) ? 1 : 0;
                await unit.CommitAsync(cancellationToken);
            }

            entries.Add(await CopyAsync(
                "bank entries",
                source.Banks.GetEntriesAsync(bank.Name, cancellationToken).Chunk(Batch),
                1,
                (i, chunk, ct) => i.BankEntriesAsync(bank.Name, chunk, ct),
                chunk => chunk.Length,
                0,
                cancellationToken));
        }

        return (new MigrationStep("banks", read, copied), new MigrationStep("bank entries", entries.Sum(e => e.Read), entries.Sum(e => e.Copied)));
    }

    private Task<MigrationStep> CopyAsync<T>(
        string kind, IAsyncEnumerable<T> rows, int batch, Func<IStoreImport, T, CancellationToken, Task<bool>> import, CancellationToken cancellationToken) =>
        CopyAsync(kind, rows, batch, async (i, row, ct) => await import(i, row, ct) ? 1L : 0L, _ => 1, 0, cancellationToken);

    /// <summary>Imports <paramref name="rows"/>, <paramref name="batch"/> a unit of work; <paramref name="count"/> says how many
    /// rows one is, <paramref name="import"/> how many of them were new.</summary>
    private async Task<MigrationStep> CopyAsync<T>(
        string kind,
        IAsyncEnumerable<T> rows,
        int batch,
        Func<IStoreImport, T, CancellationToken, Task<long>> import,
        Func<T, long> count,
        long alreadyThere,
        CancellationToken cancellationToken)
    {
        long read = alreadyThere, copied = 0;
        var pending = new List<T>(batch);
        async Task FlushAsync()
        {
            await using var unit = await target.BeginAsync(cancellationToken);
            foreach (var row in pending)
            {
                copied += await import(unit.Import, row, cancellationToken);
            }

            await unit.CommitAsync(cancellationToken);
            pending.Clear();
        }

        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            read += count(row);
            pending.Add(row);
            if (pending.Count == batch)
            {
                await FlushAsync();
            }
        }

        if (pending.Count > 0)
        {
            await FlushAsync();
        }

        return new MigrationStep(kind, read, copied);
    }

    private async Task<StoreMigrationResult> VerifyAsync(IReadOnlyList<MigrationStep> steps, CancellationToken cancellationToken)
    {
        var sourceCounts = await source.Export.CountAsync(cancellationToken);
        var targetCounts = await target.Export.CountAsync(cancellationToken);
        var problems = new List<string>();
        foreach (var ((kind, inSource), (_, inTarget)) in sourceCounts.All.Zip(targetCounts.All))
        {
            if (inTarget < inSource)
            {
                problems.Add($"{kind}: the target has {inTarget}, the source {inSource}");
            }
        }

        var audit = await AuditChain.VerifyAsync(target.Audit.ReadAllAsync(cancellationToken), cancellationToken);
        if (!audit.Ok)
        {
            problems.Add($"the target's audit log is broken at entry {audit.BrokenAt}: {audit.Problem}");
        }

        if (await HeadAsync(source, null, cancellationToken) is { } head && (await HeadAsync(target, head.Seq, cancellationToken))?.Hash != head.Hash)
        {
            problems.Add($"the target's audit log does not hold the source's head (entry {head.Seq}, hash {head.Hash})");
        }

        return new StoreMigrationResult(steps, sourceCounts, targetCounts, audit, problems);
    }
}
