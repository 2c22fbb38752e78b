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

/// <summary>
/// What the SQL backends share: the repositories (written once over ADO.NET and Dapper, with the backend's
/// <c>SqlDialect</c>), reads on a pooled connection per call, units of work on one connection and transaction each. A
/// backend opens its database, says how to open a connection and how to begin a unit of work.
/// </summary>
public abstract class RelationalVigilStore : IVigilStore
{
    private readonly Repositories _reads;

    private protected RelationalVigilStore(Func<CancellationToken, Task<DbConnection>> open, SqlDialect dialect, TimeProvider time)
    {
        Dialect = dialect;
        Time = time;
        _reads = new Repositories(new ConnectionScope(open, dialect, time));
        Outbox = new OutboxDispatch(_reads.Outbox, BeginUnitAsync);
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

    public IStoreExport Export => _reads.Export;

    public abstract string Location { get; }

    public abstract IReadOnlyList<string> AppliedMigrations { get; }

    private protected SqlDialect Dialect { get; }

    private protected TimeProvider Time { get; }

    public async Task<IUnitOfWork> BeginAsync(CancellationToken cancellationToken) => await BeginUnitAsync(cancellationToken);

    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a connection and begins the unit of work's transaction on it (waiting for what the backend waits for).</summary>
    private protected abstract Task<RelationalUnitOfWork> BeginUnitAsync(CancellationToken cancellationToken);
}
