namespace Vigil.Core.Content;

/// <summary>
/// A bound on how many pieces of one kind of costly work (image decodes, OCR processes) run at once. Work past the bound
/// waits for a free slot, at most <see cref="MaxWait"/>; then <see cref="EnterAsync"/> throws <see cref="BusyException"/>,
/// which the service answers with 503 and <c>Retry-After</c>. Thread-safe.
/// </summary>
public sealed class WorkGate : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _waiting;

    /// <param name="work">What the slots are for, e.g. "image decodes" (named in <see cref="BusyException"/>).</param>
    /// <param name="capacity">How many may run at once.</param>
    /// <param name="maxWait">The longest wait for a slot.</param>
    public WorkGate(string work, int capacity, TimeSpan maxWait)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(work);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWait, TimeSpan.Zero);
        Work = work;
        Capacity = capacity;
        MaxWait = maxWait;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>What the slots are for.</summary>
    public string Work { get; }

    /// <summary>How many may run at once.</summary>
    public int Capacity { get; }

    /// <summary>The longest wait for a slot.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Slots in use now.</summary>
    public int Running => Capacity - _slots.CurrentCount;

    /// <summary>Callers waiting for a slot now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Takes a slot, waiting at most <see cref="MaxWait"/>; dispose the result to give it back.</summary>
    /// <exception cref="BusyException">No slot came free in time.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Slot> EnterAsync(CancellationToken cancellationToken = default)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return new Slot(_slots);
        }

        Interlocked.Increment(ref _waiting);
        try
        {
            return await _slots.WaitAsync(MaxWait, cancellationToken)
                ? new Slot(_slots)
                : throw new BusyException(Work, Capacity, MaxWait);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A slot taken; disposing it gives it back (once).</summary>
    public sealed class Slot : IDisposable
    {
        private SemaphoreSlim? _slots;

        internal Slot(SemaphoreSlim slots) => _slots = slots;

        public void Dispose() => Interlocked.Exchange(ref _slots, null)?.Release();
    }
}

/// <summary>A <see cref="WorkGate"/> had no free slot within its longest wait: the work was not done; try again later.</summary>
public sealed class BusyException : Exception
{
    public BusyException(string work, int capacity, TimeSpan waited)
        : base($"The service is busy: {capacity} {work} already running and none finished within {waited.TotalSeconds:0.#} s; try again later.")
    {
        Work = work;
        RetryAfter = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(waited.TotalSeconds)));
    }

    public BusyException()
        : this("tasks", 1, TimeSpan.FromSeconds(1))
    {
    }

    public BusyException(string message)
        : base(message)
    {
        Work = "tasks";
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    public BusyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Work = "tasks";
        RetryAfter = TimeSpan.FromSeconds(1);
    }

    /// <summary>What was busy, e.g. "OCR processes".</summary>
    public string Work { get; }

    /// <summary>When to try again (the gate's longest wait, at least a second).</summary>
    public TimeSpan RetryAfter { get; }
}
