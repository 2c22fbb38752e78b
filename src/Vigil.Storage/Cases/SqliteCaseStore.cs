using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Cases;

internal sealed class SqliteCaseStore(SqliteSession session) : ICaseStore
{
    /// <summary>The event name of decision webhooks.</summary>
    public const string DecisionEvent = "decision.created";

    private const string Columns = """
        id, content_id, queue, priority, state, verdict, action, labels, language, threat_to_life, policy_version,
        opened_at, claimed_by, lease_expires_at, closed_at
        """;

    public Task<IReadOnlyList<ReviewCase>> ListAsync(CaseQuery query, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<ReviewCase>>(async connection =>
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
                sql.Append(" AND instr(labels, @label) > 0");
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
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                sql.ToString(),
                new
                {
                    state = query.State is CaseState.Closed ? "closed" : "open",
                    query.Queue,
                    label = "," + query.Label + ",",
                    query.Language,
                    after = query.OpenedAfter?.ToUnixTimeMilliseconds(),
                    before = query.OpenedBefore?.ToUnixTimeMilliseconds(),
                    limit = Math.Clamp(query.Limit, 1, 500),
                    offset = Math.Max(0, query.Offset),
                },
                cancellationToken: cancellationToken));
            long now = session.NowMs;
            return [.. rows.Select(r => r.ToCase(now))];
        }, cancellationToken);

    public Task<ReviewCase?> GetAsync(long id, CancellationToken cancellationToken) =>
        session.ReadAsync(connection => GetAsync(connection, null, id, session.NowMs), cancellationToken);

    public Task<ReviewCase?> GetByContentAsync(long contentId, CancellationToken cancellationToken) =>
        session.ReadAsync(async connection =>
        {
            var row = await connection.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM cases WHERE content_id = @contentId ORDER BY id DESC LIMIT 1;", new { contentId }, cancellationToken: cancellationToken));
            return row?.ToCase(session.NowMs);
        }, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> CountOpenByQueueAsync(CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyDictionary<string, int>>(async connection =>
        {
            var rows = await connection.QueryAsync<QueueCount>(new CommandDefinition(
                "SELECT queue, count(*) AS count FROM cases WHERE state = 'open' GROUP BY queue ORDER BY queue;", cancellationToken: cancellationToken));
            return rows.ToDictionary(r => r.Queue, r => (int)r.Count, StringComparer.Ordinal);
        }, cancellationToken);

    public Task<ClaimResult> ClaimAsync(long id, string actor, TimeSpan lease, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            int changed = await connection.ExecuteAsync(
                """
                UPDATE cases SET claimed_by = @actor, lease_expires_at = @expires
                WHERE id = @id AND state = 'open' AND (claimed_by IS NULL OR claimed_by = @actor OR lease_expires_at <= @now);
                """,
                new { id, actor, expires = now + (long)lease.TotalMilliseconds, now },
                transaction);
            var current = await GetAsync(connection, transaction, id, now);
            var status = changed == 1 ? ClaimStatus.Claimed
                : current is null ? ClaimStatus.NotFound
                : current.State == CaseState.Closed ? ClaimStatus.Closed
                : ClaimStatus.HeldByOther;
            return new ClaimResult(status, current);
        }, cancellationToken);

    public Task<bool> ReleaseAsync(long id, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) => await connection.ExecuteAsync(
            "UPDATE cases SET claimed_by = NULL, lease_expires_at = NULL WHERE id = @id AND claimed_by = @actor AND lease_expires_at > @now;",
            new { id, actor, now = session.NowMs },
            transaction) == 1, cancellationToken);

    public Task<DecideResult> DecideAsync(NewDecision decision, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            var current = await GetAsync(connection, transaction, decision.CaseId, now);
            if (current is null)
            {
                return new DecideResult(DecideStatus.NotFound, null, null);
            }

            if (current.State == CaseState.Closed)
            {
                return new DecideResult(DecideStatus.Closed, null, current);
            }

            if (!string.Equals(current.ClaimedBy, decision.DecidedBy, StringComparison.Ordinal))
            {
                return new DecideResult(DecideStatus.NotClaimed, null, current);
            }

            long decisionId = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO decisions (case_id, content_id, decision, reason, decided_by, decided_at, policy_version)
                VALUES (@CaseId, @contentId, @value, @Reason, @DecidedBy, @now, @PolicyVersion) RETURNING id;
                """,
                new { decision.CaseId, contentId = current.ContentId, value = decision.Value.ToWire(), decision.Reason, decision.DecidedBy, now, decision.PolicyVersion },
                transaction);

            if (decision.Value == ReviewDecision.Escalate)
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE cases SET queue = @queue, priority = max(priority, 80), claimed_by = NULL, lease_expires_at = NULL
                    WHERE id = @id;
                    """,
                    new { id = decision.CaseId, queue = ActionPolicy.EscalationQueue },
                    transaction);
            }
            else
            {
                await connection.ExecuteAsync(
                    """
                    UPDATE cases SET state = 'closed', closed_at = @now, claimed_by = NULL, lease_expires_at = NULL,
                        threat_to_life = threat_to_life OR @threat
                    WHERE id = @id;
                    """,
                    new { id = decision.CaseId, now, threat = decision.Value == ReviewDecision.ReportThreatToLife },
                    transaction);
            }

            var updated = (await GetAsync(connection, transaction, decision.CaseId, now))!;
            var stored = new Decision(decisionId, decision.CaseId, current.ContentId, decision.Value, decision.Reason, decision.DecidedBy, SqliteSession.FromMs(now), decision.PolicyVersion);
            await SqliteWebhookStore.EnqueueAsync(connection, transaction, DecisionEvent, decision.WebhookPayload(stored, updated), now);

            string details = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["decision_id"] = decisionId,
                ["content_id"] = current.ContentId,
                ["decision"] = decision.Value.ToWire(),
                ["reason"] = decision.Reason,
                ["policy_version"] = decision.PolicyVersion,
                ["case_policy_version"] = current.PolicyVersion,
            });
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(decision.DecidedBy, "case.decided", $"case:{decision.CaseId}", details), now);
            return new DecideResult(DecideStatus.Decided, stored, updated);
        }, cancellationToken);

    public Task<IReadOnlyList<Decision>> ListDecisionsAsync(long caseId, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<Decision>>(async connection =>
        {
            var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
                "SELECT id, case_id, content_id, decision, reason, decided_by, decided_at, policy_version FROM decisions WHERE case_id = @caseId ORDER BY id;",
                new { caseId },
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToDecision())];
        }, cancellationToken);

    private static async Task<ReviewCase?> GetAsync(SqliteConnection connection, SqliteTransaction? transaction, long id, long now)
    {
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM cases WHERE id = @id;", new { id }, transaction);
        return row?.ToCase(now);
    }

    private sealed class Row
    {
        public long Id { get; set; }

        public long ContentId { get; set; }

        public string Queue { get; set; } = "";

        public long Priority { get; set; }

        public string State { get; set; } = "";

        public string Verdict { get; set; } = "";

        public string Action { get; set; } = "";

        public string Labels { get; set; } = "";

        public string? Language { get; set; }

        public long ThreatToLife { get; set; }

        public string PolicyVersion { get; set; } = "";

        public long OpenedAt { get; set; }

        public string? ClaimedBy { get; set; }

        public long? LeaseExpiresAt { get; set; }

        public long? ClosedAt { get; set; }

        public ReviewCase ToCase(long now)
        {
            bool live = ClaimedBy is not null && LeaseExpiresAt > now;
            return new ReviewCase(
                Id,
                ContentId,
                Queue,
                (int)Priority,
                State == "closed" ? CaseState.Closed : CaseState.Open,
                Verdict switch { "violating" => VerdictKind.Violating, "review" => VerdictKind.Review, _ => VerdictKind.Clear },
                ModerationActionNames.Parse(Action),
                StorageJson.ParseLabels(Labels),
                Language,
                ThreatToLife != 0,
                PolicyVersion,
                SqliteSession.FromMs(OpenedAt),
                live ? ClaimedBy : null,
                live ? SqliteSession.FromMs(LeaseExpiresAt) : null,
                SqliteSession.FromMs(ClosedAt));
        }
    }

    private sealed class DecisionRow
    {
        public long Id { get; set; }

        public long CaseId { get; set; }

        public long ContentId { get; set; }

        public string Decision { get; set; } = "";

        public string Reason { get; set; } = "";

        public string DecidedBy { get; set; } = "";

        public long DecidedAt { get; set; }

        public string PolicyVersion { get; set; } = "";

        public Decision ToDecision()
        {
            _ = ReviewDecisionNames.TryParse(Decision, out var value);
            return new Decision(Id, CaseId, ContentId, value, Reason, DecidedBy, SqliteSession.FromMs(DecidedAt), PolicyVersion);
        }
    }

    private sealed class QueueCount
    {
        public string Queue { get; set; } = "";

        public long Count { get; set; }
    }
}
