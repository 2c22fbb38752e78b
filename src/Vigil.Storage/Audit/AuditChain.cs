using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Vigil.Storage.Audit;

/// <summary>
/// How audit entries are chained: an entry's hash is SHA-256 over its sequence number, time (Unix ms), actor,
/// action, subject, details and the previous entry's hash, each field length-prefixed so that no two different
/// entries serialise alike. Changing, inserting or removing an entry changes every later link.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Hash(long seq, long atMs, string actor, string action, string subject, string details, string prevHash)
    {
        using var buffer = new MemoryStream();
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, seq);
        buffer.Write(number);
        BinaryPrimitives.WriteInt64BigEndian(number, atMs);
        buffer.Write(number);
        foreach (var field in new[] { actor, action, subject, details, prevHash })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt64BigEndian(number, bytes.Length);
            buffer.Write(number);
            buffer.Write(bytes);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>Checks entries in order; reports the first whose sequence, previous hash or own hash is wrong.</summary>
    public static AuditVerification Verify(IEnumerable<AuditEntry> entries)
    {
        string previous = Genesis;
        long expectedSeq = 1;
        long count = 0;
        foreach (var entry in entries)
        {
            if (entry.Seq != expectedSeq)
            {
                return new AuditVerification(count, previous, entry.Seq, $"entry {entry.Seq} follows entry {expectedSeq - 1}: entries are missing");
            }

            if (!string.Equals(entry.PrevHash, previous, StringComparison.Ordinal))
            {
                return new AuditVerification(count, previous, entry.Seq, $"entry {entry.Seq} names previous hash {entry.PrevHash}, but the previous entry's hash is {previous}");
            }

            string hash = Hash(entry.Seq, entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Action, entry.Subject, entry.DetailsJson, entry.PrevHash);
            if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(count, previous, entry.Seq, $"entry {entry.Seq} was changed: its content hashes to {hash}, not the stored {entry.Hash}");
            }

            previous = entry.Hash;
            expectedSeq++;
            count++;
        }

        return new AuditVerification(count, previous, null, null);
    }
}
