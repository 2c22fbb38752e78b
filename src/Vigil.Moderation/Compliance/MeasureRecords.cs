using System.Text.Json;
using Vigil.Core;
using Vigil.Storage;

namespace Vigil.Moderation.Compliance;

/// <summary>A recorded change of a measure: when, by whom, what (an audit entry).</summary>
public sealed record MeasureChange(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement Details);

/// <summary>A hash bank in force: its settings and how many entries of each signal type it holds.</summary>
public sealed record BankInForce(string Name, bool Enabled, bool AllowList, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, long> Entries);

/// <summary>The retention in force (TCO Art 6; GDPR Art 5(1)(e)): how long removed content is preserved, how long content
/// kept up or never flagged is kept, and when the deletion job runs.</summary>
/// <param name="PreservationMonths">Removed content is preserved this long from removal (TCO Art 6(2)), longer under a hold.</param>
/// <param name="KeptUpRetentionDays">Content kept up or never flagged is deleted this long after it was received (open cases wait).</param>
/// <param name="PurgeIntervalMinutes">The deletion job runs this often (and when the service starts).</param>
/// <param name="Rules">The rules retention deletes under, as its audit entries (<c>content.purged</c>) name them.</param>
/// <param name="Schedule">The schedule in words.</param>
public sealed record RetentionInForce(int PreservationMonths, double KeptUpRetentionDays, double PurgeIntervalMinutes, IReadOnlyList<string> Rules, string Schedule)
{
    public static RetentionInForce Of(ComplianceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RetentionInForce(
            ComplianceSettings.PreservationMonths,
            settings.KeptUpRetention.TotalDays,
            settings.RetentionInterval.TotalMinutes,
            [Retention.PreservationEnded, Retention.KeptUp],
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The service deletes what is due every {settings.RetentionInterval.TotalMinutes:0.##} minutes and when it starts: the text, metadata and bytes of removed content {ComplianceSettings.PreservationMonths} months after removal (later under a hold not released), and of content kept up or never flagged {settings.KeptUpRetention.TotalDays:0.##} days after it was received (not while its case is open). Hashes, verdicts, decisions and audit entries stay."));
    }
}

/// <summary>
/// The record of the measures in force (UK Online Safety Act 2023 s.23): the policy now in force with its thresholds and
/// action rules, every change of the policy and of the hash banks with when and by whom (from the audit chain), the banks
/// in force, the statement-of-reasons settings and the retention in force.
/// </summary>
public sealed record MeasuresRecord(
    DateTimeOffset GeneratedAt,
    string PolicyVersion,
    IReadOnlyDictionary<string, CategoryThresholds> Thresholds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> LanguageThresholds,
    IReadOnlyList<string> ActionRules,
    IReadOnlyList<MeasureChange> Changes,
    IReadOnlyList<BankInForce> Banks,
    StatementSettings Statements,
    RetentionInForce Retention)
{
    /// <summary>The audit actions that change a measure.</summary>
    public static bool IsMeasureChange(string action) => action.StartsWith("policy.", StringComparison.Ordinal) || action.StartsWith("bank.", StringComparison.Ordinal);

    public static async Task<MeasuresRecord> BuildAsync(
        IVigilStore store, Policy policy, StatementSettings statements, ComplianceSettings compliance, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(time);
        var changes = new List<MeasureChange>();
        await foreach (var entry in store.Audit.ReadAllAsync(cancellationToken))
        {
            if (IsMeasureChange(entry.Action))
            {
                using var details = JsonDocument.Parse(entry.DetailsJson);
                changes.Add(new MeasureChange(entry.Seq, entry.At, entry.Actor, entry.Action, entry.Subject, details.RootElement.Clone()));
            }
        }

        var banks = new List<BankInForce>();
        foreach (var bank in await store.Banks.ListAsync(cancellationToken))
        {
            banks.Add(new BankInForce(bank.Name, bank.Enabled, bank.AllowList, bank.Description, bank.CreatedAt, bank.UpdatedAt, await store.Banks.CountEntriesAsync(bank.Name, cancellationToken)));
        }

        return new MeasuresRecord(
            time.GetUtcNow(),
            policy.Version,
            policy.Categories,
            policy.Languages,
            [.. policy.Actions.Rules.Select(r => $"{r.Name}: {r.Action.ToWire()}{(r.Queue is null ? "" : $" (queue {r.Queue})")}")],
            changes,
            banks,
            statements,
            RetentionInForce.Of(compliance));
    }
}
