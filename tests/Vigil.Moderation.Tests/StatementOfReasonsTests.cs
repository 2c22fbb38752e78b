using System.Text.Json;
using Vigil.Core.Compliance;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Cases;
using Vigil.Storage.Contract;

namespace Vigil.Moderation.Tests;

/// <summary>Statements of reasons (DSA Art 17): one per restricting decision, valid for the EU Transparency Database,
/// announced by webhook, without personal data in what is submitted.</summary>
public sealed class StatementOfReasonsTests : StoreTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private async Task<long> OpenCaseAsync(string[] labels, string author = "author-1", string url = "https://example.test/p/1", string? metadata = null, string queue = "default")
    {
        await using var unit = await Store.BeginAsync(None);
        var item = await unit.Content.InsertAsync(TestContent.Item("a short neutral fixture", labels: labels, author: author) with { Url = url, MetadataJson = metadata }, Clock.GetUtcNow(), None);
        var opened = await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, Clock.GetUtcNow(), queue, labels: labels), None);
        await unit.CommitAsync(None);
        return opened.Id;
    }

    private async Task<DecideResult> DecideAsync(long caseId, ReviewDecision value, string reason = "looked at it", CaseWorkflow? workflow = null)
    {
        workflow ??= new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(caseId, "user:ann", Lease, None);
        return await workflow.DecideAsync(new DecideCase(caseId, value, reason, "user:ann", "policy-2"), None);
    }

    [Theory]
    [InlineData(ReviewDecision.Remove, "DECISION_VISIBILITY_CONTENT_REMOVED", TransparencyDatabase.GroundIllegal)]
    [InlineData(ReviewDecision.ReportThreatToLife, "DECISION_VISIBILITY_CONTENT_REMOVED", TransparencyDatabase.GroundIllegal)]
    [InlineData(ReviewDecision.Restrict, "DECISION_VISIBILITY_CONTENT_DEMOTED", TransparencyDatabase.GroundIncompatible)]
    public async Task Every_restricting_decision_gets_a_valid_statement_with_every_Art_17_element(ReviewDecision value, string visibility, string ground)
    {
        long caseId = await OpenCaseAsync(["terrorism.propaganda"]);
        var decided = await DecideAsync(caseId, value);

        var stored = Assert.Single(await Store.Statements.ListByContentAsync(decided.Case!.ContentId, None));
        Assert.Equal(($"vigil-d{decided.Decision!.Id}", decided.Decision.Id), (stored.Puid, stored.DecisionId));
        var statement = StatementsOfReasons.Read(stored);
        Assert.NotEmpty(statement.Restrictions); // (a) the restriction,
        Assert.Equal(TransparencyDatabase.CountryCodes, statement.TerritorialScope); // its scope,
        Assert.Null(statement.Until); // and duration (indefinite)
        Assert.Contains("A moderator reviewed it", statement.Facts, StringComparison.Ordinal); // (b) facts
        Assert.Equal(DecisionSource.OwnInitiative, statement.Source); // (b) own initiative
        Assert.Equal((true, DecisionAutomation.Partially), (statement.AutomatedDetection, statement.Automation)); // (c)
        Assert.Contains("Art 20", statement.Redress, StringComparison.Ordinal); // (f)
        Assert.Contains("2021/784 Art 10", statement.Redress, StringComparison.Ordinal);

        var wire = TransparencyDatabase.ToTransparency(statement);
        Assert.Empty(TransparencyValidator.Validate(wire));
        Assert.Equal([visibility], wire.DecisionVisibility);
        Assert.Equal(ground, wire.DecisionGround);
        Assert.Equal((TransparencyDatabase.CategoryPublicSecurity, TransparencyDatabase.KeywordTerroristContent), (wire.Category, Assert.Single(wire.CategorySpecification!)));
        if (ground == TransparencyDatabase.GroundIllegal)
        {
            Assert.Contains("2021/784", wire.IllegalContentLegalGround, StringComparison.Ordinal); // (d) legal ground
            Assert.Contains("UK TA 2006 s.2", wire.IllegalContentLegalGround, StringComparison.Ordinal); // from the verdict's legal_basis
        }
        else
        {
            Assert.Equal(StatementSettings.Default.TermsGround, wire.IncompatibleContentGround); // (e) terms ground
        }
    }

    [Theory]
    [InlineData(ReviewDecision.KeepUp)]
    [InlineData(ReviewDecision.Escalate)]
    public async Task A_decision_that_restricts_nothing_gets_no_statement(ReviewDecision value)
    {
        long caseId = await OpenCaseAsync(["terrorism.propaganda"]);
        var decided = await DecideAsync(caseId, value);
        Assert.Empty(await Store.Statements.ListByContentAsync(decided.Case!.ContentId, None));
    }

    [Fact]
    public async Task Hate_maps_to_illegal_or_harmful_speech_with_the_hate_speech_keyword_and_both_go_together()
    {
        var hate = TransparencyDatabase.ToTransparency(StatementsOfReasons.Read(Assert.Single(
            await Store.Statements.ListByContentAsync((await DecideAsync(await OpenCaseAsync(["hate"]), ReviewDecision.Remove)).Case!.ContentId, None))));
        Assert.Equal((TransparencyDatabase.CategoryIllegalSpeech, TransparencyDatabase.KeywordHateSpeech), (hate.Category, Assert.Single(hate.CategorySpecification!)));
        Assert.Null(hate.CategoryAddition);

        var both = TransparencyDatabase.Classify(["hate", "terrorism.support"], DecisionGround.IllegalContent);
        Assert.Equal(TransparencyDatabase.CategoryPublicSecurity, both.Category);
        Assert.Equal([TransparencyDatabase.CategoryIllegalSpeech], both.Additions);
        Assert.Equal([TransparencyDatabase.KeywordTerroristContent, TransparencyDatabase.KeywordHateSpeech], both.Keywords);
    }

    [Fact]
    public async Task No_personal_data_leaves_in_a_submission()
    {
        const string author = "alice.smith.1987";
        const string email = "alice.smith@example.org";
        const string url = "https://social.example/users/alice.smith.1987/status/42";
        long caseId = await OpenCaseAsync(["terrorism.support", "hate"], author, url, $$"""{"display_name":"Alice Smith","email":"{{email}}"}""");
        var decided = await DecideAsync(caseId, ReviewDecision.Remove, $"Alice Smith ({email}) posted this again, see {url}");

        var statement = StatementsOfReasons.Read(Assert.Single(await Store.Statements.ListByContentAsync(decided.Case!.ContentId, None)));
        string submitted = JsonSerializer.Serialize(new { statements = new[] { TransparencyDatabase.ToTransparency(statement) } });
        foreach (var personal in new[] { author, "alice", "Alice", "Smith", email, url, "social.example", "post-1", "author-1", "user:ann", "looked at", "posted this" })
        {
            Assert.DoesNotContain(personal, submitted, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("\"content_id\"", submitted, StringComparison.Ordinal);
        Assert.Empty(TransparencyValidator.Validate(TransparencyDatabase.ToTransparency(statement)));
    }

    [Fact]
    public async Task The_statement_is_announced_by_webhook_and_a_withheld_one_only_when_the_withholding_ends()
    {
        await new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8")).RegisterAsync("http://127.0.0.1:9/hook", [WebhookEvents.StatementOfReasonsCreated], "s3cret-s3cret-s3", "user:admin", None);
        var decided = await DecideAsync(await OpenCaseAsync(["terrorism.propaganda"]), ReviewDecision.Remove);
        var delivery = Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.Equal(WebhookEvents.StatementOfReasonsCreated, delivery.Message.Event);
        var body = JsonDocument.Parse(delivery.Message.Payload).RootElement;
        Assert.Equal($"vigil-d{decided.Decision!.Id}", body.GetProperty("statement").GetProperty("puid").GetString());
        Assert.Equal("post-1", body.GetProperty("content").GetProperty("content_id").GetString()); // the platform finds its post
        Assert.Equal(["removal"], body.GetProperty("statement").GetProperty("restrictions").EnumerateArray().Select(e => e.GetString()));
        Assert.NotNull((await Store.Statements.GetByPuidAsync($"vigil-d{decided.Decision.Id}", None))!.DisclosedAt);

        // An order withholds disclosure for a week: stored now, announced after the week.
        var withheld = StatementsOfReasons.Read((await Store.Statements.GetByPuidAsync($"vigil-d{decided.Decision.Id}", None))!) with
        {
            Puid = "vigil-order-1",
            DisclosureWithheldUntil = Clock.GetUtcNow().AddDays(7),
        };
        await using (var unit = await Store.BeginAsync(None))
        {
            var content = (await unit.Content.GetAsync(decided.Case!.ContentId, None))!;
            await StatementsOfReasons.RecordAsync(unit, withheld, null, content, Clock.GetUtcNow(), None);
            await unit.CommitAsync(None);
        }

        Assert.Equal(0, await StatementsOfReasons.DiscloseDueAsync(Store, Clock, None));
        Assert.Null((await Store.Statements.GetByPuidAsync("vigil-order-1", None))!.DisclosedAt);
        Clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(1, await StatementsOfReasons.DiscloseDueAsync(Store, Clock, None));
        Assert.Equal(2, (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)).Count);
        Assert.Equal(Clock.GetUtcNow(), (await Store.Statements.GetByPuidAsync("vigil-order-1", None))!.DisclosedAt);
        Assert.Equal(0, await StatementsOfReasons.DiscloseDueAsync(Store, Clock, None));
    }

    [Fact]
    public async Task A_PUID_is_never_reused_and_an_invalid_statement_is_refused()
    {
        var decided = await DecideAsync(await OpenCaseAsync(["terrorism.propaganda"]), ReviewDecision.Remove);
        var statement = StatementsOfReasons.Read((await Store.Statements.GetByPuidAsync($"vigil-d{decided.Decision!.Id}", None))!);
        await using var unit = await Store.BeginAsync(None);
        var content = (await unit.Content.GetAsync(decided.Case!.ContentId, None))!;
        var reused = await Assert.ThrowsAsync<InvalidOperationException>(() => StatementsOfReasons.RecordAsync(unit, statement, null, content, Clock.GetUtcNow(), None));
        Assert.Contains("never reused", reused.Message, StringComparison.Ordinal);
        var invalid = await Assert.ThrowsAsync<InvalidOperationException>(() => StatementsOfReasons.RecordAsync(unit, statement with { Puid = "has space" }, null, content, Clock.GetUtcNow(), None));
        Assert.Contains("puid", invalid.Message, StringComparison.Ordinal);
    }
}
