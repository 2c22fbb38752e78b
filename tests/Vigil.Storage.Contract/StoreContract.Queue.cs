using Vigil.Core;
using Vigil.Storage.Content;

namespace Vigil.Storage.Contract;

/// <summary>Content stored before it is assessed (the work queue's path) and idempotent ingestion.</summary>
public abstract partial class StoreContract
{
    [Fact]
    public async Task A_pending_item_has_no_result_until_one_is_stored_once()
    {
        var part = new NewPart("image", "image", "image/png", new string('d', 64), new byte[] { 4, 5 });
        var pending = await WriteAsync(unit => unit.Content.InsertAsync(Content("queued", parts: [part]) with { Result = null }, Clock.GetUtcNow(), None));
        var read = (await Store.Content.GetAsync(pending.Id, None))!;
        Assert.True(read.Pending);
        Assert.Null(read.Assessment);
        Assert.Throws<InvalidOperationException>(() => read.Result);
        Assert.Equal(new byte[] { 4, 5 }, (await Store.Content.GetPartAsync(pending.Id, "image", None))!.Value.Bytes);
        Assert.Equal(1, await Store.Content.CountPendingAsync(None));
        Assert.Empty(await Store.Content.ListByAuthorAsync("author-1", null, 10, None)); // only assessed items are listed

        var result = Content("x", VerdictKind.Review).Result!;
        Assert.True(await WriteAsync(unit => unit.Content.CompleteAsync(pending.Id, result, None)));
        Assert.False(await WriteAsync(unit => unit.Content.CompleteAsync(pending.Id, Content("x", VerdictKind.Clear).Result!, None))); // a second worker changes nothing
        Assert.False(await WriteAsync(unit => unit.Content.CompleteAsync(pending.Id + 1000, result, None)));

        var assessed = (await Store.Content.GetAsync(pending.Id, None))!;
        Assert.False(assessed.Pending);
        Assert.Equal(VerdictKind.Review, assessed.Result.Verdict.Kind);
        Assert.Equal("queued", assessed.Text);
        Assert.Equal(0, await Store.Content.CountPendingAsync(None));
        Assert.Single(await Store.Content.ListByAuthorAsync("author-1", null, 10, None));
    }

    [Fact]
    public async Task A_pending_item_that_could_not_be_queued_is_removed_with_its_parts_and_an_assessed_one_never()
    {
        var part = new NewPart("image", "image", "image/png", new string('e', 64), new byte[] { 6 });
        var pending = await WriteAsync(unit => unit.Content.InsertAsync(Content("queued", parts: [part]) with { Result = null }, Clock.GetUtcNow(), None));
        var assessed = await WriteAsync(unit => unit.Content.InsertAsync(Content("assessed"), Clock.GetUtcNow(), None));

        Assert.True(await WriteAsync(unit => unit.Content.RemovePendingAsync(pending.Id, None)));
        Assert.Null(await Store.Content.GetAsync(pending.Id, None));
        Assert.Null(await Store.Content.GetPartAsync(pending.Id, "image", None));
        Assert.False(await WriteAsync(unit => unit.Content.RemovePendingAsync(assessed.Id, None)));
        Assert.NotNull(await Store.Content.GetAsync(assessed.Id, None));
    }

    [Fact]
    public async Task Ingestion_is_idempotent_on_its_key()
    {
        var first = await WriteAsync(unit => unit.Content.InsertOrGetAsync(Content("one") with { Result = null, IdempotencyKey = "platform:post-9" }, Clock.GetUtcNow(), None));
        var again = await WriteAsync(unit => unit.Content.InsertOrGetAsync(Content("one, again") with { IdempotencyKey = "platform:post-9" }, Clock.GetUtcNow(), None));
        var other = await WriteAsync(unit => unit.Content.InsertOrGetAsync(Content("two") with { IdempotencyKey = "platform:post-10" }, Clock.GetUtcNow(), None));
        var unkeyed = await WriteAsync(unit => unit.Content.InsertOrGetAsync(Content("three"), Clock.GetUtcNow(), None));

        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(first.Item.Id, again.Item.Id);
        Assert.Equal("one", again.Item.Text); // the first item, unchanged
        Assert.True(again.Item.Pending);
        Assert.True(other.Created && unkeyed.Created);
        Assert.NotEqual(first.Item.Id, other.Item.Id);
        Assert.Equal(first.Item.Id, (await Store.Content.FindByIdempotencyKeyAsync("platform:post-9", None))!.Id);
        Assert.Equal("platform:post-9", (await Store.Content.GetAsync(first.Item.Id, None))!.IdempotencyKey);
        Assert.Null(await Store.Content.FindByIdempotencyKeyAsync("platform:post-11", None));
    }

    [Fact]
    public async Task Concurrent_submissions_of_one_key_store_one_item()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            WriteAsync(unit => unit.Content.InsertOrGetAsync(Content($"copy {i}") with { IdempotencyKey = "key:same" }, Clock.GetUtcNow(), None)))));
        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Item.Id).Distinct());
    }
}
