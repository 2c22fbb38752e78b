using Microsoft.Data.Sqlite;
using Vigil.Storage.Audit;
using Vigil.Storage.Banks;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file (WAL, full synchronous commits), migrated when opened. Reads run on their own
/// pooled connections beside a write; units of work run one at a time (an in-process gate, then <c>BEGIN IMMEDIATE</c>,
/// which also waits for writers in other processes), each committed and synced before the caller goes on.
/// </summary>
public sealed class SqliteVigilStore : IVigilStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    private readonly Repositories _reads;

    private SqliteVigilStore(SqliteDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        _reads = new Repositories(new ConnectionScope(database, time));
        Outbox = new SqliteOutboxDispatch(this);
    }

    public IContentReader Content => _reads.Content;

    public ICaseReader Cases => _reads.Cases;

    public IUserReader Users => _reads.Users;

    public IApiKeyReader ApiKeys => _reads.ApiKeys;

    public IWebhookReader Webhooks => _reads.Webhooks;

    public IAuditReader Audit => _reads.Audit;

    public IPolicyReader Policies => _reads.Policies;

    public IBankReader Banks => _reads.Banks;

    public IOutbox Outbox { get; }

    public string Location => _database.Path;

    public IReadOnlyList<string> AppliedMigrations => _database.AppliedMigrations;

    /// <summary>Opens (creating and migrating) the database file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The database has migrations this version does not know (it was made by a newer Vigil).</exception>
    public static async Task<SqliteVigilStore> OpenAsync(string path, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        new(await SqliteDatabase.OpenAsync(path, cancellationToken), time ?? TimeProvider.System);

    public async Task<IUnitOfWork> BeginAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        SqliteConnection? connection = null;
        try
        {
            connection = await _database.OpenConnectionAsync(cancellationToken);
            var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            return new UnitOfWork(connection, transaction, _time, _writeGate);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _writeGate.Release();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _writeGate.Dispose();
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    /// <summary>Every repository, on one scope: the store's reads or a unit of work's transaction.</summary>
    private sealed class Repositories(SqliteScope scope)
    {
        public SqliteContent Content { get; } = new(scope);

        public SqliteCases Cases { get; } = new(scope);

        public SqliteUsers Users { get; } = new(scope);

        public SqliteApiKeys ApiKeys { get; } = new(scope);

        public SqliteWebhooks Webhooks { get; } = new(scope);

        public SqliteAudit Audit { get; } = new(scope);

        public SqlitePolicies Policies { get; } = new(scope);

        public SqliteBanks Banks { get; } = new(scope);

        public SqliteOutbox Outbox { get; } = new(scope);
    }

    private sealed class UnitOfWork(SqliteConnection connection, SqliteTransaction transaction, TimeProvider time, SemaphoreSlim gate) : IUnitOfWork
    {
        private readonly Repositories _writes = new(new TransactionScope(connection, transaction, time));
        private readonly SqliteConnection _connection = connection;
        private readonly SqliteTransaction _transaction = transaction;
        private readonly SemaphoreSlim _gate = gate;
        private bool _committed;
        private int _disposed;

        public IContentWriter Content => _writes.Content;

        public ICaseWriter Cases => _writes.Cases;

        public IUserWriter Users => _writes.Users;

        public IApiKeyWriter ApiKeys => _writes.ApiKeys;

        public IWebhookWriter Webhooks => _writes.Webhooks;

        public IAuditWriter Audit => _writes.Audit;

        public IPolicyWriter Policies => _writes.Policies;

        public IBankWriter Banks => _writes.Banks;

        public IOutboxWriter Outbox => _writes.Outbox;

        /// <summary>The outbox of this unit of work, with the dispatcher's calls.</summary>
        public SqliteOutbox DispatchOutbox => _writes.Outbox;

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            if (_committed)
            {
                throw new InvalidOperationException("This unit of work is already committed.");
            }

            await _transaction.CommitAsync(CancellationToken.None);
            _committed = true;
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }

            try
            {
                await _transaction.DisposeAsync(); // rolls back unless committed
                await _connection.DisposeAsync();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>The dispatcher's outbox calls: each one statement in its own unit of work.</summary>
    private sealed class SqliteOutboxDispatch(SqliteVigilStore store) : IOutbox
    {
        private readonly SqliteOutbox _reads = new(new ConnectionScope(store._database, store._time));

        public Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
            _reads.DueAsync(now, limit, cancellationToken);

        public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => _reads.NextDueAsync(cancellationToken);

        public async Task<IReadOnlyList<DueDelivery>> LeaseDueAsync(DateTimeOffset now, int limit, string owner, TimeSpan lease, CancellationToken cancellationToken)
        {
            await using var unit = (UnitOfWork)await store.BeginAsync(cancellationToken);
            var due = await unit.DispatchOutbox.LeaseDueAsync(now, limit, owner, lease, cancellationToken);
            await unit.CommitAsync(cancellationToken);
            return due;
        }

        public Task MarkDeliveredAsync(long messageId, int status, DateTimeOffset at, CancellationToken cancellationToken) =>
            WriteAsync(outbox => outbox.MarkDeliveredAsync(messageId, status, at, cancellationToken), cancellationToken);

        public Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
            WriteAsync(outbox => outbox.MarkFailedAsync(messageId, status, problem, nextAttemptAt, cancellationToken), cancellationToken);

        private async Task WriteAsync(Func<SqliteOutbox, Task> work, CancellationToken cancellationToken)
        {
            await using var unit = (UnitOfWork)await store.BeginAsync(cancellationToken);
            await work(unit.DispatchOutbox);
            await unit.CommitAsync(cancellationToken);
        }
    }
}
