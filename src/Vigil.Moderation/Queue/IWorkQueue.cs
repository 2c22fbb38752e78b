namespace Vigil.Moderation.Queue;

/// <summary>
/// The work queue between the servers that accept content and the workers that assess it (<c>vigil serve --queue</c>,
/// <c>vigil worker</c>). A message carries only a stored item's id: the item and its bytes are in the database (the
/// claim check). Delivery is at least once; the use cases make the effects happen once (<see cref="AssessQueuedContent"/>).
/// </summary>
public interface IWorkBroker
{
    /// <summary>Queues the stored item <paramref name="contentId"/>; returns once the queue has stored the message.
    /// Publishing the same id again within the queue's duplicate window is a no-op.</summary>
    /// <exception cref="QueueUnavailableException">The queue is unreachable or full; nothing was queued.</exception>
    Task PublishAsync(long contentId, CancellationToken cancellationToken);

    /// <summary>The work as it arrives, for one worker (workers sharing the queue share the work).</summary>
    IAsyncEnumerable<IWorkItem> ConsumeAsync(CancellationToken cancellationToken);

    /// <summary>How the queue is (never throws: an unreachable queue is a status).</summary>
    Task<QueueStatus> StatusAsync(CancellationToken cancellationToken);

    /// <summary>The most recent dead letters, newest first.</summary>
    /// <exception cref="QueueUnavailableException">The queue is unreachable.</exception>
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int limit, CancellationToken cancellationToken);
}

/// <summary>One delivery of a queued message.</summary>
public interface IWorkItem
{
    /// <summary>The item to assess; null when the message is not a content id (it can only be dead-lettered).</summary>
    long? ContentId { get; }

    /// <summary>Which delivery of the message this is (1 for the first).</summary>
    int Delivery { get; }

    /// <summary>Done: the message is removed.</summary>
    Task AckAsync(CancellationToken cancellationToken);

    /// <summary>Failed this time: delivered again after <paramref name="delay"/>.</summary>
    Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Given up: the message moves to the dead letters with <paramref name="reason"/> and is removed.</summary>
    Task DeadLetterAsync(string reason, CancellationToken cancellationToken);
}

/// <summary>The queue is unreachable or full: the caller should try again later (HTTP 503 with Retry-After).</summary>
public sealed class QueueUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The queue's state.</summary>
/// <param name="Reachable">Whether the queue answered.</param>
/// <param name="Problem">Why it is not usable, or null.</param>
/// <param name="Waiting">Messages not yet delivered to a worker.</param>
/// <param name="InProgress">Messages delivered and not yet acknowledged.</param>
/// <param name="Redelivered">Messages delivered more than once and not yet acknowledged.</param>
/// <param name="DeadLetters">Messages given up.</param>
/// <param name="Workers">Workers pulling now (as far as the queue knows).</param>
public sealed record QueueStatus(bool Reachable, string? Problem, long Waiting, long InProgress, long Redelivered, long DeadLetters, int Workers)
{
    public static QueueStatus Unreachable(string problem) => new(false, problem, 0, 0, 0, 0, 0);
}

/// <summary>A message given up after its attempts ran out (or that could never be processed).</summary>
/// <param name="Sequence">Its number among the dead letters.</param>
/// <param name="ContentId">The item it was about, when it named one.</param>
/// <param name="Deliveries">How often it was delivered.</param>
/// <param name="Reason">The last error.</param>
/// <param name="At">When it was given up.</param>
public sealed record DeadLetter(long Sequence, long? ContentId, int Deliveries, string Reason, DateTimeOffset At);

/// <summary>
/// Tells every process that the hash banks changed, so that workers rebuild their matcher at once instead of at their
/// next refresh (<see cref="Banks.LiveBankMatcher"/>).
/// </summary>
public interface IBankChangeFeed
{
    /// <summary>Announces a change (best effort: a process that misses it still refreshes on its interval).</summary>
    Task AnnounceAsync(CancellationToken cancellationToken);

    /// <summary>Yields once per announced change, from the time of the call, until cancelled.</summary>
    IAsyncEnumerable<long> WatchAsync(CancellationToken cancellationToken);
}
