namespace Vigil.Moderation.Queue;

/// <summary>How a worker treats the queue's messages.</summary>
/// <param name="MaxAttempts">Deliveries of one message before it is given up (dead-lettered). A message delivered more
/// often than this without an acknowledgement (workers died on it) is given up unprocessed.</param>
/// <param name="Parallelism">Messages assessed at once by this worker.</param>
/// <param name="RetryDelay">The wait before a failed message is delivered again (times the attempt).</param>
public sealed record QueueWorkerOptions(int MaxAttempts = 5, int Parallelism = 2, TimeSpan? RetryDelay = null)
{
    public TimeSpan Retry => RetryDelay ?? TimeSpan.FromSeconds(2);
}

/// <summary>What a worker did with one message.</summary>
public enum WorkOutcome
{
    Assessed,
    AlreadyAssessed,
    NotFound,
    Retried,
    DeadLettered,
    Abandoned,
}

/// <summary>
/// <c>vigil worker</c>'s loop: takes the queue's messages and assesses each item (<see cref="AssessQueuedContent"/>),
/// acknowledging a message only after its effects are committed. A failure is retried after a delay until the attempts
/// run out; then the message goes to the dead letters with the error. A message that is not a content id goes there at
/// once.
/// </summary>
public sealed class QueueWorker(IWorkBroker broker, AssessQueuedContent assess, QueueWorkerOptions options)
{
    private long _assessed;
    private long _failures;

    /// <summary>Called after each message with what was done (and the error, if any); e.g. to log, or to wake the webhook
    /// dispatcher after <see cref="WorkOutcome.Assessed"/>.</summary>
    public event Action<long?, WorkOutcome, Exception?>? Handled;

    /// <summary>Items this worker assessed.</summary>
    public long Assessed => Interlocked.Read(ref _assessed);

    /// <summary>Attempts that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Works until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        var running = new HashSet<Task>();
        try
        {
            await foreach (var work in broker.ConsumeAsync(cancellationToken))
            {
                await slots.WaitAsync(cancellationToken);
                var task = Task.Run(
                    async () =>
                    {
                        try
                        {
                            await HandleAsync(work, cancellationToken);
                        }
                        finally
                        {
                            slots.Release();
                        }
                    },
                    CancellationToken.None);
                lock (running)
                {
                    running.RemoveWhere(t => t.IsCompleted);
                    running.Add(task);
                }
            }
        }
        finally
        {
            Task[] left;
            lock (running)
            {
                left = [.. running];
            }

            await Task.WhenAll(left).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Handles one delivery.</summary>
    public async Task<WorkOutcome> HandleAsync(IWorkItem work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (outcome, error) = await DecideAsync(work, cancellationToken);
        Handled?.Invoke(work.ContentId, outcome, error);
        return outcome;
    }

    private async Task<(WorkOutcome, Exception?)> DecideAsync(IWorkItem work, CancellationToken cancellationToken)
    {
        try
        {
            if (work.ContentId is not { } id)
            {
                await work.DeadLetterAsync("the message is not a content id", cancellationToken);
                return (WorkOutcome.DeadLettered, null);
            }

            if (work.Delivery > options.MaxAttempts)
            {
                await work.DeadLetterAsync($"delivered {work.Delivery} times without being acknowledged (workers stopped while assessing it)", cancellationToken);
                return (WorkOutcome.DeadLettered, null);
            }

            AssessStatus status;
            try
            {
                status = await assess.ExecuteAsync(id, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failures);
                if (work.Delivery >= options.MaxAttempts)
                {
                    await work.DeadLetterAsync($"{e.GetType().Name}: {e.Message}", cancellationToken);
                    return (WorkOutcome.DeadLettered, e);
                }

                await work.RetryAsync(options.Retry * work.Delivery, cancellationToken);
                return (WorkOutcome.Retried, e);
            }

            await work.AckAsync(cancellationToken);
            if (status == AssessStatus.Assessed)
            {
                Interlocked.Increment(ref _assessed);
            }

            return (status switch
            {
                AssessStatus.Assessed => WorkOutcome.Assessed,
                AssessStatus.AlreadyAssessed => WorkOutcome.AlreadyAssessed,
                _ => WorkOutcome.NotFound,
            }, null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The queue failed us (an acknowledgement lost): the message is delivered again, and changes nothing twice.
            return (WorkOutcome.Abandoned, e);
        }
    }
}
