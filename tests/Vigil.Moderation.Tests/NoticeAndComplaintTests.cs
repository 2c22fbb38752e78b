using System.Text.Json;
using Vigil.Core.Compliance;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Tests;

/// <summary>Notice and action (DSA Art 16) and the internal complaint system (DSA Art 20, TCO Art 10) on a real store.</summary>
public sealed class NoticeAndComplaintTests : StoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private static ContentPipeline Pipeline() => new(VigilSignalTypes.Default, [], [new Vigil.Text.TextDetector(Fixtures.Analyzer)], FixedBankMatcher.None, Fixtures.Policy);

    private SubmitContent Submit => new(Pipeline(), Store, Clock);

    private Notices Notices => new(Store, Submit, Clock);

    private static Submission Post(string id, string text) => new(id, "author-1", $"https://example.test/{id}", null, text, [], "key:test");

    private static NoticeRequest Notice(string contentId, bool trusted = false, Submission? content = null, bool goodFaith = true, string? explanation = "It supports a proscribed group.") =>
        new(contentId, null, explanation, "terrorism.support", "N. Otifier", "notifier@example.org", goodFaith, trusted, content, "key:platform");

    private async Task SubscribeAsync() =>
        await new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8")).RegisterAsync("http://127.0.0.1:9/hook", [.. WebhookEvents.All], "s3cret-s3cret-s3", "user:admin", None);

    private async Task<IReadOnlyList<(string Event, JsonElement Body)>> DeliveriesAsync() =>
        [.. (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 100, None)).Select(d => (d.Message.Event, JsonDocument.Parse(d.Message.Payload).RootElement))];

    private async Task<DecideResult> DecideAsync(long caseId, ReviewDecision value, string actor = "user:ann")
    {
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(caseId, actor, Lease, None);
        return await workflow.DecideAsync(new DecideCase(caseId, value, "checked", actor, "policy-2"), None);
    }

    [Fact]
    public async Task A_notice_puts_its_content_before_a_moderator_and_a_trusted_flaggers_goes_first()
    {
        var flagged = await Submit.ExecuteAsync(Post("post-1", "new release from amaq, share it"), None);
        var plain = await Notices.SubmitAsync(Notice("post-1"), None);
        Assert.Equal((flagged.Content.Id, flagged.Case!.Id), (plain.Content.Id, plain.Case.Id)); // the open case, raised
        Assert.True(plain.Case.Priority >= Compliance.Notices.NoticePriority);
        Assert.Equal(("post-1", Clock.GetUtcNow(), true), (plain.Notice.Location, plain.Notice.ReceivedAt, plain.Notice.GoodFaith));

        // Content Vigil has not seen: the notice carries it, the pipeline assesses it, a case opens in the notices queue.
        var carried = await Notices.SubmitAsync(Notice("post-2", trusted: true, content: Post("post-2", "the gardening club meets on tuesday")), None);
        Assert.Equal("the gardening club meets on tuesday", (await Store.Content.GetAsync(carried.Content.Id, None))!.Text);
        Assert.Equal((Compliance.Notices.Queue, Compliance.Notices.TrustedFlaggerPriority), (carried.Case.Queue, carried.Case.Priority));
        Assert.Contains("terrorism.support", carried.Case.Labels);
        Assert.Equal(carried.Case.Id, (await Store.Cases.ListAsync(new CaseQuery(), None))[0].Id); // trusted flagger first

        Assert.Equal(["notice.received", "case.opened", "notice.received", "case.opened"], (await Store.Audit.ListAsync(10, null, None)).Select(a => a.Action));
    }

    [Fact]
    public async Task A_notice_without_location_explanation_good_faith_or_content_is_refused()
    {
        Assert.True((await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9"), None))).ContentMissing);
        Assert.Contains("good_faith", (await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9", goodFaith: false), None))).Message, StringComparison.Ordinal);
        Assert.Contains("explanation", (await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9", explanation: " "), None))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9") with { ContentId = null }, None));
        await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9") with { NotifierEmail = "not an address" }, None));
        await Assert.ThrowsAsync<NoticeException>(() => Notices.SubmitAsync(Notice("post-9") with { Category = "spam" }, None));
        Assert.Empty(await Store.Audit.ListAsync(10, null, None));
    }

    [Fact]
    public async Task The_decision_answers_the_notice_by_webhook_and_its_statement_names_the_notice_as_source()
    {
        await SubscribeAsync();
        var receipt = await Notices.SubmitAsync(Notice("post-3", trusted: true, content: Post("post-3", "the gardening club meets on tuesday")), None);
        var decided = await DecideAsync(receipt.Case.Id, ReviewDecision.Remove);

        var notice = (await Store.Notices.GetNoticeAsync(receipt.Notice.Id, None))!;
        Assert.Equal((decided.Decision!.Id, Clock.GetUtcNow()), (notice.DecisionId, notice.DecidedAt));
        var deliveries = await DeliveriesAsync();
        var answer = Assert.Single(deliveries, d => d.Event == WebhookEvents.NoticeDecided).Body;
        Assert.Equal((receipt.Notice.Id, "remove"), (answer.GetProperty("notice").GetProperty("id").GetInt64(), answer.GetProperty("decision").GetProperty("decision").GetString()));
        Assert.Equal("notifier@example.org", answer.GetProperty("notice").GetProperty("notifier_email").GetString());
        Assert.Contains("Art 20", answer.GetProperty("redress").GetString(), StringComparison.Ordinal);

        var statement = StatementsOfReasons.Read(Assert.Single(await Store.Statements.ListByContentAsync(receipt.Content.Id, None)));
        Assert.Equal((DecisionSource.TrustedFlagger, false), (statement.Source, statement.AutomatedDetection));
        Assert.Equal("SOURCE_TRUSTED_FLAGGER", TransparencyDatabase.ToTransparency(statement).SourceType);
    }

    [Fact]
    public async Task A_complaint_is_refused_to_the_original_decider_and_a_reversal_reinstates_within_the_TCO_deadline()
    {
        await SubscribeAsync();
        var flagged = await Submit.ExecuteAsync(Post("post-4", "new release from amaq, share it"), None);
        var removed = await DecideAsync(flagged.Case!.Id, ReviewDecision.Remove, "user:ann");
        Clock.Advance(TimeSpan.FromDays(3));

        var complaints = new Complaints(Store, Clock);
        var complaint = await complaints.SubmitAsync(new ComplaintRequest(removed.Decision!.Id, "uploader", "It was news reporting.", "key:platform"), None);
        Assert.Equal((Clock.GetUtcNow() + TimeSpan.FromDays(14), "user:ann"), (complaint.DeadlineAt, complaint.OriginalDecider));
        var appeal = (await Store.Cases.GetAsync(complaint.CaseId, None))!;
        Assert.Equal((Complaints.AppealsQueue, CaseState.Open), (appeal.Queue, appeal.State));
        await Assert.ThrowsAsync<ComplaintException>(() => complaints.SubmitAsync(new ComplaintRequest(removed.Decision.Id, "uploader", "Again.", "key:platform"), None));

        // Not through the case workflow, and never by whoever made the contested decision.
        Assert.Equal(DecideStatus.Appeal, (await DecideAsync(appeal.Id, ReviewDecision.KeepUp, "user:bob")).Status);
        var refused = await Assert.ThrowsAsync<ComplaintException>(() => complaints.DecideAsync(complaint.Id, true, "news", "user:ann", "policy-2", None));
        Assert.Equal(ComplaintProblem.SameDecider, refused.Problem);
        Assert.Null((await Store.Notices.GetComplaintAsync(complaint.Id, None))!.Outcome);

        Clock.Advance(TimeSpan.FromDays(2));
        var (decided, decision) = await complaints.DecideAsync(complaint.Id, true, "news reporting, protected purpose", "user:bob", "policy-2", None);
        Assert.Equal(("reversed", "user:bob", Clock.GetUtcNow(), ReviewDecision.KeepUp), (decided.Outcome, decided.DecidedBy, decided.DecidedAt, decision.Value));
        Assert.False(Complaints.IsLate(decided, Clock.GetUtcNow()));
        Assert.Equal(CaseState.Closed, (await Store.Cases.GetAsync(appeal.Id, None))!.State);
        var reinstated = Assert.Single(await DeliveriesAsync(), d => d.Event == WebhookEvents.ContentReinstated).Body;
        Assert.Equal(("post-4", "reversed"), (reinstated.GetProperty("content").GetProperty("content_id").GetString(), reinstated.GetProperty("complaint").GetProperty("outcome").GetString()));
        Assert.Equal(["complaint.decided", "complaint.received"], (await Store.Audit.ListAsync(2, null, None)).Select(a => a.Action));
        await Assert.ThrowsAsync<ComplaintException>(() => complaints.DecideAsync(complaint.Id, false, "again", "user:carl", "policy-2", None));
    }

    [Fact]
    public async Task A_late_complaint_is_refused_an_upheld_one_reinstates_nothing_and_a_reversed_keep_up_restricts_with_a_statement()
    {
        await SubscribeAsync();
        var complaints = new Complaints(Store, Clock);
        var first = await Submit.ExecuteAsync(Post("post-5", "new release from amaq, share it"), None);
        var kept = await DecideAsync(first.Case!.Id, ReviewDecision.KeepUp);

        var upheldCase = await Submit.ExecuteAsync(Post("post-6", "new release from amaq, share it again"), None);
        var removed = await DecideAsync(upheldCase.Case!.Id, ReviewDecision.Remove);
        var upheld = await complaints.SubmitAsync(new ComplaintRequest(removed.Decision!.Id, "uploader", "Mistake.", "key:platform"), None);
        await complaints.DecideAsync(upheld.Id, false, "it is what it seems", "user:bob", "policy-2", None);
        Assert.Equal("upheld", (await Store.Notices.GetComplaintAsync(upheld.Id, None))!.Outcome);
        Assert.DoesNotContain(await DeliveriesAsync(), d => d.Event == WebhookEvents.ContentReinstated);

        var byNotifier = await complaints.SubmitAsync(new ComplaintRequest(kept.Decision!.Id, "notifier", "It should come down.", "key:platform"), None);
        Assert.Null(byNotifier.DeadlineAt); // the TCO deadline is for complaints against removals
        var (_, decision) = await complaints.DecideAsync(byNotifier.Id, true, "it should", "user:bob", "policy-2", None);
        Assert.Equal(ReviewDecision.Remove, decision.Value);
        Assert.Equal($"vigil-d{decision.Id}", Assert.Single(await Store.Statements.ListByContentAsync(first.Content.Id, None)).Puid);

        Clock.Advance(TimeSpan.FromDays(184));
        var late = await Assert.ThrowsAsync<ComplaintException>(() => complaints.SubmitAsync(new ComplaintRequest(decision.Id, "uploader", "Late.", "key:platform"), None));
        Assert.Contains("six months", late.Message, StringComparison.Ordinal);
        Assert.Equal(ComplaintProblem.NotFound, (await Assert.ThrowsAsync<ComplaintException>(() => complaints.SubmitAsync(new ComplaintRequest(999, "uploader", "x", "key:platform"), None))).Problem);
        Assert.Equal(ComplaintProblem.Invalid, (await Assert.ThrowsAsync<ComplaintException>(() => complaints.SubmitAsync(new ComplaintRequest(decision.Id, "bystander", "x", "key:platform"), None))).Problem);
    }
}
