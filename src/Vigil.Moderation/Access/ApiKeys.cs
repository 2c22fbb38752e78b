using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>
/// API keys. A key looks like <c>vgl_ID_SECRET</c>: a 12-hex-digit id (shown in lists and the audit log) and 32 random
/// bytes (base64url). Only the SHA-256 of the whole key is stored; a 256-bit secret needs no slow hash. Creating and
/// revoking are audited (<c>key.created</c>, <c>key.revoked</c>).
/// </summary>
public sealed class ApiKeys(IVigilStore store, TimeProvider time)
{
    public const string Prefix = "vgl_";

    /// <summary>Creates a key; the returned secret is the only copy.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiScopes scopes, string actor, CancellationToken cancellationToken)
    {
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        string secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var key = new ApiKey(id, name, scopes, actor, now, null);
        await unit.ApiKeys.InsertAsync(key, HashOf(secret), cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["name"] = name, ["scopes"] = scopes.ToWire() });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "key.created", $"key:{id}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (key, secret);
    }

    /// <summary>The live key the presented secret belongs to, or null (compared in fixed time).</summary>
    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 128)
        {
            return null;
        }

        int end = presented.IndexOf('_', Prefix.Length);
        if (end < 0 || await store.ApiKeys.GetLiveAsync(presented[Prefix.Length..end], cancellationToken) is not { } live)
        {
            return null;
        }

        bool match = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(live.SecretHash));
        return match ? live.Key : null;
    }

    /// <summary>Revokes a live key; false when there is none.</summary>
    public async Task<bool> RevokeAsync(string id, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!await unit.ApiKeys.RevokeAsync(id, now, cancellationToken))
        {
            return false;
        }

        await unit.Audit.AppendAsync(new AuditRecord(actor, "key.revoked", $"key:{id}"), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
