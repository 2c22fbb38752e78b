using Vigil.Core;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Tests;

/// <summary>Both transparency reports over a known history: every number checked.</summary>
public sealed class TransparencyReportTests : StoreTests
{
    private static readonly DateTimeOffset March = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static ContentPipeline Pipeline() => new(VigilSignalTypes.Default, [], [new Vigil.Text.TextDetector(Fixtures.Analyzer)], FixedBankMatcher.None, Fixtures.Policy);

    private static Submission Post(string id, string text) => new(id, "author-1", null, null, text, [], "key:test");

    private static NoticeRequest Notice(string id, string text, string? category, bool trusted) =>
        new(id, null, "A reason.", category, null, null, true, trusted, Post(id, text), "key:platform");

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

        Clock.Advance(TimeSpan.FromHours(1));
        var removedD = await DecideAsync(d.Case.Id, ReviewDecision.Remove, "user:ann");
        Clock.Advance(TimeSpan.FromHours(1));
        var removedA = await DecideAsync(a.Case.Id, ReviewDecision.Remove, "user:ann");
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
        Assert.Equal(t0.AddHours(52).AddDays(40), Clock.GetUtcNow());

        var reports = new TransparencyReports(Store);
        var dsa = await reports.DsaAsync(March, March.AddMonths(1), None);
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
        Assert.Equal([["SOURCE_ARTICLE_16", "1"], ["SOURCE_TRUSTED_FLAGGER", "1"], ["SOURCE_VOLUNTARY", "1"]], Rows(dsa, "statements"));
        Assert.Contains(dsa.Notes, n => n.Contains("Removal orders", StringComparison.Ordinal));

        var april = await reports.DsaAsync(March.AddMonths(1), March.AddMonths(2), None);
        Assert.Equal([["hate", "trusted_flagger", "1", "0", "0", "1", ""]], Rows(april, "notices"));
        Assert.Empty(Rows(april, "own_initiative"));

        var tco = await reports.TcoAsync(2026, None);
        Assert.Equal(
            [["after_removal_orders", "0"], ["on_own_measures", "2"], ["of_which_detected_by_automated_means", "1"], ["of_which_after_notices", "1"]],
            Rows(tco, "measures"));
        Assert.Equal(
            [["received", "2"], ["upheld", "1"], ["reversed_and_reinstated", "1"], ["pending", "0"], ["decided_after_the_two_week_deadline", "0"]],
            Rows(tco, "complaints"));
        Assert.Equal(["0", "0", "0", "0"], Rows(await reports.TcoAsync(2025, None), "measures").Select(r => r[1]));
    }
}
