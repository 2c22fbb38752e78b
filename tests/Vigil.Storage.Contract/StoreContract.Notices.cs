using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Notices_and_complaints_read_back_as_stored_with_their_outcomes()
    {
        var opened = await OpenCaseAsync();
        var notice = await WriteAsync(unit => unit.Notices.InsertNoticeAsync(
            new NewNotice(opened.ContentId, opened.Id, "https://example.test/p/1", "It supports a proscribed group.", "terrorism.support", "N. O.", "n@example.org", true, true, Clock.GetUtcNow(), "key:1"), None));
        Assert.Equal(
            (opened.ContentId, (long?)opened.Id, "https://example.test/p/1", "terrorism.support", "N. O.", "n@example.org", true, true, Clock.GetUtcNow(), (long?)null),
            (notice.ContentId, notice.CaseId, notice.Location, notice.Category, notice.NotifierName, notice.NotifierEmail, notice.GoodFaith, notice.TrustedFlagger, notice.ReceivedAt, notice.DecisionId));
        Assert.Equal(notice, await Store.Notices.GetNoticeAsync(notice.Id, None));
        Assert.Equal([notice.Id], (await Store.Notices.ListNoticesByContentAsync(opened.ContentId, None)).Select(n => n.Id));
        Assert.Single(await Store.Notices.ListNoticesAsync(Clock.GetUtcNow(), Clock.GetUtcNow().AddTicks(10_000), None));
        Assert.Empty(await Store.Notices.ListNoticesAsync(Clock.GetUtcNow().AddMinutes(1), Clock.GetUtcNow().AddMinutes(2), None));

        var decision = await WriteAsync(unit => unit.Cases.InsertDecisionAsync(new NewDecision(opened.Id, opened.ContentId, ReviewDecision.Remove, "r", "user:ann", Clock.GetUtcNow(), "policy-1"), None));
        Assert.Equal(decision, await Store.Cases.GetDecisionAsync(decision.Id, None));
        Assert.Null(await Store.Cases.GetDecisionAsync(decision.Id + 100, None));
        Assert.Equal([decision.Id], (await Store.Cases.ListDecisionsAsync(Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(1), None)).Select(d => d.Id));
        await WriteAsync(async unit =>
        {
            await unit.Notices.MarkNoticeDecidedAsync(notice.Id, decision.Id, Clock.GetUtcNow(), None);
            return 0;
        });
        Assert.Equal(((long?)decision.Id, (DateTimeOffset?)Clock.GetUtcNow()), ((await Store.Notices.GetNoticeAsync(notice.Id, None))!.DecisionId, (await Store.Notices.GetNoticeAsync(notice.Id, None))!.DecidedAt));

        var appeal = await WriteAsync(unit => unit.Cases.InsertAsync(TestContent.CaseFor(opened.ContentId, Clock.GetUtcNow(), "appeals"), None));
        var complaint = await WriteAsync(unit => unit.Notices.InsertComplaintAsync(
            new NewComplaint(decision.Id, opened.ContentId, appeal.Id, "uploader", "It was news.", "user:ann", Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(14), "key:1"), None));
        Assert.Equal(complaint, await Store.Notices.GetComplaintAsync(complaint.Id, None));
        Assert.Equal(("uploader", "user:ann", Clock.GetUtcNow().AddDays(14), (string?)null), (complaint.Complainant, complaint.OriginalDecider, complaint.DeadlineAt, complaint.Outcome));
        Assert.Equal([complaint.Id], (await Store.Notices.ListComplaintsByDecisionAsync(decision.Id, None)).Select(c => c.Id));
        Assert.Single(await Store.Notices.ListComplaintsAsync(Clock.GetUtcNow(), Clock.GetUtcNow().AddDays(1), None));
        await WriteAsync(async unit =>
        {
            await unit.Notices.DecideComplaintAsync(complaint.Id, "reversed", "user:bob", Clock.GetUtcNow(), None);
            return 0;
        });
        var decided = (await Store.Notices.GetComplaintAsync(complaint.Id, None))!;
        Assert.Equal(("reversed", "user:bob", (DateTimeOffset?)Clock.GetUtcNow()), (decided.Outcome, decided.DecidedBy, decided.DecidedAt));

        Assert.Equal(opened.ContentId, (await Store.Content.FindByPlatformIdAsync("post-1", None))!.Id);
        Assert.Null(await Store.Content.FindByPlatformIdAsync("post-x", None));
    }
}
