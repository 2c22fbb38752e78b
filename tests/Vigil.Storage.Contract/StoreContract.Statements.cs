using Vigil.Storage.Compliance;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    private async Task<StoredStatement> InsertStatementAsync(string puid, long contentId, DateTimeOffset? discloseAt = null) =>
        await WriteAsync(unit => unit.Statements.InsertAsync(new NewStatement(puid, null, contentId, $$"""{"puid":"{{puid}}"}""", Clock.GetUtcNow(), discloseAt), None));

    [Fact]
    public async Task Statements_read_back_by_PUID_content_and_time_and_a_PUID_is_unique()
    {
        var opened = await OpenCaseAsync();
        var first = await InsertStatementAsync("vigil-d1", opened.ContentId);
        Assert.Equal(("vigil-d1", opened.ContentId, Clock.GetUtcNow(), (string?)null), (first.Puid, first.ContentId, first.CreatedAt, first.SubmissionStatus));
        Assert.Equal("""{"puid":"vigil-d1"}""", first.Json);
        Clock.Advance(TimeSpan.FromDays(1));
        var second = await InsertStatementAsync("vigil-d2", opened.ContentId);

        Assert.Equal(first, await Store.Statements.GetByPuidAsync("vigil-d1", None));
        Assert.Null(await Store.Statements.GetByPuidAsync("vigil-d3", None));
        Assert.Equal(["vigil-d1", "vigil-d2"], (await Store.Statements.ListByContentAsync(opened.ContentId, None)).Select(s => s.Puid));
        Assert.Equal(["vigil-d2"], (await Store.Statements.ListAsync(new StatementQuery(From: second.CreatedAt), None)).Select(s => s.Puid));
        Assert.Equal(["vigil-d1"], (await Store.Statements.ListAsync(new StatementQuery(To: second.CreatedAt), None)).Select(s => s.Puid));
        Assert.Equal(["vigil-d2"], (await Store.Statements.ListAsync(new StatementQuery(AfterId: first.Id), None)).Select(s => s.Puid));
        Assert.Equal(["vigil-d1"], (await Store.Statements.ListAsync(new StatementQuery(Limit: 1), None)).Select(s => s.Puid));

        await Assert.ThrowsAnyAsync<Exception>(() => InsertStatementAsync("vigil-d1", opened.ContentId));
        Assert.Equal(2, (await Store.Statements.ListAsync(new StatementQuery(), None)).Count);
    }

    [Fact]
    public async Task A_statements_disclosure_and_submission_are_recorded()
    {
        var opened = await OpenCaseAsync();
        var now = await InsertStatementAsync("vigil-d1", opened.ContentId);
        var later = await InsertStatementAsync("vigil-d2", opened.ContentId, Clock.GetUtcNow().AddDays(7));
        Assert.Equal(["vigil-d1"], (await Store.Statements.ListDisclosureDueAsync(Clock.GetUtcNow(), 10, None)).Select(s => s.Puid));
        Assert.Equal(["vigil-d1", "vigil-d2"], (await Store.Statements.ListDisclosureDueAsync(Clock.GetUtcNow().AddDays(7), 10, None)).Select(s => s.Puid));
        await WriteAsync(async unit =>
        {
            await unit.Statements.MarkDisclosedAsync(now.Id, Clock.GetUtcNow(), None);
            return 0;
        });
        Assert.Equal(Clock.GetUtcNow(), (await Store.Statements.GetByPuidAsync("vigil-d1", None))!.DisclosedAt);
        Assert.Equal(["vigil-d2"], (await Store.Statements.ListDisclosureDueAsync(Clock.GetUtcNow().AddDays(7), 10, None)).Select(s => s.Puid));

        await WriteAsync(async unit =>
        {
            await unit.Statements.RecordSubmissionAsync("vigil-d1", "submitted", Clock.GetUtcNow(), null, None);
            await unit.Statements.RecordSubmissionAsync("vigil-d2", "rejected", Clock.GetUtcNow(), "decision_facts: is required", None);
            return 0;
        });
        var rejected = (await Store.Statements.GetByPuidAsync(later.Puid, None))!;
        Assert.Equal(("rejected", "decision_facts: is required", Clock.GetUtcNow()), (rejected.SubmissionStatus, rejected.SubmissionError, rejected.SubmittedAt));
        Assert.Equal(["vigil-d2"], (await Store.Statements.ListAsync(new StatementQuery(Unsubmitted: true), None)).Select(s => s.Puid));
    }
}
