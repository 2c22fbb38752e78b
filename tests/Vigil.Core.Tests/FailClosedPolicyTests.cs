namespace Vigil.Core.Tests;

/// <summary>What cannot be analysed, and what a hash bank knows, is never clear; actions and verdicts agree.</summary>
public class FailClosedPolicyTests
{
    private static readonly Policy Policy = new(
        "test-1",
        Taxonomy.All.ToDictionary(c => c.Id, _ => new CategoryThresholds(0.5, 0.9)),
        new Dictionary<ContentContext, ContextRule> { [ContentContext.News] = new(0.95, AllowViolating: false) });

    private static Assessment With(params Signal[] signals) => new(new Dictionary<string, double>(), ContentContext.None, null, signals);

    private static Signal Unreadable() =>
        new(SignalKinds.Unreadable, "image", 1, [new Evidence(0, 0, SignalKinds.Unreadable, "image 'upload' could not be analysed: truncated image")]);

    private static Signal BankMatch(ModerationAction? requested = null, string type = "pdq") =>
        new(type, "none", 0.9, [new Evidence(0, 0, type, "bank 'tvec' entry 1: pdq distance 4 of 31")]) { Bank = "tvec", RequestedAction = requested };

    [Fact]
    public void A_part_that_could_not_be_analysed_goes_to_review_saying_why()
    {
        var outcome = Policy.Apply(With(Unreadable()));
        Assert.Equal((VerdictKind.Review, ModerationAction.Review), (outcome.Verdict.Kind, outcome.Action));
        Assert.Empty(outcome.Verdict.Labels);
        Assert.Contains("truncated image", Assert.Single(outcome.Verdict.Evidence).Detail, StringComparison.Ordinal);
        Assert.True(outcome.OpensCase);

        var strict = Policy with { OnUnreadable = VerdictKind.Violating };
        Assert.Equal((VerdictKind.Violating, ModerationAction.HidePendingReview), (strict.Apply(With(Unreadable())).Verdict.Kind, strict.Apply(With(Unreadable())).Action));
    }

    [Theory]
    [InlineData("""{"version":"v","on_unreadable":"violating"}""", VerdictKind.Violating)]
    [InlineData("""{"version":"v","on_unreadable":"review"}""", VerdictKind.Review)]
    [InlineData("""{"version":"v"}""", VerdictKind.Review)]
    public void The_policy_file_sets_the_verdict_of_what_could_not_be_analysed(string json, VerdictKind expected)
    {
        var policy = Policy.Parse(json);
        Assert.Equal(expected, policy.OnUnreadable);
        Assert.Equal(expected, Policy.Parse(policy.ToJson()).OnUnreadable);
    }

    [Fact]
    public void The_policy_file_cannot_make_it_clear()
    {
        var error = Assert.Throws<FormatException>(() => Policy.Parse("""{"version":"v","on_unreadable":"clear"}"""));
        Assert.Contains("never clear", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pdq")]
    [InlineData("md5")]
    [InlineData("text_minhash")]
    [InlineData("any_registered_type")]
    public void A_match_in_a_bank_without_a_category_is_reviewed(string type)
    {
        var outcome = Policy.Apply(With(BankMatch(type: type)));
        Assert.Equal((VerdictKind.Review, ModerationAction.Review), (outcome.Verdict.Kind, outcome.Action));
        Assert.True(outcome.OpensCase);
    }

    [Fact]
    public void An_allow_list_match_is_not_a_bank_match()
    {
        var allow = new Signal(SignalKinds.AllowList, "allow_list", 0, [new Evidence(0, 0, SignalKinds.AllowList, "allow-list match")]) { Bank = "known-good" };
        var outcome = Policy.Apply(With(allow));
        Assert.Equal((VerdictKind.Clear, ModerationAction.Allow), (outcome.Verdict.Kind, outcome.Action));
        Assert.False(outcome.OpensCase);
    }

    [Theory]
    [InlineData(ModerationAction.Remove, ModerationAction.Remove, "default")]
    [InlineData(ModerationAction.Escalate, ModerationAction.Escalate, "escalation")]
    [InlineData(ModerationAction.HidePendingReview, ModerationAction.HidePendingReview, "default")]
    [InlineData(ModerationAction.Review, ModerationAction.Review, "default")]
    public void A_bank_that_asks_for_an_action_gets_it_at_least(ModerationAction requested, ModerationAction expected, string queue)
    {
        var outcome = Policy.Apply(With(BankMatch(requested)));
        Assert.Equal((expected, queue), (outcome.Action, outcome.Queue));
        Assert.NotEqual(VerdictKind.Clear, outcome.Verdict.Kind);
        Assert.True(outcome.OpensCase);
        Assert.Equal(requested == ModerationAction.Review ? null : "bank tvec", outcome.Rule);
    }

    [Fact]
    public void A_rule_that_restricts_content_never_leaves_it_clear()
    {
        var policy = Policy.Parse("""
            {
              "version": "v",
              "categories": { "hate": { "review": 0.5, "violating": 0.9 } },
              "actions": { "rules": [ { "name": "banked", "when": { "bank_match": true }, "action": "remove" } ] }
            }
            """);
        var outcome = policy.Apply(With(BankMatch()));
        Assert.Equal((ModerationAction.Remove, "banked", VerdictKind.Review), (outcome.Action, outcome.Rule, outcome.Verdict.Kind));
        Assert.True(outcome.OpensCase);

        var cleared = Policy.Parse("""
            { "version": "v", "categories": { "hate": { "review": 0.5, "violating": 0.9 } },
              "actions": { "defaults": { "clear": "hide_pending_review" } } }
            """).Apply(With());
        Assert.Equal((ModerationAction.HidePendingReview, VerdictKind.Review), (cleared.Action, cleared.Verdict.Kind));
    }

    [Fact]
    public void A_policy_rule_stricter_than_the_bank_wins()
    {
        var policy = Policy.Parse("""
            { "version": "v", "categories": { "hate": { "review": 0.5, "violating": 0.9 } },
              "actions": { "rules": [ { "name": "banked", "when": { "bank_match": true }, "action": "remove" } ] } }
            """);
        var outcome = policy.Apply(With(BankMatch(ModerationAction.Review)));
        Assert.Equal((ModerationAction.Remove, "banked"), (outcome.Action, outcome.Rule));
    }

    [Fact]
    public void Text_alone_decides_as_before()
    {
        var outcome = Policy.Apply(new Assessment(new Dictionary<string, double> { ["hate"] = 0.1 }, ContentContext.None, "en", []));
        Assert.Equal((VerdictKind.Clear, ModerationAction.Allow), (outcome.Verdict.Kind, outcome.Action));
    }
}
