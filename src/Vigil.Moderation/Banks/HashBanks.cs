using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Signals;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Banks;

namespace Vigil.Moderation.Banks;

/// <summary>What a change to a bank's entries did.</summary>
/// <param name="Added">New entries.</param>
/// <param name="Updated">Entries that were there already (same signal type and value) and took the new labels and dates.</param>
/// <param name="Removed">Entries removed.</param>
public sealed record HashBankChange(long Added, long Updated, long Removed);

/// <summary>How a change to a bank's entries is audited.</summary>
/// <param name="Actor">Who: <c>user:NAME</c>, <c>key:ID</c> or <c>cli:USER</c>.</param>
/// <param name="Action">What, e.g. <c>bank.entries_added</c>, <c>bank.entries_removed</c>, <c>bank.imported</c>.</param>
/// <param name="Details">
/// Further details of the audit entry (e.g. the file imported, the rows refused), asked for once the entries have
/// been read, so that it may count what their enumeration skipped; <c>added</c>, <c>updated</c> and <c>removed</c> are
/// added.
/// </param>
public sealed record BankChangeAudit(string Actor, string Action, Func<IReadOnlyDictionary<string, object?>>? Details = null);

/// <summary>Thrown when creating a bank whose name is taken.</summary>
public sealed class BankExistsException(string message) : Exception(message);

/// <summary>
/// Hash banks and their entries, the same for the API and <c>vigil bank</c>: every change is validated against the
/// signal-type registry, written in one transaction and audited in it (subject <c>bank:NAME</c>), so that a change and its
/// audit entry commit together or not at all; then <see cref="Changed"/> is raised so that matchers rebuild.
/// </summary>
public sealed class HashBanks(IVigilStore store, SignalTypeRegistry types, TimeProvider time)
{
    /// <summary>The signal types entries may have.</summary>
    public SignalTypeRegistry SignalTypes => types;

    /// <summary>Raised after every committed change.</summary>
    public event Action? Changed;

    /// <summary>Creates a bank (its times are set here); audited as <c>bank.created</c> with its settings.</summary>
    /// <exception cref="ArgumentException">The bank's name or settings are not valid (<see cref="HashBank.Validate"/>).</exception>
    /// <exception cref="BankExistsException">A bank of that name exists (regardless of case).</exception>
    public async Task<HashBank> CreateAsync(HashBank bank, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bank);
        if (bank.Validate(types) is { } problem)
        {
            throw new ArgumentException(problem, nameof(bank));
        }

        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var created = bank with { CreatedAt = now, UpdatedAt = now };
        if (!await unit.Banks.InsertAsync(created, cancellationToken))
        {
            throw new BankExistsException($"A bank named '{bank.Name}' exists already.");
        }

        var details = new Dictionary<string, object?>
        {
            ["enabled"] = bank.Enabled,
            ["allow_list"] = bank.AllowList,
            ["settings"] = JsonNode.Parse(bank.Settings.ToJson()),
            ["on_match"] = bank.OnMatch?.ToWire(),
            ["description"] = bank.Description,
        };
        await unit.Audit.AppendAsync(new AuditRecord(actor, "bank.created", Subject(bank.Name), JsonSerializer.Serialize(details)), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return created;
    }

