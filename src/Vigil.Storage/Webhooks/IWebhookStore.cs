namespace Vigil.Storage.Webhooks;

/// <summary>Webhook subscriptions and the persisted outbox of their deliveries.</summary>
public interface IWebhookStore
{
    Task<Webhook> AddAsync(Uri url, string secret, IReadOnlyList<string> events, string actor, CancellationToken cancellationToken);

    Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken);

    Task<Webhook?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Stops deliveries to the webhook (pending ones are dropped). False when there is no such webhook.</summary>
    Task<bool> DeleteAsync(long id, string actor, CancellationToken cancellationToken);

    /// <summary>Deliveries that are neither delivered nor dead and whose next attempt is due, oldest first.</summary>
    Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>When the next pending delivery is due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task MarkDeliveredAsync(long messageId, int status, CancellationToken cancellationToken);

    /// <summary>Records a failed attempt: retry at <paramref name="nextAttemptAt"/>, or give up when it is null.</summary>
    Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>The webhook's most recent deliveries, newest first.</summary>
    Task<IReadOnlyList<OutboxMessage>> ListDeliveriesAsync(long webhookId, int limit, CancellationToken cancellationToken);
}
