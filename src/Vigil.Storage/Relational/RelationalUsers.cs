using System.Data.Common;
using System.Globalization;
using Dapper;
using Vigil.Storage.Users;

namespace Vigil.Storage.Relational;

/// <summary>Reviewer accounts (<c>users</c>) and their exposure (<c>reviewer_exposure</c>).</summary>
internal sealed class RelationalUsers(RelationalScope scope) : IUserWriter
{
    private const string Columns = UserRow.Columns;

    public Task<bool> InsertAsync(User user, string passwordHash, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (@Username, @DisplayName, @role, @passwordHash, @at)
            ON CONFLICT DO NOTHING;
            """,
            new { user.Username, user.DisplayName, role = user.Role.ToWire(), passwordHash, at = UnixMs.Of(user.CreatedAt) },
            transaction,
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public async Task<User?> GetAsync(string username, CancellationToken cancellationToken) =>
        (await GetRowAsync(username, cancellationToken))?.ToUser();

    public async Task<(User User, string PasswordHash)?> GetCredentialsAsync(string username, CancellationToken cancellationToken) =>
        await GetRowAsync(username, cancellationToken) is { DisabledAt: null } row ? (row.ToUser(), row.PasswordHash) : null;

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<User>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<UserRow>(new CommandDefinition($"SELECT {Columns} FROM users ORDER BY {scope.Dialect.ByName("username")};", transaction: transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToUser())];
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM users;", transaction: transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<int> RecordExposureAsync(string username, DateOnly day, long caseId, DateTimeOffset seenAt, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            string d = Day(day);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO reviewer_exposure (username, day, case_id, seen_at) VALUES (@username, @d, @caseId, @at) ON CONFLICT DO NOTHING;",
                new { username, d, caseId, at = UnixMs.Of(seenAt) },
                transaction,
                cancellationToken: cancellationToken));
            return await CountAsync(connection, transaction, username, d, cancellationToken);
        }, cancellationToken);

    public Task<int> CountExposureAsync(string username, DateOnly day, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => CountAsync(connection, transaction, username, Day(day), cancellationToken), cancellationToken);

    private Task<int> CountAsync(DbConnection connection, DbTransaction? transaction, string username, string day, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT count(*) FROM reviewer_exposure WHERE {scope.Dialect.SameName("username", "@username")} AND day = @day;", new { username, day }, transaction, cancellationToken: cancellationToken));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private Task<UserRow?> GetRowAsync(string username, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.QuerySingleOrDefaultAsync<UserRow?>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE {scope.Dialect.SameName("username", "@username")};", new { username }, transaction, cancellationToken: cancellationToken)), cancellationToken);
}

/// <summary>API keys (<c>api_keys</c>), stored as hashes of their secrets.</summary>
internal sealed class RelationalApiKeys(RelationalScope scope) : IApiKeyWriter
{
    private const string Columns = ApiKeyRow.Columns;

    public Task InsertAsync(ApiKey key, string secretHash, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO api_keys (id, name, scopes, key_hash, created_by, created_at) VALUES (@Id, @Name, @scopes, @secretHash, @CreatedBy, @at);",
            new { key.Id, key.Name, scopes = ApiKeyRow.ScopesToWire(key.Scopes), secretHash, key.CreatedBy, at = UnixMs.Of(key.CreatedAt) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<(ApiKey Key, string SecretHash)?> GetLiveAsync(string id, CancellationToken cancellationToken) =>
        scope.RunAsync<(ApiKey, string)?>(async (connection, transaction) =>
            await connection.QuerySingleOrDefaultAsync<ApiKeyRow?>(new CommandDefinition(
                $"SELECT {Columns} FROM api_keys WHERE id = @id AND revoked_at IS NULL;", new { id }, transaction, cancellationToken: cancellationToken)) is { } row
                ? (row.ToKey(), row.KeyHash)
                : null, cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<ApiKey>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition($"SELECT {Columns} FROM api_keys ORDER BY created_at, id;", transaction: transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToKey())];
        }, cancellationToken);

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL;", new { id, at = UnixMs.Of(at) }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);
}
