using Vigil.Core;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Content_is_stored_with_its_result_and_parts()
    {
        var part = new NewPart("image", "image", "image/png", new string('a', 64), new byte[] { 1, 2, 3 }, Name: "upload");
        var stored = await WriteAsync(unit => unit.Content.InsertAsync(Content("new release", parts: [part]), Clock.GetUtcNow(), None));
        Assert.True(stored.Id > 0);

        var item = await Store.Content.GetAsync(stored.Id, None);
        Assert.NotNull(item);
        Assert.Equal(("new release", """{"channel":"general"}""", "post-1", "author-1"), (item.Text, item.MetadataJson, item.PlatformContentId, item.AuthorId));
        Assert.Equal(Clock.GetUtcNow(), item.ReceivedAt);
        Assert.Equal(VerdictKind.Review, item.Result.Verdict.Kind);
        Assert.Equal(["terrorism.propaganda"], item.Result.Verdict.Labels);
        Assert.Equal(3, item.Result.Verdict.Evidence[0].End);
        Assert.Equal(("policy-1", ModerationAction.Review), (item.Result.Verdict.PolicyVersion, item.Result.Action));
        Assert.Equal("tvec", item.Result.Signals[1].Bank);
        var stored1 = Assert.Single(item.Parts);
        Assert.Equal(new StoredPart("image", "image", "image/png", new string('a', 64), 3, null, "upload"), stored1);
        Assert.Equal(3, item.Image!.Length);

        var bytes = await Store.Content.GetPartAsync(stored.Id, "image", None);
        Assert.Equal(new byte[] { 1, 2, 3 }, bytes!.Value.Bytes);
        Assert.Null(await Store.Content.GetPartAsync(stored.Id, "other", None));
        Assert.Null(await Store.Content.GetAsync(stored.Id + 1000, None));
    }

    [Fact]
    public async Task An_item_may_have_several_parts_and_none()
    {
        var parts = new[]
        {
            new NewPart("image", "image", "image/jpeg", new string('b', 64), new byte[] { 9 }),
            new NewPart("image2", "image", "image/png", new string('c', 64), new byte[] { 8, 7 }, Name: "upload 2"),
        };
        var two = await WriteAsync(unit => unit.Content.InsertAsync(Content("two images", parts: parts), Clock.GetUtcNow(), None));
        var none = await WriteAsync(unit => unit.Content.InsertAsync(Content("text only", VerdictKind.Clear), Clock.GetUtcNow(), None));

        Assert.Equal(["image", "image2"], (await Store.Content.GetAsync(two.Id, None))!.Parts.Select(p => p.Id));
        Assert.Equal(new byte[] { 8, 7 }, (await Store.Content.GetPartAsync(two.Id, "image2", None))!.Value.Bytes);
        var text = (await Store.Content.GetAsync(none.Id, None))!;
        Assert.Empty(text.Parts);
        Assert.Null(text.Image);
    }

    [Fact]
    public async Task An_authors_items_list_newest_first()
    {
        long first = (await WriteAsync(unit => unit.Content.InsertAsync(Content("one"), Clock.GetUtcNow(), None))).Id;
        Clock.Advance(TimeSpan.FromMinutes(1));
        long second = (await WriteAsync(unit => unit.Content.InsertAsync(Content("two"), Clock.GetUtcNow(), None))).Id;
        await WriteAsync(unit => unit.Content.InsertAsync(Content("other", author: "author-2"), Clock.GetUtcNow(), None));

        Assert.Equal([second, first], (await Store.Content.ListByAuthorAsync("author-1", null, 10, None)).Select(i => i.Id));
        Assert.Equal([first], (await Store.Content.ListByAuthorAsync("author-1", second, 10, None)).Select(i => i.Id));
    }

    [Fact]
    public async Task A_unit_of_work_that_is_not_committed_leaves_nothing()
    {
        long id;
        await using (var unit = await Store.BeginAsync(None))
        {
            id = (await unit.Content.InsertAsync(Content("rolled back"), Clock.GetUtcNow(), None)).Id;
            Assert.NotNull(await unit.Content.GetAsync(id, None)); // a unit sees its own writes
        }

        Assert.Null(await Store.Content.GetAsync(id, None));
        var kept = await WriteAsync(unit => unit.Content.InsertAsync(Content("kept"), Clock.GetUtcNow(), None));
        Assert.Equal("kept", (await Store.Content.GetAsync(kept.Id, None))!.Text);
    }

    [Fact]
    public async Task A_case_read_for_update_is_locked_until_its_unit_of_work_ends()
    {
        var opened = await OpenCaseAsync();
        var first = await Store.BeginAsync(None);
        var locked = await first.Cases.GetForUpdateAsync(opened.Id, None);
        var second = Task.Run(async () =>
        {
            await using var unit = await Store.BeginAsync(None);
            var current = (await unit.Cases.GetForUpdateAsync(opened.Id, None))!;
            var updated = await unit.Cases.UpdateAsync(CaseUpdate.Of(current) with { Priority = current.Priority + 1 }, None);
            await unit.CommitAsync(None);
            return updated.Priority;
        });
        await Task.Delay(300);
        Assert.False(second.IsCompleted); // the second waits for the first
        await first.Cases.UpdateAsync(CaseUpdate.Of(locked!) with { Priority = 90 }, None);
        await first.CommitAsync(None);
        await first.DisposeAsync();
        Assert.Equal(91, await second.WaitAsync(TimeSpan.FromSeconds(30))); // and then sees its write
    }

    [Fact]
    public async Task Committed_writes_are_there_after_reopening()
    {
        var item = await WriteAsync(unit => unit.Content.InsertAsync(Content("kept"), Clock.GetUtcNow(), None));
        await Store.DisposeAsync();
        Store = await ReopenStoreAsync(Clock);
        Assert.Equal("kept", (await Store.Content.GetAsync(item.Id, None))!.Text);
    }

    [Fact]
    public void Every_migration_is_applied_in_order()
    {
        Assert.Equal(ExpectedMigrations, Store.AppliedMigrations);
        Assert.Equal(ExpectedMigrations.Order(StringComparer.Ordinal), ExpectedMigrations);
    }
}
