using Vigil.Core.Compliance;

namespace Vigil.Core.Tests;

public sealed class OrderClockTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_order_must_be_executed_within_an_hour_of_receipt()
    {
        var clock = new OrderClock(T, []);
        Assert.Equal(T.AddHours(1), clock.Deadline);
        Assert.Equal(TimeSpan.FromMinutes(15), clock.Left(T.AddMinutes(45)));
        Assert.False(clock.IsBreached(T.AddMinutes(59), actedAt: null));
        Assert.True(clock.IsBreached(T.AddMinutes(61), actedAt: null));
        Assert.False(clock.IsBreached(T.AddDays(1), actedAt: T.AddMinutes(59)));
        Assert.True(clock.IsBreached(T.AddDays(1), actedAt: T.AddMinutes(60).AddSeconds(1)));
        Assert.Equal([T.AddMinutes(30), T.AddMinutes(50)], clock.WarningTimes());
    }

    [Fact]
    public void A_stop_suspends_it_and_the_whole_hour_runs_again_from_the_restart()
    {
        var stopped = new OrderClock(T, []).Stop(ClockStopGround.InsufficientInformation, "the URL list is cut off", T.AddMinutes(20));
        Assert.True(stopped.IsStopped);
        Assert.Null(stopped.Deadline);
        Assert.False(stopped.IsBreached(T.AddHours(2), actedAt: null));
        Assert.Empty(stopped.WarningTimes());
        Assert.Throws<InvalidOperationException>(() => stopped.Stop(ClockStopGround.ForceMajeure, "again", T.AddMinutes(30)));

        var resumed = stopped.Resume(T.AddHours(3));
        Assert.Equal(T.AddHours(4), resumed.Deadline); // Art 3(8): the deadline starts to run when the clarification arrives
        Assert.Equal([T.AddHours(3).AddMinutes(30), T.AddHours(3).AddMinutes(50)], resumed.WarningTimes());
        Assert.Throws<InvalidOperationException>(() => resumed.Resume(T.AddHours(4)));
    }

    [Fact]
    public void Counting_only_what_was_left_puts_the_deadline_forty_minutes_after_the_restart()
    {
        var clock = new OrderClock(T, [], ClockRestart.Remaining)
            .Stop(ClockStopGround.ForceMajeure, "data centre outage", T.AddMinutes(20))
            .Resume(T.AddHours(3));
        Assert.Equal(T.AddHours(3).AddMinutes(40), clock.Deadline);

        var twice = clock.Stop(ClockStopGround.ManifestErrors, "wrong content id", T.AddHours(3).AddMinutes(10)).Resume(T.AddHours(4));
        Assert.Equal(T.AddHours(4).AddMinutes(30), twice.Deadline); // 20 + 10 minutes ran before, 30 are left
    }
}
