using System.Text.Json;
using Vigil.Moderation.Wire;
using Vigil.Storage;

namespace Vigil.Moderation.Webhooks;

/// <summary>The events Vigil sends to webhooks.</summary>
public static class WebhookEvents
{
    /// <summary>A moderator decided a case.</summary>
    public const string DecisionCreated = "decision.created";

    /// <summary>Every event a webhook may subscribe to.</summary>
    public static IReadOnlyList<string> All { get; } = [DecisionCreated];

    /// <summary>
    /// Queues <paramref name="payload"/> (serialised as the API's JSON) for every live webhook subscribed to
    /// <paramref name="eventName"/>, inside <paramref name="unit"/>: the deliveries exist if and only if the change that
    /// raised the event commits (the outbox pattern). Returns how many were queued.
    /// </summary>
    public static async Task<int> PublishAsync(IUnitOfWork unit, string eventName, object payload, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        string body = JsonSerializer.Serialize(payload, WireJson.Options);
        int queued = 0;
        foreach (var hook in await unit.Webhooks.ListAsync(cancellationToken))
        {
            if (hook.Events.Contains(eventName, StringComparer.Ordinal))
            {
                await unit.Outbox.EnqueueAsync(hook.Id, eventName, body, at, cancellationToken);
                queued++;
            }
        }

        return queued;
    }
}
