using System.Data.Common;
using System.Text;
using Dapper;
using Vigil.Core;
using Vigil.Storage.Cases;

namespace Vigil.Storage.Relational;

/// <summary>Review cases (<c>cases</c>) and decisions (<c>decisions</c>).</summary>
internal sealed class RelationalCases(RelationalScope scope) : ICaseWriter
{
    private const string Columns = CaseRow.Columns;
    private const string DecisionColumns = DecisionRow.Columns;

    public Task<IReadOnlyList<ReviewCase>> ListAsync(CaseQuery query, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<ReviewCase>>(async (connection, transaction) =>
        {
            var sql = new StringBuilder($"SELECT {Columns} FROM cases WHERE 1 = 1");
            if (query.State is not null)
            {
                sql.Append(" AND state = @state");
            }

            if (query.Queue is not null)
            {
                sql.Append(" AND queue = @Queue");
            }

            if (query.Label is not null)
            {
                sql.Append(" AND ").Append(scope.Dialect.Contains("labels", "@label"));
            }

            if (query.Language is not null)
            {
                sql.Append(query.Language == "unknown" ? " AND language IS NULL" : " AND language = @Language");
            }

            if (query.OpenedAfter is not null)
            {
                sql.Append(" AND opened_at >= @after");
            }

            if (query.OpenedBefore is not null)
            {
                sql.Append(" AND opened_at <= @before");
            }

            sql.Append(" ORDER BY priority DESC, opened_at, id LIMIT @limit OFFSET @offset;");
            var rows = await connection.QueryAsync<CaseRow>(new CommandDefinition(
                sql.ToString(),
                new
                {
                    state = CaseRow.StateToWire(query.State ?? CaseState.Open),
                    query.Queue,
                    label = "," + query.Label + ",",
                    query.Language,
                    after = query.OpenedAfter?.ToUnixTimeMilliseconds(),
                    before = query.OpenedBefore?.ToUnixTimeMilliseconds(),
                    limit = Math.Clamp(query.Limit, 1, 500),
                    offset = Math.Max(0, query.Offset),
                },
                transaction,
                cancellationToken: cancellationToken));
            long now = scope.NowMs;
            return [.. rows.Select(r => r.ToCase(now))];
        }, cancellationToken);

    public Task<ReviewCase?> GetAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => GetAsync(connection, transaction, id, cancellationToken), cancellationToken);

    public Task<ReviewCase?> GetForUpdateAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => GetAsync(connection, transaction, id, cancellationToken, scope.Dialect.ForUpdate), cancellationToken);

    public Task<ReviewCase?> GetByContentAsync(long contentId, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QueryFirstOrDefaultAsync<CaseRow>(new CommandDefinition(
                $"SELECT {Columns} FROM cases WHERE content_id = @contentId ORDER BY id DESC LIMIT 1;", new { contentId }, transaction, cancellationToken: cancellationToken));
            return row?.ToCase(scope.NowMs);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> CountOpenByQueueAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyDictionary<string, int>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<QueueCount>(new CommandDefinition(
                "SELECT queue, count(*) AS count FROM cases WHERE state = 'open' GROUP BY queue ORDER BY queue;", transaction: transaction, cancellationToken: cancellationToken));
            return rows.ToDictionary(r => r.Queue, r => (int)r.Count, StringComparer.Ordinal);
        }, cancellationToken);

    public Task<IReadOnlyList<Decision>> ListDecisionsAsync(long caseId, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<Decision>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
                $"SELECT {DecisionColumns} FROM decisions WHERE case_id = @caseId ORDER BY id;", new { caseId }, transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToDecision())];
        }, cancellationToken);

    public Task<ReviewCase> InsertAsync(NewCase newCase, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO cases (content_id, queue, priority, state, verdict, action, labels, language, threat_to_life, policy_version, opened_at)
                VALUES (@ContentId, @Queue, @Priority, @state, @verdict, @action, @labels, @Language, @ThreatToLife, @PolicyVersion, @opened)
                RETURNING id;
                """,
                CaseRow.Values(new ReviewCase(
                    0, newCase.ContentId, newCase.Queue, newCase.Priority, CaseState.Open, newCase.Verdict, newCase.Action, newCase.Labels, newCase.Language,
                    newCase.ThreatToLife, newCase.PolicyVersion, newCase.OpenedAt, null, null, null)),
                transaction,
                cancellationToken: cancellationToken));
            return (await GetAsync(connection, transaction, id, cancellationToken))!;
        }, cancellationToken);

    public Task<ReviewCase> UpdateAsync(CaseUpdate update, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE cases SET queue = @Queue, priority = @Priority, state = @state, threat_to_life = @ThreatToLife,
                    claimed_by = @ClaimedBy, lease_expires_at = @expires, closed_at = @closed
                WHERE id = @Id;
                """,
                new
                {
                    update.Id,
                    update.Queue,
                    update.Priority,
                    state = CaseRow.StateToWire(update.State),
                    update.ThreatToLife,
                    update.ClaimedBy,
                    expires = update.LeaseExpiresAt?.ToUnixTimeMilliseconds(),
                    closed = update.ClosedAt?.ToUnixTimeMilliseconds(),
                },
                transaction,
                cancellationToken: cancellationToken));
            return changed == 1 && await GetAsync(connection, transaction, update.Id, cancellationToken) is { } updated
                ? updated
                : throw new InvalidOperationException($"There is no case {update.Id}.");
        }, cancellationToken);

    public Task<Decision> InsertDecisionAsync(NewDecision decision, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO decisions (case_id, content_id, decision, reason, decided_by, decided_at, policy_version)
                VALUES (@CaseId, @ContentId, @value, @Reason, @DecidedBy, @at, @PolicyVersion) RETURNING id;
                """,
                new { decision.CaseId, decision.ContentId, value = decision.Value.ToWire(), decision.Reason, decision.DecidedBy, at = UnixMs.Of(decision.DecidedAt), decision.PolicyVersion },
                transaction,
                cancellationToken: cancellationToken));
            return new Decision(id, decision.CaseId, decision.ContentId, decision.Value, decision.Reason, decision.DecidedBy, UnixMs.From(UnixMs.Of(decision.DecidedAt)), decision.PolicyVersion);
        }, cancellationToken);

    private async Task<ReviewCase?> GetAsync(DbConnection connection, DbTransaction? transaction, long id, CancellationToken cancellationToken, string locking = "")
    {
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"SELECT {Columns} FROM cases WHERE id = @id{locking};", new { id }, transaction, cancellationToken: cancellationToken));
        return row?.ToCase(scope.NowMs);
    }
}
