namespace Vigil.Storage.Audit;

/// <summary>Reads the append-only, hash-chained audit log.</summary>
public interface IAuditReader
{
    /// <summary>The most recent entries first, before <paramref name="beforeSeq"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeSeq, CancellationToken cancellationToken);

    /// <summary>Every entry in order, streamed (for <see cref="AuditChain.Verify"/>).</summary>
    IAsyncEnumerable<AuditEntry> ReadAllAsync(CancellationToken cancellationToken);
}

/// <summary>Appends to the audit log (inside a unit of work, so that an entry commits with the change it records).</summary>
public interface IAuditWriter
{
    /// <summary>Appends the record as the chain's next entry (<see cref="AuditChain.Hash"/> over it and the head's hash),
    /// at <paramref name="at"/>. Concurrent appends from other units of work wait, so the chain stays one line.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record, DateTimeOffset at, CancellationToken cancellationToken);
}
