using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Policies;

namespace Vigil.Moderation.Policies;

/// <summary>The policies the service has run with: at start-up the policy in force is recorded, and a change of the
/// policy file (by its SHA-256) is stored and audited (<c>policy.changed</c>).</summary>
public sealed class PolicyHistory(IVigilStore store, TimeProvider time)
{
    /// <summary>Records the policy in force (JSON as loaded). Returns whether it changed, and the previous one (null for
    /// the first); an unchanged policy writes nothing.</summary>
    public async Task<(bool Changed, PolicyRecord? Previous)> RecordAsync(string version, string json, string actor, CancellationToken cancellationToken)
    {
        string sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        await using var unit = await store.BeginAsync(cancellationToken);
        var previous = await unit.Policies.CurrentAsync(cancellationToken);
        if (previous is not null && previous.Sha256 == sha)
        {
            return (false, previous);
        }

        var now = time.GetUtcNow();
        await unit.Policies.InsertAsync(new PolicyRecord(version, sha, now), json, cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["version"] = version,
            ["sha256"] = sha,
            ["previous_version"] = previous?.Version,
            ["previous_sha256"] = previous?.Sha256,
        });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "policy.changed", $"policy:{version}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (true, previous);
    }
}
