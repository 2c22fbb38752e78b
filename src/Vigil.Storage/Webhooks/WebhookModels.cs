namespace Vigil.Storage.Webhooks;

/// <summary>A platform endpoint that receives signed event POSTs.</summary>
/// <param name="Secret">The HMAC-SHA256 key deliveries are signed with.</param>
/// <param name="Events">Event names it receives (e.g. <c>decision.created</c>).</param>
public sealed record Webhook(long Id, Uri Url, string Secret, IReadOnlyList<string> Events, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>One delivery in the outbox.</summary>
public sealed record OutboxMessage(
    long Id,
    long WebhookId,
    string Event,
    string Payload,
    DateTimeOffset CreatedAt,
    int Attempts,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    bool Dead,
    int? LastStatus,
    string? LastError);

/// <summary>A due delivery with where to send it.</summary>
public sealed record DueDelivery(OutboxMessage Message, Webhook Webhook);
