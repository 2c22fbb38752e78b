using Vigil.Core;
using Vigil.Moderation.Cases;
using Vigil.Storage.Cases;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Cases_list_by_priority_and_filter_by_queue_label_language_and_age()
    {
        await OpenCaseAsync("a", priority: 40);
        Clock.Advance(TimeSpan.FromHours(2));
        await OpenCaseAsync("b", priority: 90, labels: ["hate"]);
        await OpenCaseAsync("c", queue: "escalation", priority: 60, threat: true);

        Assert.Equal([90, 60, 40], (await Store.Cases.ListAsync(new CaseQuery(), None)).Select(c => c.Priority));
        Assert.Equal([90, 40], (await Store.Cases.ListAsync(new CaseQuery(Queue: "default"), None)).Select(c => c.Priority));
        Assert.Equal([90], (await Store.Cases.ListAsync(new CaseQuery(Label: "hate"), None)).Select(c => c.Priority));
        Assert.Equal([90, 60, 40], (await Store.Cases.ListAsync(new CaseQuery(Language: "en"), None)).Select(c => c.Priority));
        Assert.Empty(await Store.Cases.ListAsync(new CaseQuery(Language: "de"), None));
        Assert.Empty(await Store.Cases.ListAsync(new CaseQuery(Language: "unknown"), None));
        Assert.Equal([40], (await Store.Cases.ListAsync(new CaseQuery(OpenedBefore: Clock.GetUtcNow() - TimeSpan.FromHours(1)), None)).Select(c => c.Priority));
        Assert.Equal([90, 60], (await Store.Cases.ListAsync(new CaseQuery(OpenedAfter: Clock.GetUtcNow() - TimeSpan.FromHours(1)), None)).Select(c => c.Priority));
        Assert.Equal([60], (await Store.Cases.ListAsync(new CaseQuery(Limit: 1, Offset: 1), None)).Select(c => c.Priority));
        Assert.Empty(await Store.Cases.ListAsync(new CaseQuery(State: CaseState.Closed), None));
        var counts = await Store.Cases.CountOpenByQueueAsync(None);
        Assert.Equal((2, 1), (counts["default"], counts["escalation"]));
    }

    [Fact]
    public async Task A_case_reads_back_as_opened_and_by_its_content()
    {
        var opened = await OpenCaseAsync("x", priority: 70, threat: true);
        var read = await Store.Cases.GetAsync(opened.Id, None);
        Assert.Equal(opened, read! with { Labels = opened.Labels });
        Assert.Equal((CaseState.Open, 70, true, "policy-1", VerdictKind.Review, ModerationAction.Review), (read!.State, read.Priority, read.ThreatToLife, read.PolicyVersion, read.Verdict, read.Action));
        Assert.Equal(["terrorism.propaganda"], read.Labels);
        Assert.Equal(opened.Id, (await Store.Cases.GetByContentAsync(opened.ContentId, None))!.Id);
        Assert.Null(await Store.Cases.GetAsync(opened.Id + 1000, None));
    }

    [Fact]
    public async Task A_case_update_writes_every_field_and_an_expired_lease_reads_as_none()
    {
        var opened = await OpenCaseAsync();
        var until = Clock.GetUtcNow().AddMinutes(10);
        var claimed = await WriteAsync(unit => unit.Cases.UpdateAsync(CaseUpdate.Of(opened) with { ClaimedBy = "user:ann", LeaseExpiresAt = until }, None));
        Assert.Equal(("user:ann", until), (claimed.ClaimedBy, claimed.LeaseExpiresAt));

        Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await Store.Cases.GetAsync(opened.Id, None);
        Assert.Equal(((string?)null, (DateTimeOffset?)null), (expired!.ClaimedBy, expired.LeaseExpiresAt));

        var closed = await WriteAsync(unit => unit.Cases.UpdateAsync(
            CaseUpdate.Of(opened) with { Queue = "escalation", Priority = 85, State = CaseState.Closed, ThreatToLife = true, ClosedAt = Clock.GetUtcNow() }, None));
        Assert.Equal(("escalation", 85, CaseState.Closed, true, Clock.GetUtcNow()), (closed.Queue, closed.Priority, closed.State, closed.ThreatToLife, closed.ClosedAt));
        Assert.Single(await Store.Cases.ListAsync(new CaseQuery(State: CaseState.Closed), None));
        Assert.Single(await Store.Cases.ListAsync(new CaseQuery(State: null), None));
    }

    [Fact]
    public async Task Decisions_are_stored_in_order()
    {
        var opened = await OpenCaseAsync();
        var first = await WriteAsync(unit => unit.Cases.InsertDecisionAsync(new NewDecision(opened.Id, opened.ContentId, ReviewDecision.Escalate, "senior", "user:ann", Clock.GetUtcNow(), "p1"), None));
        Clock.Advance(TimeSpan.FromSeconds(1));
        await WriteAsync(unit => unit.Cases.InsertDecisionAsync(new NewDecision(opened.Id, opened.ContentId, ReviewDecision.Remove, "it is", "user:bob", Clock.GetUtcNow(), "p2"), None));

        var decisions = await Store.Cases.ListDecisionsAsync(opened.Id, None);
        Assert.Equal([ReviewDecision.Escalate, ReviewDecision.Remove], decisions.Select(d => d.Value));
        Assert.Equal(first, decisions[0]);
        Assert.Equal(("it is", "user:bob", "p2", opened.ContentId), (decisions[1].Reason, decisions[1].DecidedBy, decisions[1].PolicyVersion, decisions[1].ContentId));
    }

    [Fact]
    public async Task Reviewers_claiming_at_once_never_both_get_the_case()
    {
        var opened = await OpenCaseAsync();
        var workflow = new CaseWorkflow(Store, Clock);
        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => workflow.ClaimAsync(opened.Id, $"user:r{i}", TimeSpan.FromMinutes(5), None))));
        var winner = Assert.Single(claims, c => c.Status == ClaimStatus.Claimed);
        Assert.All(claims.Where(c => c.Status != ClaimStatus.Claimed), c => Assert.Equal(ClaimStatus.HeldByOther, c.Status));
        Assert.Equal(winner.Case!.ClaimedBy, (await Store.Cases.GetAsync(opened.Id, None))!.ClaimedBy);
    }
}
