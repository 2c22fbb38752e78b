using Microsoft.Data.Sqlite;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Store;

/// <summary>The embedded store: one SQLite file (WAL, full synchronous commits), migrated when opened.</summary>
public sealed class SqliteVigilStore : IVigilStore
{
    private readonly SqliteSession _session;

    private SqliteVigilStore(SqliteDatabase database, TimeProvider time)
    {
        _session = new SqliteSession(database, time);
        Content = new SqliteContentStore(_session);
        Cases = new SqliteCaseStore(_session);
        Users = new SqliteUserStore(_session);
        ApiKeys = new SqliteApiKeyStore(_session);
        Webhooks = new SqliteWebhookStore(_session);
        Audit = new SqliteAuditLog(_session);
        Policies = new SqlitePolicyHistory(_session);
    }

    public IContentStore Content { get; }

    public ICaseStore Cases { get; }

    public IUserStore Users { get; }

    public IApiKeyStore ApiKeys { get; }

    public IWebhookStore Webhooks { get; }

    public IAuditLog Audit { get; }

    public IPolicyHistory Policies { get; }

    public string Location => _session.Database.Path;

    /// <summary>Opens (creating and migrating) the database file at <paramref name="path"/>.</summary>
    public static async Task<SqliteVigilStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await SqliteDatabase.OpenAsync(path, cancellationToken), time ?? TimeProvider.System);

    public ValueTask DisposeAsync()
    {
        _session.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
