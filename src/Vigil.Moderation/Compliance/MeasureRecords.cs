using System.Text.Json;
using Vigil.Core;
using Vigil.Storage;

namespace Vigil.Moderation.Compliance;

/// <summary>A recorded change of a measure: when, by whom, what (an audit entry).</summary>
public sealed record MeasureChange(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement Details);

/// <summary>A hash bank in force: its settings and how many entries of each signal type it holds.</summary>
public sealed record BankInForce(string Name, bool Enabled, bool AllowList, string? Description, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyDictionary<string, long> Entries);

/// <summary>
/// The record of the measures in force (UK Online Safety Act 2023 s.23): the policy now in force with its thresholds and
/// action rules, every change of the policy and of the hash banks with when and by whom (from the audit chain), the banks
/// in force, and the statement-of-reasons settings. Retention settings are recorded by the retention workflow.
/// </summary>
public sealed record MeasuresRecord(
    DateTimeOffset GeneratedAt,
    string PolicyVersion,
    IReadOnlyDictionary<string, CategoryThresholds> Thresholds,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, CategoryThresholds>> LanguageThresholds,
    IReadOnlyList<string> ActionRules,
    IReadOnlyList<MeasureChange> Changes,
    IReadOnlyList<BankInForce> Banks,
    StatementSettings Statements)
{
    /// <summary>The audit actions that change a measure.</summary>
    public static bool IsMeasureChange(string action) => action.StartsWith("policy.", StringComparison.Ordinal) || action.StartsWith("bank.", StringComparison.Ordinal);

    public static async Task<MeasuresRecord> BuildAsync(IVigilStore store, Policy policy, StatementSettings statements, TimeProvider time, CancellationToken cancellationToken)
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
            statements);
    }
}
