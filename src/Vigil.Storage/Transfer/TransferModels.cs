using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Transfer;

/// <summary>A content item as stored, with its parts' bytes.</summary>
public sealed record ExportedContent(ContentItem Item, IReadOnlyList<NewPart> Parts);

/// <summary>A reviewer account with its password hash and when it was disabled.</summary>
public sealed record ExportedUser(User User, string PasswordHash, DateTimeOffset? DisabledAt);

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
    long Audit)
{
    /// <summary>Each count with its name, in the order of the record (for reports).</summary>
    public IReadOnlyList<(string Name, long Count)> All =>
    [
        ("content", Content), ("content parts", ContentParts), ("cases", Cases), ("decisions", Decisions), ("users", Users),
        ("exposure", Exposure), ("api keys", ApiKeys), ("webhooks", Webhooks), ("outbox", Outbox), ("policies", Policies),
        ("banks", Banks), ("bank entries", BankEntries), ("audit", Audit),
    ];
}
