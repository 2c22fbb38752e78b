using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;

namespace Vigil.Storage.Webhooks;

internal sealed class SqliteWebhookStore(SqliteSession session) : IWebhookStore
{
    private const string WebhookColumns = "id, url, secret, events, created_by, created_at";

    private const string OutboxColumns = """
        id, webhook_id, event, payload, created_at, attempts, next_attempt_at, delivered_at, dead, last_status, last_error
        """;

    /// <summary>Queues one delivery per live webhook subscribed to <paramref name="eventName"/>, inside the caller's transaction.</summary>
    internal static async Task<int> EnqueueAsync(SqliteConnection connection, SqliteTransaction transaction, string eventName, string payload, long nowMs) =>
        await connection.ExecuteAsync(
            """
            INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, next_attempt_at)
            SELECT id, @eventName, @payload, @nowMs, @nowMs FROM webhooks
            WHERE deleted_at IS NULL AND instr(',' || events || ',', ',' || @eventName || ',') > 0;
            """,
            new { eventName, payload, nowMs },
            transaction);

    public Task<Webhook> AddAsync(Uri url, string secret, IReadOnlyList<string> events, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            long id = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO webhooks (url, secret, events, created_by, created_at) VALUES (@url, @secret, @events, @actor, @now) RETURNING id;",
                new { url = url.AbsoluteUri, secret, events = string.Join(',', events), actor, now },
                transaction);
            string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["url"] = url.AbsoluteUri, ["events"] = events });
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "webhook.created", $"webhook:{id}", details), now);
            return new Webhook(id, url, secret, events, actor, SqliteSession.FromMs(now));
        }, cancellationToken);

    public Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<Webhook>>(async connection =>
        {
            var rows = await connection.QueryAsync<WebhookRow>(new CommandDefinition(
                $"SELECT {WebhookColumns} FROM webhooks WHERE deleted_at IS NULL ORDER BY id;", cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToWebhook())];
        }, cancellationToken);

    public Task<Webhook?> GetAsync(long id, CancellationToken cancellationToken) =>
        session.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
                $"SELECT {WebhookColumns} FROM webhooks WHERE id = @id AND deleted_at IS NULL;", new { id }, cancellationToken: cancellationToken));
            return row?.ToWebhook();
        }, cancellationToken);

    public Task<bool> DeleteAsync(long id, string actor, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            int changed = await connection.ExecuteAsync(
                "UPDATE webhooks SET deleted_at = @now WHERE id = @id AND deleted_at IS NULL;", new { id, now }, transaction);
            if (changed == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(
                "UPDATE webhook_outbox SET dead = 1, last_error = 'webhook deleted' WHERE webhook_id = @id AND delivered_at IS NULL AND dead = 0;",
                new { id },
                transaction);
            await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "webhook.deleted", $"webhook:{id}"), now);
            return true;
        }, cancellationToken);

    public Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<DueDelivery>>(async connection =>
        {
            var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                $"""
                SELECT {OutboxColumns} FROM webhook_outbox
                WHERE delivered_at IS NULL AND dead = 0 AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit;
                """,
                new { now = now.ToUnixTimeMilliseconds(), limit },
                cancellationToken: cancellationToken));
            var due = new List<DueDelivery>();
            var hooks = new Dictionary<long, Webhook?>();
            foreach (var row in rows)
            {
                if (!hooks.TryGetValue(row.WebhookId, out var hook))
                {
                    var hookRow = await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
                        $"SELECT {WebhookColumns} FROM webhooks WHERE id = @id AND deleted_at IS NULL;", new { id = row.WebhookId }, cancellationToken: cancellationToken));
                    hooks[row.WebhookId] = hook = hookRow?.ToWebhook();
                }

                if (hook is not null)
                {
                    due.Add(new DueDelivery(row.ToMessage(), hook));
                }
            }

            return due;
        }, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        session.ReadAsync(async connection =>
        {
            long? next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT min(next_attempt_at) FROM webhook_outbox WHERE delivered_at IS NULL AND dead = 0;", cancellationToken: cancellationToken));
            return SqliteSession.FromMs(next);
        }, cancellationToken);

    public Task MarkDeliveredAsync(long messageId, int status, CancellationToken cancellationToken) =>
        session.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            "UPDATE webhook_outbox SET delivered_at = @now, attempts = attempts + 1, last_status = @status, last_error = NULL WHERE id = @messageId;",
            new { messageId, status, now = session.NowMs },
            transaction), cancellationToken);

    public Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        session.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            UPDATE webhook_outbox SET attempts = attempts + 1, last_status = @status, last_error = @error,
                next_attempt_at = coalesce(@next, next_attempt_at), dead = @dead
            WHERE id = @messageId;
            """,
            new { messageId, status, error = problem.Length > 500 ? problem[..500] : problem, next = nextAttemptAt?.ToUnixTimeMilliseconds(), dead = nextAttemptAt is null },
            transaction), cancellationToken);

    public Task<IReadOnlyList<OutboxMessage>> ListDeliveriesAsync(long webhookId, int limit, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<OutboxMessage>>(async connection =>
        {
            var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                $"SELECT {OutboxColumns} FROM webhook_outbox WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit;",
                new { webhookId, limit = Math.Clamp(limit, 1, 500) },
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToMessage())];
        }, cancellationToken);

    private sealed class WebhookRow
    {
        public long Id { get; set; }

        public string Url { get; set; } = "";

        public string Secret { get; set; } = "";

        public string Events { get; set; } = "";

        public string CreatedBy { get; set; } = "";

        public long CreatedAt { get; set; }

        public Webhook ToWebhook() => new(Id, new Uri(Url), Secret, Events.Split(',', StringSplitOptions.RemoveEmptyEntries), CreatedBy, SqliteSession.FromMs(CreatedAt));
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }

        public long WebhookId { get; set; }

        public string Event { get; set; } = "";

        public string Payload { get; set; } = "";

        public long CreatedAt { get; set; }

        public long Attempts { get; set; }

        public long NextAttemptAt { get; set; }

        public long? DeliveredAt { get; set; }

        public long Dead { get; set; }

        public long? LastStatus { get; set; }

        public string? LastError { get; set; }

        public OutboxMessage ToMessage() => new(
            Id, WebhookId, Event, Payload, SqliteSession.FromMs(CreatedAt), (int)Attempts, SqliteSession.FromMs(NextAttemptAt),
            SqliteSession.FromMs(DeliveredAt), Dead != 0, (int?)LastStatus, LastError);
    }
}
