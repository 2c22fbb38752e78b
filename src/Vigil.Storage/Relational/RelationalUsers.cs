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

    public Task<(User User, UserSecurity Security)?> GetSecurityAsync(string username, CancellationToken cancellationToken) =>
        scope.RunAsync<(User, UserSecurity)?>(async (connection, transaction) =>
            await connection.QuerySingleOrDefaultAsync<UserSecurityRow?>(new CommandDefinition(
                $"SELECT {Columns}, {UserSecurityRow.SecurityColumns} FROM users WHERE {scope.Dialect.SameName("username", "@username")};",
                new { username },
                transaction,
                cancellationToken: cancellationToken)) is { } row
                ? (row.ToUser(), row.ToSecurity())
                : null, cancellationToken);

    public Task<UserSession?> GetSessionAsync(string id, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await connection.QuerySingleOrDefaultAsync<SessionRow?>(new CommandDefinition(
            $"SELECT {SessionRow.Columns} FROM user_sessions WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken)))?.ToSession(), cancellationToken);

    public Task<IReadOnlyList<UserSession>> ListSessionsAsync(string username, DateTimeOffset now, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<UserSession>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<SessionRow>(new CommandDefinition(
                $"SELECT {SessionRow.Columns} FROM user_sessions WHERE {scope.Dialect.SameName("username", "@username")} AND ended_at IS NULL AND expires_at > @now ORDER BY created_at, id;",
                new { username, now = UnixMs.Of(now) },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToSession())];
        }, cancellationToken);

    public Task<bool> SetDisabledAsync(string username, DateTimeOffset? disabledAt, string stamp, CancellationToken cancellationToken) =>
        UpdateAsync("disabled_at = @at", username, stamp, new { at = UnixMs.Of(disabledAt) }, cancellationToken);

    public Task<bool> SetRoleAsync(string username, Role role, string stamp, CancellationToken cancellationToken) =>
        UpdateAsync("role = @role", username, stamp, new { role = role.ToWire() }, cancellationToken);

    public Task<bool> SetPasswordAsync(string username, string passwordHash, bool mustChange, string stamp, CancellationToken cancellationToken) =>
        UpdateAsync("password_hash = @passwordHash, must_change_password = @mustChange", username, stamp, new { passwordHash, mustChange = mustChange ? 1L : 0L }, cancellationToken);

    public Task<bool> SetStampAsync(string username, string stamp, CancellationToken cancellationToken) =>
        UpdateAsync(null, username, stamp, null, cancellationToken);

    public Task<bool> SetTwoFactorAsync(string username, string? totpSecret, DateTimeOffset? enabledAt, IReadOnlyList<string> recoveryCodeHashes, CancellationToken cancellationToken) =>
        UpdateAsync(
            "totp_secret = @totpSecret, totp_enabled_at = @enabledAt, recovery_codes = @codes",
            username,
            null,
            new { totpSecret, enabledAt = UnixMs.Of(enabledAt), codes = string.Join(',', recoveryCodeHashes) },
            cancellationToken);

    public Task InsertSessionAsync(UserSession session, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO user_sessions ({SessionRow.Columns}) VALUES (@Id, @Username, @created, @expires, @Address, @Via, @ended);",
            new { session.Id, session.Username, created = UnixMs.Of(session.CreatedAt), expires = UnixMs.Of(session.ExpiresAt), session.Address, session.Via, ended = UnixMs.Of(session.EndedAt) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<bool> EndSessionAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE user_sessions SET ended_at = @at WHERE id = @id AND ended_at IS NULL AND expires_at > @at;", new { id, at = UnixMs.Of(at) }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<int> EndSessionsAsync(string username, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE user_sessions SET ended_at = @at WHERE {scope.Dialect.SameName("username", "@username")} AND ended_at IS NULL AND expires_at > @at;",
            new { username, at = UnixMs.Of(at) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    /// <summary>Sets <paramref name="set"/> (and the stamp, when given) on the user's row; false when there is no such user.</summary>
    private Task<bool> UpdateAsync(string? set, string username, string? stamp, object? values, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var parameters = new DynamicParameters(values);
            parameters.Add("username", username);
            parameters.Add("stamp", stamp);
            string assignments = string.Join(", ", new[] { set, stamp is null ? null : "security_stamp = @stamp" }.Where(a => a is not null));
            return await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE users SET {assignments} WHERE {scope.Dialect.SameName("username", "@username")};", parameters, transaction, cancellationToken: cancellationToken)) == 1;
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
