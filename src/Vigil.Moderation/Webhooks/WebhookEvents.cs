using System.Text.Json;
using Vigil.Moderation.Wire;
using Vigil.Storage;

namespace Vigil.Moderation.Webhooks;

/// <summary>The events Vigil sends to webhooks.</summary>
public static class WebhookEvents
{
    /// <summary>A moderator decided a case.</summary>
    public const string DecisionCreated = "decision.created";

    /// <summary>Content was removed or disabled under a TCO removal order (with the order's reference).</summary>
    public const string ContentRemoved = "content.removed";

    /// <summary>A removal order's deadline approaches (at each configured warning point).</summary>
    public const string DeadlineApproaching = "removal_order.deadline_approaching";

    /// <summary>A removal order's deadline passed before it was executed.</summary>
    public const string DeadlineBreached = "removal_order.deadline_breached";

    /// <summary>A restricting decision's statement of reasons (DSA Art 17), for the platform to show its user; sent when
    /// the decision is made, or when an order's withholding of disclosure ends.</summary>
    public const string StatementOfReasonsCreated = "statement_of_reasons.created";

    /// <summary>The content a notice (DSA Art 16) was about was decided: for the platform to tell the notifier.</summary>
    public const string NoticeDecided = "notice.decided";

    /// <summary>A complaint (DSA Art 20) reversed a restriction: the content is to be reinstated.</summary>
    public const string ContentReinstated = "content.reinstated";

    /// <summary>A complaint (DSA Art 20) was decided (upheld or reversed).</summary>
    public const string ComplaintDecided = "complaint.decided";

    /// <summary>Content was assessed: at submission, or by a worker when it came through the queue.</summary>
    public const string ContentAssessed = "content.assessed";

    /// <summary>Every event a webhook may subscribe to.</summary>
    public static IReadOnlyList<string> All { get; } = [DecisionCreated, ContentAssessed, ContentRemoved, DeadlineApproaching, DeadlineBreached, StatementOfReasonsCreated, NoticeDecided, ContentReinstated, ComplaintDecided];

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
