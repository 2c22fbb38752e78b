namespace Vigil.Storage.Audit;

/// <summary>What to write to the audit log: who did what to which thing, with details as a JSON object.</summary>
/// <param name="Actor">Who: <c>user:NAME</c>, <c>key:ID</c>, <c>system</c> or <c>cli</c>.</param>
/// <param name="Action">What, e.g. <c>case.decided</c>, <c>signin.succeeded</c>, <c>key.created</c>.</param>
/// <param name="Subject">Which thing, e.g. <c>case:12</c>.</param>
/// <param name="DetailsJson">A JSON object with the specifics.</param>
public sealed record AuditRecord(string Actor, string Action, string Subject, string DetailsJson = "{}");

/// <summary>One entry of the chained audit log.</summary>
/// <param name="Seq">Position in the log, from 1, without gaps.</param>
/// <param name="PrevHash">The previous entry's hash (<see cref="AuditChain.Genesis"/> for the first).</param>
/// <param name="Hash">SHA-256 (hex) of this entry's fields and <paramref name="PrevHash"/> (<see cref="AuditChain.Hash"/>).</param>
public sealed record AuditEntry(
    long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string DetailsJson, string PrevHash, string Hash);

/// <summary>The result of checking the chain: either every link holds, or the first one that does not.</summary>
public sealed record AuditVerification(long Entries, string HeadHash, long? BrokenAt, string? Problem)
{
    public bool Ok => BrokenAt is null;
}
