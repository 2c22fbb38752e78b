using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Tests;

/// <summary>Both transparency reports over a known history: every number checked.</summary>
public sealed class TransparencyReportTests : StoreTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ContentPipeline Pipeline() => new(VigilSignalTypes.Default, [], [new Vigil.Text.TextDetector(Fixtures.Analyzer)], FixedBankMatcher.None, Fixtures.Policy);

    private static Submission Post(string id, string text) => new(id, "author-1", null, null, text, [], "key:test");

    private static NoticeRequest Notice(string id, string text, string? category, bool trusted) =>
        new(id, null, "A reason.", category, null, null, true, trusted, Post(id, text), "key:platform");

    private static LogOrder OrderOf(string reference, string memberState, DateTimeOffset receivedAt, DateTimeOffset? withheldUntil, params string[] locations) =>
        new(new OrderDetails(reference, memberState, "Competent authority", null, receivedAt.AddMinutes(-5), receivedAt, [OrderReasons.Incitement], withheldUntil),
            locations, null, ReadOnlyMemory<byte>.Empty, "user:cleo", "policy-2");

    private async Task<Decision> DecideAsync(long caseId, ReviewDecision value, string actor)
    {
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(caseId, actor, TimeSpan.FromMinutes(10), None);
        return (await workflow.DecideAsync(new DecideCase(caseId, value, "checked", actor, "policy-2"), None)).Decision!;
    }

    private static IReadOnlyList<IReadOnlyList<string>> Rows(TransparencyReport report, string table) => report.Tables.Single(t => t.Name == table).Rows;

    [Fact]
    public async Task Every_figure_of_both_reports_matches_the_history()
    {
        var submit = new SubmitContent(Pipeline(), Store, Clock);
        var notices = new Notices(Store, submit, Clock);
        var complaints = new Complaints(Store, Clock);
        var t0 = Clock.GetUtcNow(); // 2026-03-01 09:00

        var a = await submit.ExecuteAsync(Post("post-a", "new release from amaq, share it"), None);
        var b = await submit.ExecuteAsync(Post("post-b", "new release from amaq, share it again"), None);
        Assert.Contains(a.Case!.Labels, l => Taxonomy.Get(l).IsTerrorism);
        Assert.NotNull(b.Case);
        var c = await notices.SubmitAsync(Notice("post-c", "the gardening club meets on tuesday", "hate", trusted: false), None);
        var d = await notices.SubmitAsync(Notice("post-d", "the gardening club meets on thursday", "terrorism.support", trusted: true), None);
        await notices.SubmitAsync(Notice("post-e", "the chess club meets on friday", null, trusted: false), None);

        // Removal orders: FR-1 (received 24 minutes before it was logged) executed at once, 0.4 h after receipt, one URL not
        // found; DE-1 stopped on manifest errors and never executed (its case kept up after an escalation, below); FR-2 (disclosure withheld) decided by a moderator from
        // the case page 2 h after receipt, so executed late (breached). Vigil found nothing wrong in their content.
        var orders = new RemovalOrders(Store, Clock, new ComplianceSettings());
        foreach (string id in new[] { "post-g", "post-i" })
        {
            Assert.Null((await submit.ExecuteAsync(Post(id, $"the knitting circle meets on sunday ({id})"), None)).Case);
        }

        Assert.NotNull((await submit.ExecuteAsync(Post("post-h", "new release from amaq, share it once more"), None)).Case); // flagged, never decided

        var fr1 = (await orders.LogAsync(OrderOf("FR-1", "FR", t0.AddMinutes(-24), null, "post-g", "https://elsewhere.test/gone"), None)).Order!;
        Assert.Equal(OrderActionStatus.Done, (await orders.ExecuteAsync(fr1.Id, "user:cleo", "policy-2", None)).Status);
        var de1 = (await orders.LogAsync(OrderOf("DE-1", "DE", t0, null, "post-h"), None)).Order!;
        Assert.Equal(OrderActionStatus.Done, (await orders.StopClockAsync(de1.Id, ClockStopGround.ManifestErrors, "The URL names another post.", "user:cleo", None)).Status);
        var fr2 = (await orders.LogAsync(OrderOf("FR-2", "FR", t0, t0.AddDays(30), "post-i"), None)).Order!;

        Clock.Advance(TimeSpan.FromHours(1));
        var removedD = await DecideAsync(d.Case.Id, ReviewDecision.Remove, "user:ann");
        Clock.Advance(TimeSpan.FromHours(1));
        var removedA = await DecideAsync(a.Case.Id, ReviewDecision.Remove, "user:ann");
        await DecideAsync(fr2.Targets[0].CaseId!.Value, ReviewDecision.Remove, "user:ann");

        // DE-1's case, escalated out of the order queue and kept up: a decision on an order, not on an automated flag.
        await DecideAsync(de1.Targets[0].CaseId!.Value, ReviewDecision.Escalate, "user:ann");
        await DecideAsync(de1.Targets[0].CaseId!.Value, ReviewDecision.KeepUp, "user:bob");
        Assert.Equal((t0.AddHours(2), t0.AddHours(1)), ((await Store.Compliance.GetOrderAsync(fr2.Id, None))!.ExecutedAt!.Value, (await Store.Compliance.GetOrderAsync(fr2.Id, None))!.BreachedAt!.Value));
        await DecideAsync(b.Case.Id, ReviewDecision.KeepUp, "user:bob");
        Clock.Advance(TimeSpan.FromHours(1));
        await DecideAsync(c.Case.Id, ReviewDecision.Restrict, "user:ann");
        Clock.Advance(TimeSpan.FromHours(1));
        var complaintA = await complaints.SubmitAsync(new ComplaintRequest(removedA.Id, "uploader", "News.", "key:platform"), None);
        var complaintD = await complaints.SubmitAsync(new ComplaintRequest(removedD.Id, "uploader", "Satire.", "key:platform"), None);
        Clock.Advance(TimeSpan.FromHours(24));
        await complaints.DecideAsync(complaintD.Id, false, "it is what it seems", "user:bob", "policy-2", None);
        Clock.Advance(TimeSpan.FromHours(24));
        await complaints.DecideAsync(complaintA.Id, true, "news reporting", "user:bob", "policy-2", None);

        // After the period: counted in neither March's DSA report nor, for notices, anywhere in it.
        Clock.Advance(TimeSpan.FromDays(40));
        await notices.SubmitAsync(Notice("post-f", "the reading group meets on monday", "hate", trusted: true), None);
        await orders.LogAsync(OrderOf("PL-1", "PL", Clock.GetUtcNow(), null, "post-404"), None);
        Assert.Equal(t0.AddHours(52).AddDays(40), Clock.GetUtcNow());

        var reports = new TransparencyReports(Store);
        var dsa = await reports.DsaAsync(March, March.AddMonths(1), None);
        Assert.Equal([["DE", "terrorist_content", "1"], ["FR", "terrorist_content", "2"]], Rows(dsa, "orders"));
        Assert.Equal([["DE", "terrorist_content", "0", "1", ""], ["FR", "terrorist_content", "2", "0", "1.2"]], Rows(dsa, "orders_time_to_act")); // FR: 0.4 h and 2 h
        Assert.Equal(
            [
                ["hate", "other", "1", "1", "0", "0", "3.0"],
                ["not_specified", "other", "1", "0", "0", "1", ""],
                ["terrorism.support", "trusted_flagger", "1", "1", "0", "0", "1.0"],
            ],
            Rows(dsa, "notices"));
        Assert.Equal([["STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY", "Yes", "AUTOMATED_DECISION_PARTIALLY", "1"]], Rows(dsa, "own_initiative"));
        Assert.Equal([["upheld", "1", "24.0"], ["reversed", "1", "48.0"], ["pending", "0", ""]], Rows(dsa, "complaints"));
        Assert.Equal(
            [
                ["automated_flags_reviewed", "2"],
                ["automated_flags_kept_up_on_review", "1"],
                ["share_of_automated_flags_reversed_on_review", "0.500"],
                ["complaints_decided", "2"],
                ["share_of_complaints_reversed", "0.500"],
            ],
            Rows(dsa, "accuracy"));
        Assert.Equal([["SOURCE_ARTICLE_16", "1"], ["SOURCE_TRUSTED_FLAGGER", "1"], ["SOURCE_TYPE_OTHER_NOTIFICATION", "2"], ["SOURCE_VOLUNTARY", "1"]], Rows(dsa, "statements"));
        Assert.DoesNotContain(dsa.Notes, n => n.Contains("does not hold", StringComparison.Ordinal));

        var april = await reports.DsaAsync(March.AddMonths(1), March.AddMonths(2), None);
        Assert.Equal([["hate", "trusted_flagger", "1", "0", "0", "1", ""]], Rows(april, "notices"));
        Assert.Empty(Rows(april, "own_initiative"));
        Assert.Equal([["PL", "terrorist_content", "1"]], Rows(april, "orders"));
        Assert.Equal([["PL", "terrorist_content", "0", "1", ""]], Rows(april, "orders_time_to_act"));

        var tco = await reports.TcoAsync(2026, None);
        Assert.Equal(
            [["after_removal_orders", "2"], ["on_own_measures", "2"], ["of_which_detected_by_automated_means", "1"], ["of_which_after_notices", "1"]],
            Rows(tco, "measures"));
        Assert.Equal(
            [["received", "4"], ["executed", "2"], ["executed_within_one_hour", "1"], ["deadline_breached", "1"], ["not_executed", "2"], ["of_which_on_annex_iii_grounds", "1"]],
            Rows(tco, "orders"));
        Assert.Equal([["force_majeure", "Art 3(7)", "0"], ["manifest_errors", "Art 3(8)", "1"], ["insufficient_information", "Art 3(8)", "0"]], Rows(tco, "orders_not_executed"));
        Assert.Equal(
            [["received", "2"], ["upheld", "1"], ["reversed_and_reinstated", "1"], ["pending", "0"], ["decided_after_the_two_week_deadline", "0"]],
            Rows(tco, "complaints"));
        var before = await reports.TcoAsync(2025, None);
        Assert.Equal(["0", "0", "0", "0"], Rows(before, "measures").Select(r => r[1]));
        Assert.All(Rows(before, "orders").Concat(Rows(before, "orders_not_executed")), r => Assert.Equal("0", r[^1]));
    }
}
