using Vigil.Core.Content;

namespace Vigil.Core.Tests;

public sealed class WorkGateTests
{
    [Fact]
    public async Task Work_past_the_capacity_waits_for_a_free_slot()
    {
        using var gate = new WorkGate("image decodes", 1, TimeSpan.FromMinutes(5));
        var first = await gate.EnterAsync();
        var second = gate.EnterAsync().AsTask();
        Assert.False(second.IsCompleted);
        Assert.Equal((1, 1), (gate.Running, gate.Waiting));

        first.Dispose();
        using var entered = await second; // the freed slot goes to the waiting work
        Assert.Equal((1, 0), (gate.Running, gate.Waiting));
        first.Dispose(); // a slot is given back once
        Assert.Equal(1, gate.Running);
    }

    [Fact]
    public async Task Past_its_longest_wait_work_is_refused_as_busy_with_when_to_retry()
    {
        using var gate = new WorkGate("OCR processes", 2, TimeSpan.FromMilliseconds(20));
        using var one = await gate.EnterAsync();
        using var two = await gate.EnterAsync();
        var busy = await Assert.ThrowsAsync<BusyException>(async () => await gate.EnterAsync());
        Assert.Equal("OCR processes", busy.Work);
        Assert.Equal(TimeSpan.FromSeconds(1), busy.RetryAfter); // at least a second
        Assert.Contains("2 OCR processes already running", busy.Message, StringComparison.Ordinal);
        Assert.Equal((2, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public async Task A_cancelled_wait_takes_no_slot()
    {
        using var gate = new WorkGate("image decodes", 1, TimeSpan.FromMinutes(5));
        using var held = await gate.EnterAsync();
        using var cancel = new CancellationTokenSource();
        var waiting = gate.EnterAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal((1, 0), (gate.Running, gate.Waiting));
    }

    [Fact]
    public void The_retry_hint_is_the_longest_wait_in_whole_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new BusyException("image decodes", 4, TimeSpan.FromSeconds(9.2)).RetryAfter);
    }
}
