using System.Data.Common;
using Vigil.Storage.Audit;
using Vigil.Storage.Banks;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Relational;

/// <summary>Every repository, on one scope: the store's reads or a unit of work's transaction.</summary>
internal sealed class Repositories(RelationalScope scope)
{
    public RelationalContent Content { get; } = new(scope);

    public RelationalCases Cases { get; } = new(scope);

    public RelationalUsers Users { get; } = new(scope);

    public RelationalApiKeys ApiKeys { get; } = new(scope);

    public RelationalWebhooks Webhooks { get; } = new(scope);

    public RelationalAudit Audit { get; } = new(scope);

    public RelationalPolicies Policies { get; } = new(scope);

    public RelationalBanks Banks { get; } = new(scope);

    public RelationalOutbox Outbox { get; } = new(scope);

    public RelationalExport Export { get; } = new(scope);
}

/// <summary>
/// A unit of work of a SQL backend: one connection and transaction, rolled back unless committed; then the connection
/// goes back to the pool and <paramref name="release"/> runs (SQLite lets the next writer in).
/// </summary>
internal sealed class RelationalUnitOfWork(DbConnection connection, DbTransaction transaction, SqlDialect dialect, TimeProvider time, Action? release = null) : IUnitOfWork
{
    private readonly Repositories _writes = new(new TransactionScope(connection, transaction, dialect, time));
    private readonly RelationalImport _import = new(new TransactionScope(connection, transaction, dialect, time));
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

    public IStoreImport Import => _import;

    /// <summary>The outbox of this unit of work, with the dispatcher's calls.</summary>
    public RelationalOutbox DispatchOutbox => _writes.Outbox;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_committed)
        {
            throw new InvalidOperationException("This unit of work is already committed.");
        }

        await _import.FollowImportedIdsAsync(cancellationToken);
        await transaction.CommitAsync(CancellationToken.None);
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
            await transaction.DisposeAsync(); // rolls back unless committed
            await connection.DisposeAsync();
        }
        finally
        {
            release?.Invoke();
        }
    }
}

/// <summary>The dispatcher's outbox calls: looks on their own connection, changes each in its own unit of work.</summary>
internal sealed class OutboxDispatch(RelationalOutbox reads, Func<CancellationToken, Task<RelationalUnitOfWork>> begin) : IOutbox
{
    public Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        reads.DueAsync(now, limit, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) => reads.NextDueAsync(cancellationToken);

    public async Task<IReadOnlyList<DueDelivery>> LeaseDueAsync(DateTimeOffset now, int limit, string owner, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var unit = await begin(cancellationToken);
        var due = await unit.DispatchOutbox.LeaseDueAsync(now, limit, owner, lease, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return due;
    }

    public Task MarkDeliveredAsync(long messageId, int status, DateTimeOffset at, CancellationToken cancellationToken) =>
        WriteAsync(outbox => outbox.MarkDeliveredAsync(messageId, status, at, cancellationToken), cancellationToken);

    public Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        WriteAsync(outbox => outbox.MarkFailedAsync(messageId, status, problem, nextAttemptAt, cancellationToken), cancellationToken);

    private async Task WriteAsync(Func<RelationalOutbox, Task> work, CancellationToken cancellationToken)
    {
        await using var unit = await begin(cancellationToken);
        await work(unit.DispatchOutbox);
        await unit.CommitAsync(cancellationToken);
    }
}
