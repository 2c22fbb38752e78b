namespace Vigil.Core;

/// <summary>What the platform should do with a piece of content, as the policy decides it before any human review.</summary>
public enum ModerationAction
{
    /// <summary>Leave the content up; no case.</summary>
    Allow,

    /// <summary>Leave it up and queue it for a moderator.</summary>
    Review,

    /// <summary>Hide it until a moderator decides.</summary>
    HidePendingReview,

    /// <summary>Take it down (a case is still opened when the verdict is review or violating, for the record and appeals).</summary>
    Remove,

    /// <summary>Hide it and send it to the escalation queue for a senior reviewer.</summary>
    Escalate,
}

public static class ModerationActionNames
{
    public static IReadOnlyList<string> All { get; } = ["allow", "review", "hide_pending_review", "remove", "escalate"];

    public static string ToWire(this ModerationAction action) => action switch
    {
        ModerationAction.Review => "review",
        ModerationAction.HidePendingReview => "hide_pending_review",
        ModerationAction.Remove => "remove",
        ModerationAction.Escalate => "escalate",
        _ => "allow",
    };

    /// <summary>How much an action restricts content: allow 0, review 1, hide_pending_review 2, escalate 3, remove 4.</summary>
    public static int Strictness(ModerationAction action) => action switch
    {
        ModerationAction.Review => 1,
        ModerationAction.HidePendingReview => 2,
        ModerationAction.Escalate => 3,
        ModerationAction.Remove => 4,
        _ => 0,
    };

    public static ModerationAction Parse(string wire) => wire switch
    {
        "allow" => ModerationAction.Allow,
        "review" => ModerationAction.Review,
        "hide_pending_review" => ModerationAction.HidePendingReview,
        "remove" => ModerationAction.Remove,
        "escalate" => ModerationAction.Escalate,
        _ => throw new FormatException($"Unknown action '{wire}'. Known: {string.Join(", ", All)}."),
    };
}

/// <summary>
/// The conditions of an action rule. Every condition that is set must hold; a rule with none matches everything.
/// </summary>
/// <param name="Verdicts">The verdict is one of these (<c>clear</c>, <c>review</c>, <c>violating</c>).</param>
/// <param name="LabelsAny">At least one of these category ids is among the verdict's labels.</param>
/// <param name="MinScore">The highest score among <paramref name="LabelsAny"/> (or among all categories when no labels
/// are named) is at least this.</param>
/// <param name="Contexts">The context is one of these wire names.</param>
/// <param name="Languages">The language is one of these ISO 639-1 codes (<c>unknown</c> when none was identified).</param>
/// <param name="BankMatch">When true, a hash-bank match signal (<see cref="Signal.IsBankMatch"/>, of any signal type)
/// is present; when false, none is.</param>
public sealed record ActionConditions(
    IReadOnlyList<VerdictKind>? Verdicts = null,
    IReadOnlyList<string>? LabelsAny = null,
    double? MinScore = null,
    IReadOnlyList<ContentContext>? Contexts = null,
    IReadOnlyList<string>? Languages = null,
    bool? BankMatch = null)
{
    public bool Matches(Verdict verdict, Assessment assessment)
    {
        if (Verdicts is { Count: > 0 } && !Verdicts.Contains(verdict.Kind))
        {
            return false;
        }

        if (LabelsAny is { Count: > 0 } && !LabelsAny.Any(l => verdict.Labels.Contains(l, StringComparer.Ordinal)))
        {
            return false;
        }

        if (MinScore is { } min)
        {
            IEnumerable<string> over = LabelsAny is { Count: > 0 } ? LabelsAny : verdict.Scores.Keys;
            double best = over.Select(id => verdict.Scores.GetValueOrDefault(id)).DefaultIfEmpty(0).Max();
            if (best < min)
            {
                return false;
            }
        }

        if (Contexts is { Count: > 0 } && !Contexts.Contains(verdict.Context))
        {
            return false;
        }

        if (Languages is { Count: > 0 } && !Languages.Contains(verdict.Language ?? "unknown", StringComparer.Ordinal))
        {
            return false;
        }

        if (BankMatch is { } bank && bank != assessment.Signals.Any(s => s.IsBankMatch && s.Score > 0))
        {
            return false;
        }

        return true;
    }
}

/// <summary>One rule of the <c>actions</c> section: when its conditions hold, the action applies (and, if set, the case goes to
/// <paramref name="Queue"/>).</summary>
public sealed record ActionRule(string Name, ActionConditions When, ModerationAction Action, string? Queue = null);

/// <summary>
/// Maps a verdict (labels, scores, context, language, bank matches) to a <see cref="ModerationAction"/>: the first rule
/// whose conditions hold wins; when none does, the default for the verdict applies.
/// </summary>
public sealed record ActionPolicy(
    IReadOnlyList<ActionRule> Rules,
    ModerationAction OnClear = ModerationAction.Allow,
    ModerationAction OnReview = ModerationAction.Review,
    ModerationAction OnViolating = ModerationAction.HidePendingReview)
{
    /// <summary>The queue of cases no rule assigns one to.</summary>
    public const string DefaultQueue = "default";

    /// <summary>The queue escalated cases go to unless a rule names another.</summary>
    public const string EscalationQueue = "escalation";

    /// <summary>No rules: clear is allowed, review is reviewed, violating is hidden pending review.</summary>
    public static ActionPolicy Default { get; } = new([]);

    public (ModerationAction Action, string Queue, string? Rule) Choose(Verdict verdict, Assessment assessment)
    {
        foreach (var rule in Rules)
        {
            if (rule.When.Matches(verdict, assessment))
            {
                return (rule.Action, rule.Queue ?? QueueFor(rule.Action), rule.Name);
            }
        }

        var action = verdict.Kind switch
        {
            VerdictKind.Violating => OnViolating,
            VerdictKind.Review => OnReview,
            _ => OnClear,
        };
        return (action, QueueFor(action), null);
    }

    private static string QueueFor(ModerationAction action) => action == ModerationAction.Escalate ? EscalationQueue : DefaultQueue;
}

/// <summary>What the policy concluded and what to do about it.</summary>
/// <param name="Verdict">The verdict (<see cref="Policy.Decide"/>).</param>
/// <param name="Action">The action for the platform.</param>
/// <param name="Queue">The review queue a case goes to.</param>
/// <param name="Rule">The name of the rule that chose the action; null when the verdict's default applied.</param>
public sealed record PolicyOutcome(Verdict Verdict, ModerationAction Action, string Queue, string? Rule)
{
    /// <summary>Whether a moderator should look at it: the verdict is review or violating, or the action asks for review.</summary>
    public bool OpensCase => Verdict.Kind != VerdictKind.Clear
        || Action is ModerationAction.Review or ModerationAction.HidePendingReview or ModerationAction.Escalate;
}
