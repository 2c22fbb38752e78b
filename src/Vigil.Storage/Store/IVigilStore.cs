using Vigil.Storage.Audit;
using Vigil.Storage.Banks;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage;

/// <summary>
/// The storage contract: everything Vigil keeps, behind one interface that every backend implements (SQLite, the
/// embedded default; PostgreSQL) and that one abstract test suite checks. Storage decides nothing: the application
/// layer (<c>Vigil.Moderation</c>) decides what to write, and hands it over as data.
/// </summary>
/// <remarks>
/// <para>Reads go through the properties here; each call sees committed data.</para>
/// <para>Writes go through a unit of work (<see cref="BeginAsync"/>): one transaction per use case, in which the use case
/// may also read (and sees its own writes). A unit of work excludes every other unit of work on the same data while it
/// lasts (SQLite: one writer at a time; PostgreSQL: row locks and an advisory lock on the audit chain), so that a read
/// followed by a write inside it cannot race. <see cref="IUnitOfWork.CommitAsync"/> returns once the change is durable;
/// disposing without committing rolls back.</para>
/// </remarks>
public interface IVigilStore : IAsyncDisposable
{
    IContentReader Content { get; }

    ICaseReader Cases { get; }

    IUserReader Users { get; }

    IApiKeyReader ApiKeys { get; }

    IWebhookReader Webhooks { get; }

    IAuditReader Audit { get; }

    IPolicyReader Policies { get; }

    IBankReader Banks { get; }

    /// <summary>Webhook deliveries as the dispatcher works through them (each call its own small transaction).</summary>
    IOutbox Outbox { get; }

    /// <summary>Everything the store holds, as stored, for copying it to another store.</summary>
    IStoreExport Export { get; }

    /// <summary>Where the data lives, for logs (a file path, a host).</summary>
    string Location { get; }

    /// <summary>The schema migrations applied, in order (the same names on every backend).</summary>
    IReadOnlyList<string> AppliedMigrations { get; }

    /// <summary>Starts a unit of work (one transaction).</summary>
    Task<IUnitOfWork> BeginAsync(CancellationToken cancellationToken);
}

/// <summary>One transaction: the writes of one use case, with the reads it needs, committed together or not at all.</summary>
public interface IUnitOfWork : IAsyncDisposable
{
    IContentWriter Content { get; }

    ICaseWriter Cases { get; }

    IUserWriter Users { get; }

    IApiKeyWriter ApiKeys { get; }

    IWebhookWriter Webhooks { get; }

    IAuditWriter Audit { get; }

    IPolicyWriter Policies { get; }

    IBankWriter Banks { get; }

    IOutboxWriter Outbox { get; }

    /// <summary>Writes what another store exported, keeping its ids, times and hashes.</summary>
    IStoreImport Import { get; }

    /// <summary>Makes every write durable; the unit of work is then finished.</summary>
    Task CommitAsync(CancellationToken cancellationToken);
}
