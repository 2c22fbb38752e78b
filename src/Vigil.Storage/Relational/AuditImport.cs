using Vigil.Storage.Audit;

namespace Vigil.Storage.Relational;

/// <summary>What an imported audit entry must be: the next link after the chain's head, with the hash of its content.</summary>
internal static class AuditImport
{
    /// <exception cref="InvalidDataException">It is not.</exception>
    public static void CheckContinues(long headSeq, string headHash, AuditEntry entry)
    {
        if (entry.Seq != headSeq + 1 || !string.Equals(entry.PrevHash, headHash, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"Audit entry {entry.Seq} (previous hash {entry.PrevHash}) does not continue this audit log, whose head is entry {headSeq} (hash {headHash}).");
        }

        string hash = AuditChain.Hash(entry.Seq, entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Action, entry.Subject, entry.DetailsJson, entry.PrevHash);
        if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Audit entry {entry.Seq} was changed: its content hashes to {hash}, not {entry.Hash}.");
        }
    }
}