    /// <summary>
    /// Changes a bank's settings (enabled, allow-list, description, signal-type settings) as <paramref name="change"/> says;
    /// audited as <c>bank.updated</c> with each changed setting's old and new value. Settings equal to the stored ones
    /// change (and audit) nothing.
    /// </summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    /// <exception cref="ArgumentException">The changed bank is not valid.</exception>
    public async Task<HashBank> UpdateAsync(string name, Func<HashBank, HashBank> change, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var unit = await store.BeginAsync(cancellationToken);
        var current = await unit.Banks.GetForUpdateAsync(name, cancellationToken) ?? throw NoSuchBank(name);
        var next = change(current) with { Name = current.Name, CreatedAt = current.CreatedAt, UpdatedAt = current.UpdatedAt };
        if (next.Validate(types) is { } problem)
        {
            throw new ArgumentException(problem, nameof(change));
        }

        var changes = Changes(current, next);
        if (changes.Count == 0)
        {
            return current;
        }

        var now = time.GetUtcNow();
        next = next with { UpdatedAt = now };
        await unit.Banks.UpdateAsync(next, cancellationToken);
        await unit.Audit.AppendAsync(new AuditRecord(actor, "bank.updated", Subject(current.Name), JsonSerializer.Serialize(changes)), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return next;
    }

    /// <summary>Deletes a bank and its entries (audited as <c>bank.deleted</c>); false when there was none.</summary>
    public async Task<bool> DeleteAsync(string name, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var current = await unit.Banks.GetForUpdateAsync(name, cancellationToken);
        if (current is null || await unit.Banks.DeleteAsync(current.Name, cancellationToken) is not { } entries)
        {
            return false;
        }

        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["entries"] = entries });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "bank.deleted", Subject(current.Name), details), time.GetUtcNow(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return true;
    }

    /// <summary>
    /// Adds entries (or updates those with the same signal type and value), then removes the entries with the
    /// <paramref name="removals"/> keys, in one transaction with its audit entry. <paramref name="removals"/> is
    /// enumerated after <paramref name="entries"/>, so it may be filled while they are read (as an import's deletion
    /// records are). A call that writes nothing audits nothing.
    /// </summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    /// <exception cref="ArgumentException">An entry is not valid (<see cref="BankEntry.Validate"/>); nothing is written.</exception>
    public async Task<HashBankChange> ChangeEntriesAsync(
        string bank, IEnumerable<BankEntry> entries, IEnumerable<BankEntryKey> removals, BankChangeAudit audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(removals);
        ArgumentNullException.ThrowIfNull(audit);
        await using var unit = await store.BeginAsync(cancellationToken);
        var current = await unit.Banks.GetForUpdateAsync(bank, cancellationToken) ?? throw NoSuchBank(bank);
        var now = time.GetUtcNow();
        var (added, updated) = await unit.Banks.UpsertEntriesAsync(current.Name, Checked(entries), now, cancellationToken);
        long removed = await unit.Banks.RemoveEntriesAsync(current.Name, removals, cancellationToken);
        var change = new HashBankChange(added, updated, removed);
        if (added + updated + removed == 0)
        {
            return change;
        }

        await unit.Banks.UpdateAsync(current with { UpdatedAt = now }, cancellationToken);
        var details = new Dictionary<string, object?> { ["added"] = added, ["updated"] = updated, ["removed"] = removed };
        foreach (var (key, value) in audit.Details?.Invoke() ?? new Dictionary<string, object?>())
        {
            details.TryAdd(key, value);
        }

        await unit.Audit.AppendAsync(new AuditRecord(audit.Actor, audit.Action, Subject(current.Name), JsonSerializer.Serialize(details)), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return change;
    }

    /// <summary>Adds entries (or updates those with the same signal type and value); audited as <c>bank.entries_added</c>.</summary>
    public Task<HashBankChange> UpsertEntriesAsync(string bank, IEnumerable<BankEntry> entries, string actor, CancellationToken cancellationToken) =>
        ChangeEntriesAsync(bank, entries, [], new BankChangeAudit(actor, "bank.entries_added"), cancellationToken);

    /// <summary>Removes the entries with these keys; audited as <c>bank.entries_removed</c> (when one was there).</summary>
    public Task<HashBankChange> RemoveEntriesAsync(string bank, IEnumerable<BankEntryKey> keys, string actor, CancellationToken cancellationToken) =>
        ChangeEntriesAsync(bank, [], keys, new BankChangeAudit(actor, "bank.entries_removed"), cancellationToken);

    /// <summary>
    /// A matcher over the enabled banks, plus <paramref name="alsoBank"/> even when it is disabled (null: none).
    /// </summary>
    /// <exception cref="HashBankException"><paramref name="alsoBank"/> does not exist.</exception>
    public async Task<BankMatcher> LoadMatcherAsync(string? alsoBank, CancellationToken cancellationToken)
    {
        var banks = await store.Banks.ListAsync(cancellationToken);
        if (alsoBank is not null && !banks.Any(b => string.Equals(b.Name, alsoBank, StringComparison.OrdinalIgnoreCase)))
        {
            throw NoSuchBank(alsoBank);
        }

        var builder = new BankMatcher.Builder(types);
        foreach (var bank in banks)
        {
            bool requested = string.Equals(bank.Name, alsoBank, StringComparison.OrdinalIgnoreCase);
            if (builder.AddBank(bank, evenIfDisabled: requested))
            {
                await foreach (var entry in store.Banks.GetEntriesAsync(bank.Name, cancellationToken))
                {
                    builder.Add(bank.Name, entry);
                }
            }
        }

        return builder.Build();
    }

    private IEnumerable<BankEntry> Checked(IEnumerable<BankEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Validate(types) is { } problem)
            {
                throw new ArgumentException($"Entry {entry.SignalType} {entry.Value}: {problem}", nameof(entries));
            }

            yield return entry;
        }
    }

    /// <summary>The settings that differ, each as <c>{"from": old, "to": new}</c> (signal-type settings by type).</summary>
    private static Dictionary<string, object?> Changes(HashBank current, HashBank next)
    {
        var changes = new Dictionary<string, object?>();
        void Compare<T>(string name, T from, T to)
        {
            if (!EqualityComparer<T>.Default.Equals(from, to))
            {
                changes[name] = new Dictionary<string, object?> { ["from"] = from, ["to"] = to };
            }
        }

        Compare("enabled", current.Enabled, next.Enabled);
        Compare("allow_list", current.AllowList, next.AllowList);
        Compare("on_match", current.OnMatch?.ToWire(), next.OnMatch?.ToWire());
        foreach (var type in current.Settings.Types.Union(next.Settings.Types).Order(StringComparer.Ordinal))
        {
            var from = current.Settings.For(type);
            var to = next.Settings.For(type);
            if (from?.ToJsonString() != to?.ToJsonString())
            {
                changes[$"settings.{type}"] = new Dictionary<string, object?> { ["from"] = from, ["to"] = to };
            }
        }

        Compare("description", current.Description, next.Description);
        return changes;
    }

    private static string Subject(string bank) => $"bank:{bank}";

    private static HashBankException NoSuchBank(string name) => new($"There is no bank named '{name}'.");
}
