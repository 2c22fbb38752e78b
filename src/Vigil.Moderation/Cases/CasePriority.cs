using Vigil.Core;

namespace Vigil.Moderation.Cases;

/// <summary>
/// How urgent a case is, 0-100: severity of the worst label (Taxonomy severity 1-5, up to 50 points), confidence
/// (the highest label score, up to 30), corroboration (signals with evidence: designation, lexicon and bank matches,
/// 4 points each, up to 20). A suspected threat to life (a severity-5 label on violating content) is at least 90;
/// an escalation at least 80.
/// </summary>
public static class CasePriority
{
    /// <summary>The least priority of an escalated case (by the policy's action or by a moderator's decision).</summary>
    public const int Escalated = 80;

    public static (int Priority, bool ThreatToLife) Of(PolicyOutcome outcome, Assessment assessment)
    {
        var verdict = outcome.Verdict;
        var labels = verdict.Labels.Select(Taxonomy.Get).ToList();
        int severity = labels.Count == 0 ? 0 : labels.Max(c => c.Severity);
        double confidence = labels.Count == 0
            ? verdict.Scores.Values.DefaultIfEmpty(0).Max()
            : labels.Max(c => verdict.Scores.GetValueOrDefault(c.Id));
        int corroborating = assessment.Signals.Count(s => s.Score > 0 && s.Evidence.Count > 0 && s.Type is not SignalKinds.Context and not SignalKinds.Language);
        bool threatToLife = verdict.Kind == VerdictKind.Violating && severity >= 5;

        double priority = 50.0 * severity / 5 + 30.0 * Math.Clamp(confidence, 0, 1) + 4.0 * Math.Min(corroborating, 5);
        if (threatToLife)
        {
            priority = Math.Max(priority, 90);
        }

        if (outcome.Action == ModerationAction.Escalate)
        {
            priority = Math.Max(priority, Escalated);
        }

        return ((int)Math.Clamp(Math.Round(priority), 0, 100), threatToLife);
    }
}
