using Vigil.Storage.Compliance;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Transfer;

/// <summary>A content item as stored, with its parts' bytes and when retention purged it.</summary>
/// <param name="Parts">The parts with their bytes (empty once purged: <see cref="ContentItem.Parts"/> still says what
/// each part was, its length among it).</param>
/// <param name="PurgedAt">When its text, metadata and part bytes were deleted (then there are none to copy), or null.</param>
public sealed record ExportedContent(ContentItem Item, IReadOnlyList<NewPart> Parts, DateTimeOffset? PurgedAt = null);

/// <summary>A reviewer account with its password hash, when it was disabled, and its security state as stored (the
/// sealed TOTP secret stays sealed, recovery codes stay hashed).</summary>
public sealed record ExportedUser(User User, string PasswordHash, DateTimeOffset? DisabledAt, UserSecurity Security);

/// <summary>A removal order as stored (targets, clock stops and warnings among it), with its document's bytes (empty
/// when it has no document).</summary>
public sealed record ExportedRemovalOrder(RemovalOrder Order, ReadOnlyMemory<byte> DocumentBytes);

/// <summary>That removed content is preserved (TCO Art 6), and when retention purged it.</summary>
public sealed record ExportedPreservation(NewPreservation Preservation, DateTimeOffset? PurgedAt);

/// <summary>That a reviewer saw a case on a day.</summary>
public sealed record ExportedExposure(string Username, DateOnly Day, long CaseId, DateTimeOffset SeenAt);

/// <summary>An API key (live or revoked) with the hash of its secret.</summary>
public sealed record ExportedApiKey(ApiKey Key, string SecretHash);

/// <summary>A webhook subscription, with when it was deleted (its deliveries stay in the outbox).</summary>
public sealed record ExportedWebhook(Webhook Webhook, DateTimeOffset? DeletedAt);

/// <summary>A policy the service ran with, in the order they were recorded (<paramref name="Id"/>), with its JSON.</summary>
public sealed record ExportedPolicy(long Id, PolicyRecord Policy, string Json);

/// <summary>How many rows a store holds, per kind.</summary>
public sealed record StoreCounts(
    long Content,
    long ContentParts,
    long Cases,
    long Decisions,
    long Users,
    long Exposure,
    long ApiKeys,
    long Webhooks,
    long Outbox,
    long Policies,
    long Banks,
    long BankEntries,
    long Audit,
    long PurgedContent,
    long RemovalOrders,
    long OrderTargets,
    long OrderDocuments,
    long Preservations,
    long PreservationHolds,
    long Statements,
    long Notices,
    long Complaints,
    long Sessions)
{
    /// <summary>Each count with its name, in the order of the record (for reports).</summary>
    public IReadOnlyList<(string Name, long Count)> All =>
    [
        ("content", Content), ("content parts", ContentParts), ("cases", Cases), ("decisions", Decisions), ("users", Users),
        ("exposure", Exposure), ("api keys", ApiKeys), ("webhooks", Webhooks), ("outbox", Outbox), ("policies", Policies),
        ("banks", Banks), ("bank entries", BankEntries), ("audit", Audit), ("purged content", PurgedContent),
        ("removal orders", RemovalOrders), ("order targets", OrderTargets), ("order documents", OrderDocuments),
        ("preservations", Preservations), ("preservation holds", PreservationHolds), ("statements", Statements),
        ("notices", Notices), ("complaints", Complaints), ("sessions", Sessions),
    ];
}
