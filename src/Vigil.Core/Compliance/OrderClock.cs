namespace Vigil.Core.Compliance;

/// <summary>The grounds on which the one-hour clock of a removal order may be stopped (EU Regulation 2021/784, Art 3(7)
/// and 3(8); reported to the authority with the Annex III template).</summary>
public enum ClockStopGround
{
    /// <summary>Art 3(7): force majeure or de facto impossibility not attributable to the provider, including objectively
    /// justifiable technical or operational reasons.</summary>
    ForceMajeure,

    /// <summary>Art 3(8): the order contains manifest errors.</summary>
    ManifestErrors,

    /// <summary>Art 3(8): the order does not contain sufficient information to execute it.</summary>
    InsufficientInformation,
}

/// <summary>How the clock goes on after a stop: Art 3(7) and 3(8) say the deadline "shall start to run" again once the
/// grounds cease or the clarification arrives, i.e. the whole hour (<see cref="FullPeriod"/>, the default); some
/// authorities and platforms agree to count only what was left (<see cref="Remaining"/>).</summary>
public enum ClockRestart
{
    FullPeriod,
    Remaining,
}

/// <summary>A stop of the clock: its ground and explanation, and when it ended (null while it lasts).</summary>
public sealed record ClockStop(ClockStopGround Ground, string Explanation, DateTimeOffset StoppedAt, DateTimeOffset? ResumedAt = null);

/// <summary>
/// The clock of a TCO removal order (EU Regulation 2021/784, Art 3(3)): the content must be removed or disabled within
/// one hour of the order's receipt; stops on Annex III grounds (Art 3(7), 3(8)) suspend it until they end. Pure: the
/// times come from the record, "now" from the caller.
/// </summary>
/// <param name="ReceivedAt">When the order was received: the clock starts here.</param>
/// <param name="Stops">The stops, in order; at most the last one may still last.</param>
/// <param name="Restart">How the clock goes on after a stop.</param>
public sealed record OrderClock(DateTimeOffset ReceivedAt, IReadOnlyList<ClockStop> Stops, ClockRestart Restart = ClockRestart.FullPeriod)
{
    /// <summary>Art 3(3): one hour.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromHours(1);

    /// <summary>Whether a stop lasts now (no deadline runs).</summary>
    public bool IsStopped => Stops.Count > 0 && Stops[^1].ResumedAt is null;

    /// <summary>When the content must be removed by; null while the clock is stopped.</summary>
    public DateTimeOffset? Deadline
    {
        get
        {
            if (IsStopped)
            {
                return null;
            }

            if (Restart == ClockRestart.FullPeriod)
            {
                return (Stops.Count == 0 ? ReceivedAt : Stops[^1].ResumedAt!.Value) + Period;
            }

            var stopped = Stops.Aggregate(TimeSpan.Zero, (sum, stop) => sum + (stop.ResumedAt!.Value - stop.StoppedAt));
            return ReceivedAt + Period + stopped;
        }
    }

    /// <summary>The time left at <paramref name="now"/> (negative once the deadline passed); null while stopped.</summary>
    public TimeSpan? Left(DateTimeOffset now) => Deadline is { } deadline ? deadline - now : null;

    /// <summary>Whether the deadline was missed: the content was removed after it (<paramref name="actedAt"/>), or is
    /// still up after it at <paramref name="now"/>.</summary>
    public bool IsBreached(DateTimeOffset now, DateTimeOffset? actedAt) =>
        Deadline is { } deadline && (actedAt ?? now) > deadline;

    /// <summary>When to warn: at each of <paramref name="elapsed"/> (default 30 and 50 minutes) into the running hour.</summary>
    public IReadOnlyList<DateTimeOffset> WarningTimes(IReadOnlyList<TimeSpan>? elapsed = null) =>
        Deadline is { } deadline
            ? [.. (elapsed ?? [TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(50)]).Where(e => e < Period).Select(e => deadline - Period + e)]
            : [];

    /// <summary>Stops the clock at <paramref name="at"/>.</summary>
    /// <exception cref="InvalidOperationException">It is stopped already.</exception>
    public OrderClock Stop(ClockStopGround ground, string explanation, DateTimeOffset at) =>
        IsStopped ? throw new InvalidOperationException("The clock is stopped already.") : this with { Stops = [.. Stops, new ClockStop(ground, explanation, at)] };

    /// <summary>Restarts the clock at <paramref name="at"/> (the grounds ceased, or the clarification arrived).</summary>
    /// <exception cref="InvalidOperationException">It is not stopped.</exception>
    public OrderClock Resume(DateTimeOffset at) =>
        !IsStopped ? throw new InvalidOperationException("The clock is not stopped.") : this with { Stops = [.. Stops.Take(Stops.Count - 1), Stops[^1] with { ResumedAt = at }] };
}
