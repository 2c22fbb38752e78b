using Vigil.Core;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Wire;

/// <summary>A review case as the API and webhook events show it.</summary>
public sealed record CaseDto(
    long Id,
    long ContentId,
    string Queue,
    int Priority,
    string State,
    string Verdict,
    string Action,
    IReadOnlyList<string> Labels,
    string? Language,
    bool ThreatToLife,
    string PolicyVersion,
    DateTimeOffset OpenedAt,
    string? ClaimedBy,
    DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? ClosedAt)
{
    public static CaseDto From(ReviewCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(
            c.Id, c.ContentId, c.Queue, c.Priority, c.State == CaseState.Open ? "open" : "closed", c.Verdict.ToWire(), c.Action.ToWire(),
            c.Labels, c.Language, c.ThreatToLife, c.PolicyVersion, c.OpenedAt, c.ClaimedBy, c.LeaseExpiresAt, c.ClosedAt);
    }
}

/// <summary>A moderator's decision as the API and webhook events show it.</summary>
public sealed record DecisionDto(long Id, long CaseId, long ContentId, string Decision, string Reason, string DecidedBy, DateTimeOffset DecidedAt, string PolicyVersion)
{
    public static DecisionDto From(Decision d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, d.CaseId, d.ContentId, d.Value.ToWire(), d.Reason, d.DecidedBy, d.DecidedAt, d.PolicyVersion);
    }
}
