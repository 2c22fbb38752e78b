namespace Vigil.Storage.Compliance;

/// <summary>Reads removal orders, preservations and what retention has deleted.</summary>
public interface IComplianceReader
{
    Task<RemovalOrder?> GetOrderAsync(long id, CancellationToken cancellationToken);

    /// <summary>Orders, newest received first; only those not executed yet when <paramref name="openOnly"/>.</summary>
    Task<IReadOnlyList<RemovalOrder>> ListOrdersAsync(bool openOnly, int limit, CancellationToken cancellationToken);

    /// <summary>Orders received in [<paramref name="since"/>, <paramref name="until"/>), oldest received first (for the
    /// transparency reports).</summary>
    Task<IReadOnlyList<RemovalOrder>> ListOrdersReceivedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>The order one of whose targets opened the case <paramref name="caseId"/>, or null.</summary>
    Task<RemovalOrder?> GetOrderByCaseAsync(long caseId, CancellationToken cancellationToken);

    /// <summary>How many orders were received at or after <paramref name="since"/>.</summary>
    Task<int> CountOrdersReceivedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The order document's description and bytes, or null.</summary>
    Task<(OrderDocument Document, byte[] Bytes)?> GetOrderDocumentAsync(long orderId, CancellationToken cancellationToken);

    Task<Preservation?> GetPreservationAsync(long contentId, CancellationToken cancellationToken);

    /// <summary>Preservations, earliest end first; only those whose content is not purged yet when <paramref name="unpurgedOnly"/>.</summary>
    Task<IReadOnlyList<Preservation>> ListPreservationsAsync(bool unpurgedOnly, int limit, CancellationToken cancellationToken);

    /// <summary>Items received before <paramref name="receivedBefore"/>, not purged, that no preservation covers, oldest first.</summary>
    Task<IReadOnlyList<RetentionCandidate>> ListRetentionCandidatesAsync(DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken);

    /// <summary>The newest stored item whose platform content id or URL is <paramref name="location"/>, or null.</summary>
    Task<long?> FindContentAsync(string location, CancellationToken cancellationToken);

    /// <summary>When the item's text and bytes were deleted, or null.</summary>
    Task<DateTimeOffset?> GetPurgedAtAsync(long contentId, CancellationToken cancellationToken);
}

/// <summary>Writes removal orders and preservations (inside a unit of work).</summary>
public interface IComplianceWriter : IComplianceReader
{
    /// <summary>Stores the order with its targets and document; the store assigns the id.</summary>
    Task<RemovalOrder> InsertOrderAsync(NewRemovalOrder order, CancellationToken cancellationToken);

    /// <summary>The order, locked against other units of work until this one ends (null when there is none).</summary>
    Task<RemovalOrder?> GetOrderForUpdateAsync(long id, CancellationToken cancellationToken);

    /// <summary>Writes an order's new state; returns it as read back.</summary>
    Task<RemovalOrder> UpdateOrderAsync(RemovalOrderUpdate update, CancellationToken cancellationToken);

    /// <summary>Starts preserving removed content; false (nothing changed) when it is preserved already.</summary>
    Task<bool> InsertPreservationAsync(NewPreservation preservation, CancellationToken cancellationToken);

    /// <summary>Adds a hold; the store assigns the id.</summary>
    Task<PreservationHold> InsertHoldAsync(PreservationHold hold, CancellationToken cancellationToken);

    /// <summary>Writes a hold's end and release (every field of <paramref name="hold"/> but its content and creation).</summary>
    Task<bool> UpdateHoldAsync(PreservationHold hold, CancellationToken cancellationToken);

    /// <summary>Deletes the item's text, metadata and part bytes (hashes, result, decisions and audit stay) and notes when;
    /// false (nothing changed) when it was purged already or there is no such item.</summary>
    Task<bool> PurgeContentAsync(long contentId, DateTimeOffset at, CancellationToken cancellationToken);
}
