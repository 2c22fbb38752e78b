using Vigil.Core;

namespace Vigil.Storage.Cases;

public enum CaseState
{
    Open,
    Closed,
}

/// <summary>What a moderator decided about a case.</summary>
public enum ReviewDecision
{
    /// <summary>The content stays up.</summary>
    KeepUp,

    /// <summary>The content is taken down.</summary>
    Remove,

    /// <summary>The content stays up with reduced reach (age gate, no recommendations, interstitial).</summary>
    Restrict,

    /// <summary>A senior reviewer should decide: the case moves to the escalation queue and stays open.</summary>
    Escalate,

    /// <summary>The content suggests an imminent threat to life: take it down and report it to the authorities.</summary>
    ReportThreatToLife,
}

public static class ReviewDecisionNames
{
    public static IReadOnlyList<string> All { get; } = ["keep_up", "remove", "restrict", "escalate", "report_threat_to_life"];

    public static string ToWire(this ReviewDecision decision) => decision switch
    {
        ReviewDecision.Remove => "remove",
        ReviewDecision.Restrict => "restrict",
        ReviewDecision.Escalate => "escalate",
        ReviewDecision.ReportThreatToLife => "report_threat_to_life",
        _ => "keep_up",
    };

    public static bool TryParse(string? wire, out ReviewDecision decision)
    {
        (bool ok, decision) = wire switch
        {
            "keep_up" => (true, ReviewDecision.KeepUp),
            "remove" => (true, ReviewDecision.Remove),
            "restrict" => (true, ReviewDecision.Restrict),
            "escalate" => (true, ReviewDecision.Escalate),
            "report_threat_to_life" => (true, ReviewDecision.ReportThreatToLife),
            _ => (false, ReviewDecision.KeepUp),
        };
        return ok;
    }
}

/// <summary>A review case.</summary>
/// <param name="Priority">0 to 100; higher is reviewed first.</param>
/// <param name="PolicyVersion">The policy version that opened it.</param>
/// <param name="ClaimedBy">Who holds the lease, while it has not expired.</param>
public sealed record ReviewCase(
    long Id,
    long ContentId,
    string Queue,
    int Priority,
    CaseState State,
    VerdictKind Verdict,
    ModerationAction Action,
    IReadOnlyList<string> Labels,
    string? Language,
    bool ThreatToLife,
    string PolicyVersion,
    DateTimeOffset OpenedAt,
    string? ClaimedBy,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? ClosedAt);

/// <summary>Which cases to list. Cases come by priority (highest first), then oldest first.</summary>
/// <param name="OpenedBefore">Only cases opened before this time (i.e. at least this old).</param>
/// <param name="OpenedAfter">Only cases opened after this time (i.e. at most this old).</param>
public sealed record CaseQuery(
    string? Queue = null,
    CaseState? State = CaseState.Open,
    string? Label = null,
    string? Language = null,
    DateTimeOffset? OpenedAfter = null,
    DateTimeOffset? OpenedBefore = null,
    int Limit = 50,
    int Offset = 0);

/// <summary>A recorded decision.</summary>
/// <param name="PolicyVersion">The policy version in force when the decision was made.</param>
public sealed record Decision(
    long Id,
    long CaseId,
    long ContentId,
    ReviewDecision Value,
    string Reason,
    string DecidedBy,
    DateTimeOffset DecidedAt,
    string PolicyVersion);

/// <summary>A decision to store, as the application layer decided it.</summary>
/// <param name="PolicyVersion">The policy version in force when it was made.</param>
public sealed record NewDecision(long CaseId, long ContentId, ReviewDecision Value, string Reason, string DecidedBy, DateTimeOffset DecidedAt, string PolicyVersion);

/// <summary>A case to open for a content item.</summary>
/// <param name="Priority">0 (lowest) to 100.</param>
/// <param name="ThreatToLife">Whether the content suggests a threat to life.</param>
public sealed record NewCase(
    long ContentId,
    string Queue,
    int Priority,
    VerdictKind Verdict,
    ModerationAction Action,
    IReadOnlyList<string> Labels,
    string? Language,
    bool ThreatToLife,
    string PolicyVersion,
    DateTimeOffset OpenedAt);

/// <summary>A case's state after a change the application layer decided (every field is written).</summary>
/// <param name="ClaimedBy">The lease holder, or null for none.</param>
/// <param name="LeaseExpiresAt">When the lease ends, or null for none.</param>
public sealed record CaseUpdate(
    long Id,
    string Queue,
    int Priority,
    CaseState State,
    bool ThreatToLife,
    string? ClaimedBy,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? ClosedAt)
{
    /// <summary>The case as it is, ready to change with <c>with</c>.</summary>
    public static CaseUpdate Of(ReviewCase c) =>
        new(c.Id, c.Queue, c.Priority, c.State, c.ThreatToLife, c.ClaimedBy, c.LeaseExpiresAt, c.ClosedAt);
}

public enum ClaimStatus
{
    Claimed,
    HeldByOther,
    Closed,
    NotFound,
}

/// <summary>The outcome of a claim: the case as it is now.</summary>
public sealed record ClaimResult(ClaimStatus Status, ReviewCase? Case);

public enum DecideStatus
{
    Decided,

    /// <summary>The actor does not hold a live lease on the case (claim it first).</summary>
    NotClaimed,
    Closed,
    NotFound,
}

public sealed record DecideResult(DecideStatus Status, Decision? Decision, ReviewCase? Case);
