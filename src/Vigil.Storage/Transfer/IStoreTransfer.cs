using Vigil.Core.Banks;
using Vigil.Storage.Audit;
using Vigil.Storage.Banks;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Transfer;

/// <summary>
/// Everything a store holds, as stored (ids, times, hashes), for copying a deployment to another store
/// (<c>vigil migrate</c>). Each stream runs in the order of the rows' ids (or keys) and sees committed data. The audit
/// log is read with <see cref="IAuditReader.ReadAllAsync"/>, hash banks with <see cref="IBankReader"/>.
/// </summary>
public interface IStoreExport
{
    /// <summary>How many rows of each kind the store holds.</summary>
    Task<StoreCounts> CountAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<ExportedContent> ContentAsync(CancellationToken cancellationToken);

    /// <summary>Every case (a lease that has expired reads as none).</summary>
    IAsyncEnumerable<ReviewCase> CasesAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<Decision> DecisionsAsync(CancellationToken cancellationToken);

    /// <summary>Every user, disabled ones too, by name, with their security state.</summary>
    IAsyncEnumerable<ExportedUser> UsersAsync(CancellationToken cancellationToken);

    /// <summary>Every sign-in session, ended and expired ones too.</summary>
    IAsyncEnumerable<UserSession> SessionsAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<ExportedExposure> ExposureAsync(CancellationToken cancellationToken);

    /// <summary>Every key, revoked ones too.</summary>
    IAsyncEnumerable<ExportedApiKey> ApiKeysAsync(CancellationToken cancellationToken);

    /// <summary>Every webhook, deleted ones too.</summary>
    IAsyncEnumerable<ExportedWebhook> WebhooksAsync(CancellationToken cancellationToken);

    /// <summary>Every delivery, delivered and dead ones too (leases are not exported: they belong to running dispatchers).</summary>
    IAsyncEnumerable<OutboxMessage> OutboxAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<ExportedPolicy> PoliciesAsync(CancellationToken cancellationToken);

    /// <summary>Every removal order with its targets, clock stops and document.</summary>
    IAsyncEnumerable<ExportedRemovalOrder> RemovalOrdersAsync(CancellationToken cancellationToken);

    /// <summary>Every preservation, purged ones too (by content id).</summary>
    IAsyncEnumerable<ExportedPreservation> PreservationsAsync(CancellationToken cancellationToken);

    /// <summary>Every preservation hold, released ones too.</summary>
    IAsyncEnumerable<PreservationHold> PreservationHoldsAsync(CancellationToken cancellationToken);

    /// <summary>Every statement of reasons, with its disclosure and submission.</summary>
    IAsyncEnumerable<StoredStatement> StatementsAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<Notice> NoticesAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<Complaint> ComplaintsAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Writes what <see cref="IStoreExport"/> read, keeping ids, times and hashes (inside a unit of work). Each call
/// inserts a row that is not there yet and returns true, or leaves one that is (same id, or same key: a user's name
/// regardless of case, a key's id, an exposure's user, day and case) and returns false, so that a copy can be run
/// again. Rows that refer to others come after them (cases after their content, outbox after its webhook; orders,
/// preservations, statements, notices and complaints after the content, cases and decisions they name). Ids the
/// store assigns afterwards follow the highest one imported. Banks are created with <see cref="IBankWriter.InsertAsync"/>.
/// </summary>
public interface IStoreImport
{
    /// <summary>An item with its parts; one that is there already is purged when the source's was (retention's deletions
    /// are not undone by a copy), and is otherwise left as it is.</summary>
    Task<bool> ContentAsync(ExportedContent content, CancellationToken cancellationToken);

    Task<bool> CaseAsync(ReviewCase reviewCase, CancellationToken cancellationToken);

    Task<bool> DecisionAsync(Decision decision, CancellationToken cancellationToken);

    Task<bool> UserAsync(ExportedUser user, CancellationToken cancellationToken);

    /// <summary>A session, by its id (it stays valid where the cookie keys are the source's); one that is there already
    /// is ended when the source's was (a sign-out is not undone by a copy), and is otherwise left as it is.</summary>
    Task<bool> SessionAsync(UserSession session, CancellationToken cancellationToken);

    Task<bool> ExposureAsync(ExportedExposure exposure, CancellationToken cancellationToken);

    Task<bool> ApiKeyAsync(ExportedApiKey key, CancellationToken cancellationToken);

    Task<bool> WebhookAsync(ExportedWebhook webhook, CancellationToken cancellationToken);

    Task<bool> OutboxAsync(OutboxMessage message, CancellationToken cancellationToken);

    Task<bool> PolicyAsync(ExportedPolicy policy, CancellationToken cancellationToken);

    /// <summary>An order with its targets and document (all or nothing, by the order's id).</summary>
    Task<bool> RemovalOrderAsync(ExportedRemovalOrder order, CancellationToken cancellationToken);

    /// <summary>A preservation, by its content id.</summary>
    Task<bool> PreservationAsync(ExportedPreservation preservation, CancellationToken cancellationToken);

    Task<bool> PreservationHoldAsync(PreservationHold hold, CancellationToken cancellationToken);

    /// <summary>A statement, by its id (or its PUID, which is never reused).</summary>
    Task<bool> StatementAsync(StoredStatement statement, CancellationToken cancellationToken);

    Task<bool> NoticeAsync(Notice notice, CancellationToken cancellationToken);

    Task<bool> ComplaintAsync(Complaint complaint, CancellationToken cancellationToken);

    /// <summary>Adds the entries a bank does not have yet (by signal type and value), each with its own time added;
    /// returns how many were added.</summary>
    /// <exception cref="HashBankException">No such bank.</exception>
    Task<long> BankEntriesAsync(string bank, IEnumerable<BankEntry> entries, CancellationToken cancellationToken);

    /// <summary>Appends the entry as it is (its sequence, time and hashes), after the chain's head, waiting for other
    /// appends as <see cref="IAuditWriter.AppendAsync"/> does.</summary>
    /// <exception cref="InvalidDataException">The entry does not continue the chain (its sequence or previous hash is
    /// not the head's next), or its hash is not its content's.</exception>
    Task AuditAsync(AuditEntry entry, CancellationToken cancellationToken);
}
