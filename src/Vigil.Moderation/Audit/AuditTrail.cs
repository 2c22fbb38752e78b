using System.Globalization;
using Vigil.Storage;
using Vigil.Storage.Audit;

namespace Vigil.Moderation.Audit;

/// <summary>
/// A point of the audit chain kept outside the database (<c>vigil audit anchor</c>): the sequence number and hash of the
/// entry that was its head. The chain itself cannot show that entries were cut from its end (what is left still links
/// up), nor that it was rewritten from scratch by someone who can write the database; an anchor stored elsewhere can.
/// Written <c>SEQ:HASH</c>.
/// </summary>
public sealed record AuditAnchor(long Seq, string Hash)
{
    public override string ToString() => $"{Seq.ToString(CultureInfo.InvariantCulture)}:{Hash}";

    /// <summary>Reads <c>SEQ:HASH</c> (a whole number and 64 hex digits).</summary>
    public static bool TryParse(string? text, out AuditAnchor anchor)
    {
        anchor = new AuditAnchor(0, AuditChain.Genesis);
        int colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon < 1 || !long.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out long seq))
        {
            return false;
        }

        string hash = text![(colon + 1)..].Trim().ToLowerInvariant();
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        anchor = new AuditAnchor(seq, hash);
        return true;
    }
}

/// <summary>The result of checking the chain against an anchor: the chain's own check, and what the anchor says.</summary>
/// <param name="AnchorProblem">Why the log does not hold the anchored entry as it was (cut or rewritten), or null.</param>
public sealed record AnchoredVerification(AuditVerification Chain, string? AnchorProblem)
{
    public bool Ok => Chain.Ok && AnchorProblem is null;
}

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

    /// <summary>The chain's head as an anchor to keep elsewhere (<c>0:</c> and the genesis hash for an empty log).</summary>
    public async Task<AuditAnchor> AnchorAsync(CancellationToken cancellationToken) =>
        (await store.Audit.ListAsync(1, null, cancellationToken)) is [var head] ? new AuditAnchor(head.Seq, head.Hash) : new AuditAnchor(0, AuditChain.Genesis);

    /// <summary>Checks every link, then that the anchored entry is still there with the anchored hash: a log that ends
    /// before it was cut, and one whose entry differs was rewritten.</summary>
    public async Task<AnchoredVerification> VerifyAsync(AuditAnchor anchor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        var chain = await VerifyAsync(cancellationToken);
        if (anchor.Seq == 0)
        {
            return new AnchoredVerification(chain, null);
        }

        var entry = await store.Audit.ListAsync(1, anchor.Seq + 1, cancellationToken) is [var found] ? found : null;
        string? problem = null;
        if (entry is null || entry.Seq != anchor.Seq)
        {
            long end = entry?.Seq ?? 0;
            problem = $"the log ends at entry {end}, but the anchor was taken at entry {anchor.Seq}: entries {end + 1}-{anchor.Seq} (and any after them) were cut from its end";
        }
        else if (!string.Equals(entry.Hash, anchor.Hash, StringComparison.Ordinal))
        {
            problem = $"entry {anchor.Seq} has the hash {entry.Hash}, not the anchored {anchor.Hash}: the log was rewritten";
        }

        return new AnchoredVerification(chain, problem);
    }
}
