using Dapper;
using Vigil.Storage.Policies;

namespace Vigil.Storage.Relational;

/// <summary>The policies the service has run with (<c>policies</c>).</summary>
internal sealed class RelationalPolicies(RelationalScope scope) : IPolicyWriter
{
    public Task InsertAsync(PolicyRecord policy, string json, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO policies (version, sha256, json, loaded_at) VALUES (@Version, @Sha256, @json, @at);",
            new { policy.Version, policy.Sha256, json, at = UnixMs.Of(policy.LoadedAt) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<PolicyRecord?> CurrentAsync(CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await connection.QuerySingleOrDefaultAsync<PolicyRow>(new CommandDefinition(
            "SELECT version, sha256, loaded_at FROM policies ORDER BY id DESC LIMIT 1;", transaction: transaction, cancellationToken: cancellationToken)))?.ToRecord(), cancellationToken);
}
