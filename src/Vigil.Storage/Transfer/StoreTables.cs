namespace Vigil.Storage.Transfer;

/// <summary>
/// Every table of the SQL backends and what a copy (<see cref="IStoreExport"/>, <see cref="IStoreImport"/>,
/// <c>vigil migrate</c>) does with it: either it is copied, and counted under a name of <see cref="StoreCounts.All"/>,
/// or it is not, for the reason given. A test lists the tables of a database migrated to the latest schema and fails
/// on any table that is in neither list, so that a new table is not forgotten by the copy.
/// </summary>
public static class StoreTables
{
    /// <summary>The tables copied, each with the count (<see cref="StoreCounts.All"/>) that verifies it.</summary>
    public static IReadOnlyDictionary<string, string> Copied { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["content_items"] = "content",
        ["content_parts"] = "content parts",
        ["cases"] = "cases",
        ["decisions"] = "decisions",
        ["users"] = "users",
        ["user_sessions"] = "sessions",
        ["reviewer_exposure"] = "exposure",
        ["api_keys"] = "api keys",
        ["webhooks"] = "webhooks",
        ["webhook_outbox"] = "outbox",
        ["policies"] = "policies",
        ["hash_banks"] = "banks",
        ["hash_bank_entries"] = "bank entries",
        ["audit_log"] = "audit",
        ["removal_orders"] = "removal orders",
        ["removal_order_targets"] = "order targets",
        ["removal_order_documents"] = "order documents",
        ["preservations"] = "preservations",
        ["preservation_holds"] = "preservation holds",
        ["statements_of_reasons"] = "statements",
        ["notices"] = "notices",
        ["complaints"] = "complaints",
    };

    /// <summary>The tables not copied, each with why.</summary>
    public static IReadOnlyDictionary<string, string> NotCopied { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["meta"] = "the database's own settings (when it was created): the target has its own",
        ["schema_migrations"] = "the migrations applied to the database: the target applies its own at start-up",
    };

    /// <summary>Columns of copied tables whose values the target does not take as they are, each with why.</summary>
    public static IReadOnlyDictionary<string, string> ColumnsNotKept { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["cases.claimed_by"] = "a claim is copied while its lease lasts; an expired one as none (as the source reads it)",
        ["cases.lease_expires_at"] = "a claim is copied while its lease lasts; an expired one as none (as the source reads it)",
        ["webhook_outbox.leased_by"] = "leases belong to the dispatchers running on the source",
        ["webhook_outbox.lease_expires_at"] = "leases belong to the dispatchers running on the source",
        ["hash_banks.id"] = "the target numbers banks itself (a bank is known by its name)",
        ["hash_bank_entries.id"] = "the target numbers entries itself (an entry is known by its bank, signal type and value)",
        ["hash_bank_entries.bank_id"] = "the target's number of the same bank",
    };
}
