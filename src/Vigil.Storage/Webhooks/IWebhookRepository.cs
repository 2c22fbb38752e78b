namespace Vigil.Storage.Webhooks;

/// <summary>Reads webhook subscriptions and their deliveries.</summary>
public interface IWebhookReader
{
    /// <summary>The live webhooks, by id.</summary>
    Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A live webhook, or null.</summary>
    Task<Webhook?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The webhook's most recent deliveries, newest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> ListDeliveriesAsync(long webhookId, int limit, CancellationToken cancellationToken);
}

/// <summary>Writes webhook subscriptions (inside a unit of work).</summary>
public interface IWebhookWriter : IWebhookReader
{
    /// <summary>Stores a subscription; the store assigns the id.</summary>
    Task<Webhook> InsertAsync(Uri url, string secret, IReadOnlyList<string> events, string createdBy, DateTimeOffset createdAt, CancellationToken cancellationToken);

    /// <summary>Marks a live webhook deleted; false when there is none.</summary>
    Task<bool> DeleteAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>Queues deliveries (inside a unit of work, so that an event is queued if and only if its change commits).</summary>
public interface IOutboxWriter
{
    /// <summary>Queues one delivery of <paramref name="eventName"/> to the webhook, due at once.</summary>
    Task<long> EnqueueAsync(long webhookId, string eventName, string payload, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Gives up the webhook's pending deliveries (marks them dead with <paramref name="reason"/>); returns how many.</summary>
    Task<int> AbandonPendingAsync(long webhookId, string reason, CancellationToken cancellationToken);
}

/// <summary>
/// The persisted outbox as dispatchers work through it. Several dispatchers (processes) may share one outbox: each
/// leases the deliveries it sends (<see cref="LeaseDueAsync"/>), so that no delivery is sent by two at once while both
/// live, and a dead dispatcher's leases expire and are taken over.
/// </summary>
public interface IOutbox
{
    /// <summary>Deliveries that are neither delivered nor dead and whose next attempt is due, oldest first, with their
    /// webhook (deliveries of deleted webhooks are not returned), leased or not: a look, not a claim.</summary>
    Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>Takes up to <paramref name="limit"/> due deliveries that no live lease holds (oldest first), leasing them to
    /// <paramref name="owner"/> until <paramref name="now"/> + <paramref name="lease"/>, in one step: two owners never get
    /// the same delivery while its lease lasts.</summary>
    Task<IReadOnlyList<DueDelivery>> LeaseDueAsync(DateTimeOffset now, int limit, string owner, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery is due, or null when none is pending; a delivery leased to a dispatcher is
    /// due (for the others) when its lease ends, so that a dispatcher does not wake for what another is sending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>Records a delivery as sent (and ends its lease).</summary>
    Task MarkDeliveredAsync(long messageId, int status, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt (and ends its lease): retry at <paramref name="nextAttemptAt"/>, or give up when it is null.</summary>
    Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);
}
