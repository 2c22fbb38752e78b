namespace Vigil.Core.Tests;

public class PolicyActionsTests
{
    private const string WithActions = """
        {
          "version": "actions-1",
          "categories": {
            "terrorism.support": { "review": 0.5, "violating": 0.9 },
            "terrorism.incitement": { "review": 0.5, "violating": 0.9 },
            "hate": { "review": 0.5, "violating": 0.9 }
          },
          "contexts": { "news": { "review": 0.95, "allow_violating": false } },
          "actions": {
            "defaults": { "clear": "allow", "review": "review", "violating": "remove" },
            "rules": [
              { "name": "threat to life", "when": { "labels_any": ["terrorism.incitement"], "min_score": 0.8 }, "action": "escalate", "queue": "threat-to-life" },
              { "name": "bank match", "when": { "bank_match": true }, "action": "remove" },
              { "name": "news goes to review", "when": { "contexts": ["news"], "verdicts": ["review"] }, "action": "review", "queue": "news" },
              { "name": "unknown language", "when": { "languages": ["unknown"], "verdicts": ["review", "violating"] }, "action": "hide_pending_review", "queue": "languages" }
            ]
          }
        }
        """;

    private static Assessment With(string category, double score, ContentContext context = ContentContext.None, string? language = "en", bool bank = false) => new(
        new Dictionary<string, double> { [category] = score },
        context,
        language,
        bank ? [new Signal("pdq", category, 1, []) { Bank = "tvec" }] : []);

    [Fact]
    public void Without_an_actions_section_verdicts_map_to_the_defaults()
    {
        var policy = Policy.Parse("""{ "version": "v", "categories": { "hate": { "review": 0.5, "violating": 0.9 } } }""");
        Assert.Same(ActionPolicy.Default, policy.Actions);
        Assert.Equal(ModerationAction.Allow, policy.Apply(With("hate", 0.1)).Action);
        Assert.Equal(ModerationAction.Review, policy.Apply(With("hate", 0.6)).Action);
        var violating = policy.Apply(With("hate", 0.95));
        Assert.Equal(ModerationAction.HidePendingReview, violating.Action);
        Assert.Equal(ActionPolicy.DefaultQueue, violating.Queue);
        Assert.True(violating.OpensCase);
        Assert.False(policy.Apply(With("hate", 0.1)).OpensCase);
        Assert.Equal("v", violating.Verdict.PolicyVersion);
    }

    [Fact]
    public void The_first_matching_rule_chooses_the_action_and_queue()
    {
        var policy = Policy.Parse(WithActions);

        var threat = policy.Apply(With("terrorism.incitement", 0.85));
        Assert.Equal((ModerationAction.Escalate, "threat-to-life", "threat to life"), (threat.Action, threat.Queue, threat.Rule));

        Assert.Equal(ModerationAction.Remove, policy.Apply(With("hate", 0.1, bank: true)).Action);

        var news = policy.Apply(With("terrorism.support", 0.97, ContentContext.News));
        Assert.Equal(VerdictKind.Review, news.Verdict.Kind);
        Assert.Equal(("news", ModerationAction.Review), (news.Queue, news.Action));

        var unknown = policy.Apply(With("hate", 0.6, language: null));
        Assert.Equal(ModerationAction.HidePendingReview, unknown.Action);

        var plain = policy.Apply(With("terrorism.support", 0.95));
        Assert.Equal(ModerationAction.Remove, plain.Action); // the default for violating in this file
        Assert.Null(plain.Rule);
        Assert.Equal(ModerationAction.Allow, policy.Apply(With("hate", 0.1)).Action);
    }

    [Fact]
    public void Actions_round_trip_through_json()
    {
        var policy = Policy.Parse(WithActions);
        var again = Policy.Parse(policy.ToJson());
        Assert.Equal(policy.Actions.Rules.Select(r => (r.Name, r.Action, r.Queue)), again.Actions.Rules.Select(r => (r.Name, r.Action, r.Queue)));
        Assert.Equal(ModerationAction.Remove, again.Actions.OnViolating);
        Assert.Equal(ModerationAction.Escalate, again.Apply(With("terrorism.incitement", 0.85)).Action);
    }

    [Fact]
    public void The_shipped_policy_still_parses()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Vigil.slnx")))
        {
            dir = Path.GetDirectoryName(dir)!;
        }

        var policy = Policy.Parse(File.ReadAllText(Path.Combine(dir, "data", "policy.json")));
        Assert.NotEmpty(policy.Version);
    }

    [Theory]
    [InlineData("""{"rules": [{"name": "a", "action": "delete"}]}""", "Unknown action")]
    [InlineData("""{"rules": [{"name": "a"}]}""", "needs an \"action\"")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove", "when": {"labels_any": ["nope"]}}]}""", "unknown category")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove", "when": {"verdicts": ["bad"]}}]}""", "Unknown verdict")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove", "when": {"min_score": 2}}]}""", "min_score")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove"}, {"name": "a", "action": "allow"}]}""", "named twice")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove", "queue": "a b"}]}""", "queue name")]
    [InlineData("""{"defaults": {"violating": "ban"}}""", "Unknown action")]
    [InlineData("""{"rules": [{"name": "a", "action": "remove", "when": {"colour": 1}}]}""", "not valid")]
    public void Bad_actions_give_clear_errors(string actions, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Policy.Parse($$"""{"version": "x", "actions": {{actions}}}"""));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
