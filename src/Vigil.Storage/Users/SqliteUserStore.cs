using System.Globalization;
using System.Text.Json;
using Dapper;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;

namespace Vigil.Storage.Users;

internal sealed class SqliteUserStore(SqliteSession session) : IUserStore
{
    private const string Columns = "username, display_name, role, password_hash, created_at, disabled_at";

    public Task<bool> AddAsync(User user, string passwordHash, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            int added = await connection.ExecuteAsync(
                """
                INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (@Username, @DisplayName, @role, @passwordHash, @now)
                ON CONFLICT (username) DO NOTHING;
                """,
                new { user.Username, user.DisplayName, role = user.Role.ToWire(), passwordHash, now },
                transaction);
            if (added == 0)
            {
                return false;
            }

            string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["role"] = user.Role.ToWire() });
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "user.created", $"user:{user.Username}", details), now);
            return true;
        }, cancellationToken);

    public async Task<User?> GetAsync(string username, CancellationToken cancellationToken) =>
        (await GetRowAsync(username, cancellationToken))?.ToUser();

    public async Task<(User User, string PasswordHash)?> GetCredentialsAsync(string username, CancellationToken cancellationToken) =>
        await GetRowAsync(username, cancellationToken) is { DisabledAt: null } row ? (row.ToUser(), row.PasswordHash) : null;

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<User>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM users ORDER BY username;", cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToUser())];
        }, cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken) =>
        session.ReadAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) FROM users;", cancellationToken: cancellationToken)), cancellationToken);

    public Task<int> RecordExposureAsync(string username, DateOnly day, long caseId, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            string d = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await connection.ExecuteAsync(
                "INSERT INTO reviewer_exposure (username, day, case_id, seen_at) VALUES (@username, @d, @caseId, @now) ON CONFLICT DO NOTHING;",
                new { username, d, caseId, now = session.NowMs },
                transaction);
            return await connection.ExecuteScalarAsync<int>(
                "SELECT count(*) FROM reviewer_exposure WHERE username = @username AND day = @d;", new { username, d }, transaction);
        }, cancellationToken);

    public Task<int> CountExposureAsync(string username, DateOnly day, CancellationToken cancellationToken) =>
        session.ReadAsync(connection => connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT count(*) FROM reviewer_exposure WHERE username = @username AND day = @d;",
            new { username, d = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            cancellationToken: cancellationToken)), cancellationToken);

    private Task<Row?> GetRowAsync(string username, CancellationToken cancellationToken) =>
        session.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<Row?>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE username = @username;", new { username }, cancellationToken: cancellationToken)), cancellationToken);

    private sealed class Row
    {
        public string Username { get; set; } = "";

        public string? DisplayName { get; set; }

        public string Role { get; set; } = "";

        public string PasswordHash { get; set; } = "";

        public long CreatedAt { get; set; }

        public long? DisabledAt { get; set; }

        public User ToUser()
        {
            _ = RoleNames.TryParse(Role, out var role);
            return new User(Username, DisplayName, role, SqliteSession.FromMs(CreatedAt), DisabledAt is not null);
        }
    }
}
