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
        ArgumentNullException.ThrowIfNull(entries);
        var check = new Checker();
        foreach (var entry in entries)
        {
            if (check.Next(entry) is { } broken)
            {
                return broken;
            }
        }

        return check.Result;
    }

    /// <summary><see cref="Verify(IEnumerable{AuditEntry})"/> over a stream, holding one entry at a time.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var check = new Checker();
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            if (check.Next(entry) is { } broken)
            {
                return broken;
            }
        }

        return check.Result;
    }

    private sealed class Checker
    {
        private string _previous = Genesis;
        private long _expectedSeq = 1;
        private long _count;

        public AuditVerification Result => new(_count, _previous, null, null);

        public AuditVerification? Next(AuditEntry entry)
        {
            if (entry.Seq != _expectedSeq)
            {
                return new AuditVerification(_count, _previous, entry.Seq, $"entry {entry.Seq} follows entry {_expectedSeq - 1}: entries are missing");
            }

            if (!string.Equals(entry.PrevHash, _previous, StringComparison.Ordinal))
            {
                return new AuditVerification(_count, _previous, entry.Seq, $"entry {entry.Seq} names previous hash {entry.PrevHash}, but the previous entry's hash is {_previous}");
            }

            string hash = Hash(entry.Seq, entry.At.ToUnixTimeMilliseconds(), entry.Actor, entry.Action, entry.Subject, entry.DetailsJson, entry.PrevHash);
            if (!string.Equals(hash, entry.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(_count, _previous, entry.Seq, $"entry {entry.Seq} was changed: its content hashes to {hash}, not the stored {entry.Hash}");
            }

            _previous = entry.Hash;
            _expectedSeq++;
            _count++;
            return null;
        }
    }
}
