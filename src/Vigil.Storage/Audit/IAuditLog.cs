namespace Vigil.Storage.Audit;

/// <summary>The append-only, hash-chained audit log.</summary>
public interface IAuditLog
{
    Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>The most recent entries first, before <paramref name="beforeSeq"/> when given.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(int limit, long? beforeSeq, CancellationToken cancellationToken);

    /// <summary>Reads the whole log in order and checks every link (<see cref="AuditChain.Verify"/>).</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken);
}
