using Vigil.Core.Compliance;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task A_removal_order_keeps_its_targets_document_stops_and_state()
    {
        var now = Clock.GetUtcNow();
        var item = await WriteAsync(unit => unit.Content.InsertAsync(Content("a"), now, None));
        Assert.Equal(item.Id, await Store.Compliance.FindContentAsync("post-1", None));
        Assert.Equal(item.Id, await Store.Compliance.FindContentAsync("https://example.test/p/1", None));
        Assert.Null(await Store.Compliance.FindContentAsync("post-404", None));

        byte[] pdf = "%PDF-1.4 test"u8.ToArray();
        var order = await WriteAsync(unit => unit.Compliance.InsertOrderAsync(
            new NewRemovalOrder(
                new OrderDetails("FR-2026-17", "FR", "OCLCTIC", "contact@example.test", now.AddMinutes(-5), now, ["incitement", "glorification"], now.AddDays(42)),
                [new OrderTarget("post-1", item.Id), new OrderTarget("https://example.test/unknown", null)],
                new OrderDocument("application/pdf", "abc123", pdf.Length, "order.pdf"), pdf, "user:cleo", now),
            None));
        Assert.Equal(("FR-2026-17", "FR", now, now.AddDays(42)), (order.Details.Reference, order.Details.MemberState, order.Details.ReceivedAt, order.Details.DisclosureWithheldUntil));
        Assert.Equal(["incitement", "glorification"], order.Details.Reasons);
        Assert.Equal([new OrderTarget("post-1", item.Id), new OrderTarget("https://example.test/unknown", null)], order.Targets);
        Assert.Equal(new OrderDocument("application/pdf", "abc123", pdf.Length, "order.pdf"), order.Document);
        Assert.Equal(pdf, (await Store.Compliance.GetOrderDocumentAsync(order.Id, None))!.Value.Bytes);
        Assert.Empty(order.Stops);
        Assert.False(order.Executed);

        var stop = new ClockStop(ClockStopGround.InsufficientInformation, "the URL is cut off", now.AddMinutes(20), now.AddHours(3));
        var updated = await WriteAsync(async unit =>
        {
            var locked = (await unit.Compliance.GetOrderForUpdateAsync(order.Id, None))!;
            return await unit.Compliance.UpdateOrderAsync(
                RemovalOrderUpdate.Of(locked) with
                {
                    Targets = [locked.Targets[0] with { RemovedAt = now.AddHours(3.5) }, locked.Targets[1]],
                    Stops = [stop],
                    WarningsSent = [TimeSpan.FromMinutes(30)],
                    ExecutedAt = now.AddHours(3.5),
                    ExecutedBy = "user:cleo",
                },
                None);
        });
        Assert.Equal([stop], updated.Stops);
        Assert.Equal([TimeSpan.FromMinutes(30)], updated.WarningsSent);
        Assert.Equal((now.AddHours(3.5), "user:cleo", (DateTimeOffset?)null), (updated.ExecutedAt, updated.ExecutedBy, updated.BreachedAt));
        Assert.Equal(now.AddHours(3.5), updated.Targets[0].RemovedAt);
        Assert.Equal(updated, (await Store.Compliance.GetOrderAsync(order.Id, None))!, new OrderComparer());

        Assert.Empty(await Store.Compliance.ListOrdersAsync(openOnly: true, 10, None));
        Assert.Single(await Store.Compliance.ListOrdersAsync(openOnly: false, 10, None));
        Assert.Equal(1, await Store.Compliance.CountOrdersReceivedSinceAsync(now, None));
        Assert.Equal(0, await Store.Compliance.CountOrdersReceivedSinceAsync(now.AddMilliseconds(1), None));
        Assert.Null(await Store.Compliance.GetOrderAsync(999, None));
    }

    [Fact]
    public async Task Orders_are_found_by_their_case_and_listed_by_the_time_received()
    {
        var now = Clock.GetUtcNow();
        var first = await OpenCaseAsync("a", queue: "order", priority: 100);
        var second = await OpenCaseAsync("b", queue: "order", priority: 100);
        var other = await OpenCaseAsync("c");
        NewRemovalOrder Order(string reference, DateTimeOffset received, params OrderTarget[] targets) =>
            new(new OrderDetails(reference, "FR", "OCLCTIC", null, received.AddMinutes(-5), received, ["threat"], null), targets, null, ReadOnlyMemory<byte>.Empty, "user:cleo", received);

        var early = await WriteAsync(unit => unit.Compliance.InsertOrderAsync(Order("FR-1", now.AddDays(-40), new OrderTarget("post-9", null)), None));
        var march = await WriteAsync(unit => unit.Compliance.InsertOrderAsync(
            Order("FR-2", now, new OrderTarget("post-1", first.ContentId, first.Id), new OrderTarget("x", null), new OrderTarget("post-2", second.ContentId, second.Id)), None));
        var later = await WriteAsync(unit => unit.Compliance.InsertOrderAsync(Order("DE-3", now.AddDays(1), new OrderTarget("post-9", null)), None));

        Assert.Equal(march.Id, (await Store.Compliance.GetOrderByCaseAsync(first.Id, None))!.Id);
        Assert.Equal("FR-2", (await Store.Compliance.GetOrderByCaseAsync(second.Id, None))!.Details.Reference);
        Assert.Null(await Store.Compliance.GetOrderByCaseAsync(other.Id, None));
        Assert.Null(await Store.Compliance.GetOrderByCaseAsync(999, None));

        Assert.Equal([early.Id, march.Id, later.Id], (await Store.Compliance.ListOrdersReceivedAsync(now.AddDays(-41), now.AddDays(2), None)).Select(o => o.Id));
        var range = await Store.Compliance.ListOrdersReceivedAsync(now, now.AddDays(1), None);
        Assert.Equal([march.Id], range.Select(o => o.Id)); // [from, to): the order received at `to` is not in it
        Assert.Equal(3, range[0].Targets.Count);
        Assert.Empty(await Store.Compliance.ListOrdersReceivedAsync(now.AddDays(2), now.AddDays(3), None));
    }

    [Fact]
    public async Task Preservation_holds_and_purging_keep_hashes_and_results()
    {
        var now = Clock.GetUtcNow();
        var png = new NewPart("image", "image", "image/png", "feed", new byte[] { 1, 2, 3 });
        var item = await WriteAsync(unit => unit.Content.InsertAsync(Content("removed text", parts: [png]), now, None));
        var kept = await WriteAsync(unit => unit.Content.InsertAsync(Content("kept text"), now, None));

        Assert.True(await WriteAsync(unit => unit.Compliance.InsertPreservationAsync(new NewPreservation(item.Id, "removal_order", "FR-1", now, now.AddMonths(6)), None)));
        Assert.False(await WriteAsync(unit => unit.Compliance.InsertPreservationAsync(new NewPreservation(item.Id, "decision", "7", now, now.AddMonths(7)), None)));
        var hold = await WriteAsync(unit => unit.Compliance.InsertHoldAsync(new PreservationHold(0, item.Id, "authority request", now.AddMonths(9), "user:cleo", now), None));
        Assert.True(hold.Id > 0);
        Assert.True(await WriteAsync(unit => unit.Compliance.UpdateHoldAsync(hold with { HoldUntil = now.AddMonths(12), ReleasedBy = "user:cleo", ReleasedAt = now.AddDays(1) }, None)));

        var preservation = (await Store.Compliance.GetPreservationAsync(item.Id, None))!;
        Assert.Equal(("removal_order", "FR-1", now.AddMonths(6), (DateTimeOffset?)null), (preservation.Basis, preservation.Reference, preservation.PreserveUntil, preservation.PurgedAt));
        var stored = Assert.Single(preservation.Holds);
        Assert.Equal((now.AddMonths(12), "user:cleo", now.AddDays(1)), (stored.HoldUntil, stored.ReleasedBy, stored.ReleasedAt!.Value));
        Assert.Null(await Store.Compliance.GetPreservationAsync(kept.Id, None));

        // Retention candidates: items no preservation covers, received before the cut-off.
        Assert.Empty(await Store.Compliance.ListRetentionCandidatesAsync(now, 10, None));
        Assert.Equal([kept.Id], (await Store.Compliance.ListRetentionCandidatesAsync(now.AddMilliseconds(1), 10, None)).Select(c => c.ContentId));

        Assert.True(await WriteAsync(unit => unit.Compliance.PurgeContentAsync(item.Id, now.AddMonths(12), None)));
        Assert.False(await WriteAsync(unit => unit.Compliance.PurgeContentAsync(item.Id, now.AddMonths(13), None)));
        Assert.False(await WriteAsync(unit => unit.Compliance.PurgeContentAsync(999, now, None)));
        var purged = (await Store.Content.GetAsync(item.Id, None))!;
        Assert.Equal(((string?)null, (string?)null), (purged.Text, purged.MetadataJson));
        Assert.Equal(item.Result.Verdict.Labels, purged.Result.Verdict.Labels);
        Assert.Equal("feed", Assert.Single(purged.Parts).Sha256);
        Assert.Empty((await Store.Content.GetPartAsync(item.Id, "image", None))!.Value.Bytes);
        Assert.Equal(now.AddMonths(12), await Store.Compliance.GetPurgedAtAsync(item.Id, None));
        Assert.Equal(now.AddMonths(12), (await Store.Compliance.GetPreservationAsync(item.Id, None))!.PurgedAt);
        Assert.Empty(await Store.Compliance.ListPreservationsAsync(unpurgedOnly: true, 10, None));
        Assert.Single(await Store.Compliance.ListPreservationsAsync(unpurgedOnly: false, 10, None));
        Assert.Equal("kept text", (await Store.Content.GetAsync(kept.Id, None))!.Text);
        Assert.Null(await Store.Compliance.GetPurgedAtAsync(kept.Id, None));
    }

    /// <summary>Orders compared field by field (lists by their items).</summary>
    private sealed class OrderComparer : IEqualityComparer<RemovalOrder>
    {
        public bool Equals(RemovalOrder? x, RemovalOrder? y) =>
            x is not null && y is not null
            && Bare(x) == Bare(y)
            && x.Details.Reasons.SequenceEqual(y.Details.Reasons) && x.Targets.SequenceEqual(y.Targets) && x.Stops.SequenceEqual(y.Stops) && x.WarningsSent.SequenceEqual(y.WarningsSent);

        public int GetHashCode(RemovalOrder obj) => obj.Id.GetHashCode();

        private static RemovalOrder Bare(RemovalOrder order) =>
            order with
            {
                Details = order.Details with { Reasons = Array.Empty<string>() },
                Targets = Array.Empty<OrderTarget>(),
                Stops = Array.Empty<ClockStop>(),
                WarningsSent = Array.Empty<TimeSpan>(),
            };
    }
}
