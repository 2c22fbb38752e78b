using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage;

/// <summary>
/// Everything the moderation service keeps. Callers see only these interfaces; <see cref="Store.SqliteVigilStore"/> is
/// the embedded default and a PostgreSQL implementation can sit behind the same interfaces. Writes that belong together
/// (a submission and its case; a decision, its webhook deliveries and its audit entry) commit in one transaction, and
/// a call returns only once its write is durable.
/// </summary>
public interface IVigilStore : IAsyncDisposable
{
    IContentStore Content { get; }

    ICaseStore Cases { get; }

    IUserStore Users { get; }

    IApiKeyStore ApiKeys { get; }

    IWebhookStore Webhooks { get; }

    IAuditLog Audit { get; }

    IPolicyHistory Policies { get; }

    /// <summary>Where the data lives, for logs (a file path, a host).</summary>
    string Location { get; }
}
