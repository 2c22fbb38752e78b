namespace Vigil.Storage.Policies;

/// <summary>A policy the service ran with.</summary>
public sealed record PolicyRecord(string Version, string Sha256, DateTimeOffset LoadedAt);

/// <summary>Reads the policies the service has run with.</summary>
public interface IPolicyReader
{
    /// <summary>The last policy recorded, or null.</summary>
    Task<PolicyRecord?> CurrentAsync(CancellationToken cancellationToken);
}

/// <summary>Records policies (inside a unit of work).</summary>
public interface IPolicyWriter : IPolicyReader
{
    Task InsertAsync(PolicyRecord policy, string json, CancellationToken cancellationToken);
}
