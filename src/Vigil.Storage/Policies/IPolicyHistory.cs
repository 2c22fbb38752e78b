namespace Vigil.Storage.Policies;

/// <summary>A policy the service ran with.</summary>
public sealed record PolicyRecord(string Version, string Sha256, DateTimeOffset LoadedAt);

/// <summary>The policies the service has run with; a change is audited.</summary>
public interface IPolicyHistory
{
    /// <summary>Records the policy in force (JSON as loaded). When it differs from the last one recorded, stores it and
    /// audits <c>policy.changed</c>, returning the previous one (null for the first); when it is the same, returns it
    /// unchanged and writes nothing.</summary>
    Task<(bool Changed, PolicyRecord? Previous)> RecordAsync(string version, string json, string actor, CancellationToken cancellationToken);

    Task<PolicyRecord?> CurrentAsync(CancellationToken cancellationToken);
}
