using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;

namespace Vigil.Storage.Users;

/// <summary>
/// Keys look like <c>vgl_ID_SECRET</c>: a 12-hex-digit id (shown in lists and the audit log) and 32 random bytes
/// (base64url). Only the SHA-256 of the whole key is stored; a 256-bit secret needs no slow hash.
/// </summary>
internal sealed class SqliteApiKeyStore(SqliteSession session) : IApiKeyStore
{
    public const string Prefix = "vgl_";
    private const string Columns = "id, name, scopes, key_hash, created_by, created_at, revoked_at";

    public Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiScopes scopes, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            string secret = $"{Prefix}{id}_{Base64Url(RandomNumberGenerator.GetBytes(32))}";
            await connection.ExecuteAsync(
                "INSERT INTO api_keys (id, name, scopes, key_hash, created_by, created_at) VALUES (@id, @name, @scopes, @hash, @actor, @now);",
                new { id, name, scopes = string.Join(',', scopes.ToWire()), hash = HashOf(secret), actor, now },
                transaction);
            string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["name"] = name, ["scopes"] = scopes.ToWire() });
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "key.created", $"key:{id}", details), now);
            return (new ApiKey(id, name, scopes, actor, SqliteSession.FromMs(now), null), secret);
        }, cancellationToken);

    public async Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken)
    {
        if (!presented.StartsWith(Prefix, StringComparison.Ordinal) || presented.Length > 128)
        {
            return null;
        }

        int end = presented.IndexOf('_', Prefix.Length);
        if (end < 0)
        {
            return null;
        }

        string id = presented[Prefix.Length..end];
        var row = await session.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<Row?>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE id = @id AND revoked_at IS NULL;", new { id }, cancellationToken: cancellationToken)), cancellationToken);
        if (row is null)
        {
            return null;
        }

        bool match = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(HashOf(presented)), Encoding.ASCII.GetBytes(row.KeyHash));
        return match ? row.ToKey() : null;
    }

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<ApiKey>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM api_keys ORDER BY created_at, id;", cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToKey())];
        }, cancellationToken);

    public Task<bool> RevokeAsync(string id, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            int changed = await connection.ExecuteAsync(
                "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL;", new { id, now }, transaction);
            if (changed == 0)
            {
                return false;
            }

            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "key.revoked", $"key:{id}"), now);
            return true;
        }, cancellationToken);

    private static string HashOf(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public string Name { get; set; } = "";

        public string Scopes { get; set; } = "";

        public string KeyHash { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long CreatedAt { get; set; }

        public long? RevokedAt { get; set; }

        public ApiKey ToKey()
        {
            _ = ApiScopeNames.TryParse(Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries), out var scopes);
            return new ApiKey(Id, Name, scopes, CreatedBy, SqliteSession.FromMs(CreatedAt), SqliteSession.FromMs(RevokedAt));
        }
    }
}
