using Vigil.Storage;
using Vigil.Storage.Audit;

namespace Vigil.Moderation.Audit;

/// <summary>The audit log outside other use cases: events that change nothing else (sign-ins), and verifying the chain.</summary>
public sealed class AuditTrail(IVigilStore store, TimeProvider time)
{
    /// <summary>Appends one entry, now.</summary>
    public async Task<AuditEntry> RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var entry = await unit.Audit.AppendAsync(record, time.GetUtcNow(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>Reads the whole log in order and checks every link (<see cref="AuditChain.Verify"/>).</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) =>
        AuditChain.VerifyAsync(store.Audit.ReadAllAsync(cancellationToken), cancellationToken);
}
