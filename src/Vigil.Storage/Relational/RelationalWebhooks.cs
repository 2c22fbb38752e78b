using Dapper;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Relational;

/// <summary>Webhook subscriptions (<c>webhooks</c>).</summary>
internal sealed class RelationalWebhooks(RelationalScope scope) : IWebhookWriter
{
    internal const string Columns = WebhookRow.Columns;

    public Task<Webhook> InsertAsync(Uri url, string secret, IReadOnlyList<string> events, string createdBy, DateTimeOffset createdAt, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long at = UnixMs.Of(createdAt);
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO webhooks (url, secret, events, created_by, created_at) VALUES (@url, @secret, @events, @createdBy, @at) RETURNING id;",
                new { url = url.AbsoluteUri, secret, events = string.Join(',', events), createdBy, at },
                transaction,
                cancellationToken: cancellationToken));
            return new Webhook(id, url, secret, events, createdBy, UnixMs.From(at));
        }, cancellationToken);

    public Task<IReadOnlyList<Webhook>> ListAsync(CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<Webhook>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<WebhookRow>(new CommandDefinition(
                $"SELECT {Columns} FROM webhooks WHERE deleted_at IS NULL ORDER BY id;", transaction: transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToWebhook())];
        }, cancellationToken);

    public Task<Webhook?> GetAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await connection.QuerySingleOrDefaultAsync<WebhookRow>(new CommandDefinition(
            $"SELECT {Columns} FROM webhooks WHERE id = @id AND deleted_at IS NULL;", new { id }, transaction, cancellationToken: cancellationToken)))?.ToWebhook(), cancellationToken);

    public Task<bool> DeleteAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhooks SET deleted_at = @at WHERE id = @id AND deleted_at IS NULL;", new { id, at = UnixMs.Of(at) }, transaction, cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<IReadOnlyList<OutboxMessage>> ListDeliveriesAsync(long webhookId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<OutboxMessage>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
                $"SELECT {OutboxRow.Columns} FROM webhook_outbox WHERE webhook_id = @webhookId ORDER BY id DESC LIMIT @limit;",
                new { webhookId, limit = Math.Clamp(limit, 1, 500) },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToMessage())];
        }, cancellationToken);
}

/// <summary>The webhook outbox (<c>webhook_outbox</c>): queued inside units of work, worked through by the dispatcher.</summary>
internal sealed class RelationalOutbox(RelationalScope scope) : IOutboxWriter
{
    /// <summary>When a pending delivery is due for a dispatcher: its next attempt, or, while another holds its lease, when the lease ends.</summary>
    internal const string NextDue = "CASE WHEN leased_by IS NOT NULL AND lease_expires_at > next_attempt_at THEN lease_expires_at ELSE next_attempt_at END";

    public Task<long> EnqueueAsync(long webhookId, string eventName, string payload, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO webhook_outbox (webhook_id, event, payload, created_at, next_attempt_at) VALUES (@webhookId, @eventName, @payload, @at, @at) RETURNING id;",
            new { webhookId, eventName, payload, at = UnixMs.Of(at) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<int> AbandonPendingAsync(long webhookId, string reason, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_outbox SET dead = TRUE, last_error = @reason WHERE webhook_id = @webhookId AND delivered_at IS NULL AND NOT dead;",
            new { webhookId, reason },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        DueAsync(now, limit, leasedToo: true, cancellationToken);

    /// <summary>Leases due deliveries to <paramref name="owner"/> (the caller runs this in a unit of work).</summary>
    public Task<IReadOnlyList<DueDelivery>> LeaseDueAsync(DateTimeOffset now, int limit, string owner, TimeSpan lease, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var due = await DueAsync(now, limit, leasedToo: false, cancellationToken);
            foreach (var delivery in due)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE webhook_outbox SET leased_by = @owner, lease_expires_at = @until WHERE id = @id;",
                    new { owner, until = UnixMs.Of(now + lease), id = delivery.Message.Id },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            return due;
        }, cancellationToken);

    private Task<IReadOnlyList<DueDelivery>> DueAsync(DateTimeOffset now, int limit, bool leasedToo, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<DueDelivery>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<DueRow>(new CommandDefinition(
                $"""
                SELECT {DueRow.Select}
                FROM webhook_outbox o JOIN webhooks w ON w.id = o.webhook_id AND w.deleted_at IS NULL
                WHERE o.delivered_at IS NULL AND NOT o.dead AND o.next_attempt_at <= @now
                    AND (@leasedToo OR o.leased_by IS NULL OR o.lease_expires_at <= @now)
                ORDER BY o.next_attempt_at, o.id LIMIT @limit{(leasedToo ? "" : scope.Dialect.ForUpdateSkipLocked)};
                """,
                new { now = UnixMs.Of(now), limit, leasedToo },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToDelivery())];
        }, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => UnixMs.From(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT min({NextDue}) FROM webhook_outbox WHERE delivered_at IS NULL AND NOT dead;", transaction: transaction, cancellationToken: cancellationToken))), cancellationToken);

    public Task MarkDeliveredAsync(long messageId, int status, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE webhook_outbox SET delivered_at = @at, attempts = attempts + 1, last_status = @status, last_error = NULL, leased_by = NULL, lease_expires_at = NULL WHERE id = @messageId;",
            new { messageId, status, at = UnixMs.Of(at) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task MarkFailedAsync(long messageId, int? status, string problem, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE webhook_outbox SET attempts = attempts + 1, last_status = @status, last_error = @error,
                next_attempt_at = coalesce(@next, next_attempt_at), dead = @dead, leased_by = NULL, lease_expires_at = NULL
            WHERE id = @messageId;
            """,
            new { messageId, status, error = OutboxRow.Problem(problem), next = nextAttemptAt?.ToUnixTimeMilliseconds(), dead = nextAttemptAt is null },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);
}
