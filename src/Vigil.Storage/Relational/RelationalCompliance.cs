using System.Data.Common;
using System.Text.Json;
using Dapper;
using Vigil.Core.Compliance;
using Vigil.Storage.Compliance;

namespace Vigil.Storage.Relational;

/// <summary>Removal orders (<c>removal_orders</c>, <c>removal_order_targets</c>, <c>removal_order_documents</c>),
/// preservations (<c>preservations</c>, <c>preservation_holds</c>) and purging content (<c>content_items.purged_at</c>).</summary>
internal sealed class RelationalCompliance(RelationalScope scope) : IComplianceWriter
{
    private const string OrderColumns = """
        id, reference, member_state, authority, contact_point, issued_at, received_at, reasons, withheld_until, stops,
        warnings_sent, executed_at, executed_by, breached_at, logged_by, logged_at
        """;

    private const string PreservationColumns = "content_id, basis, reference, removed_at, preserve_until, purged_at";
    private const string HoldColumns = "id, content_id, reason, hold_until, created_by, created_at, released_by, released_at";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<RemovalOrder> InsertOrderAsync(NewRemovalOrder order, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO removal_orders (reference, member_state, authority, contact_point, issued_at, received_at, reasons, withheld_until,
                    stops, warnings_sent, logged_by, logged_at)
                VALUES (@Reference, @MemberState, @Authority, @ContactPoint, @issued, @received, @reasons, @withheld, '[]', '[]', @LoggedBy, @logged)
                RETURNING id;
                """,
                new
                {
                    order.Details.Reference,
                    order.Details.MemberState,
                    order.Details.Authority,
                    order.Details.ContactPoint,
                    issued = UnixMs.Of(order.Details.IssuedAt),
                    received = UnixMs.Of(order.Details.ReceivedAt),
                    reasons = JsonSerializer.Serialize(order.Details.Reasons, Json),
                    withheld = UnixMs.Of(order.Details.DisclosureWithheldUntil),
                    order.LoggedBy,
                    logged = UnixMs.Of(order.LoggedAt),
                },
                transaction,
                cancellationToken: cancellationToken));
            await WriteTargetsAsync(connection, transaction, id, order.Targets, cancellationToken);
            if (order.Document is { } document)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO removal_order_documents (order_id, media_type, sha256, length, name, bytes) VALUES (@id, @MediaType, @Sha256, @Length, @Name, @bytes);",
                    new { id, document.MediaType, document.Sha256, document.Length, document.Name, bytes = order.DocumentBytes.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            return (await GetOrderAsync(connection, transaction, id, "", cancellationToken))!;
        }, cancellationToken);

    public Task<RemovalOrder?> GetOrderAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => GetOrderAsync(connection, transaction, id, "", cancellationToken), cancellationToken);

    public Task<RemovalOrder?> GetOrderForUpdateAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => GetOrderAsync(connection, transaction, id, scope.Dialect.ForUpdate, cancellationToken), cancellationToken);

    public Task<IReadOnlyList<RemovalOrder>> ListOrdersAsync(bool openOnly, int limit, CancellationToken cancellationToken) =>
        ListOrdersWhereAsync(
            $"{(openOnly ? "WHERE executed_at IS NULL " : "")}ORDER BY received_at DESC, id DESC LIMIT @limit", new { limit = Math.Clamp(limit, 1, 1000) }, cancellationToken);

    public Task<IReadOnlyList<RemovalOrder>> ListOrdersReceivedAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        ListOrdersWhereAsync("WHERE received_at >= @from AND received_at < @to ORDER BY received_at, id", new { from = UnixMs.Of(since), to = UnixMs.Of(until) }, cancellationToken);

    public Task<RemovalOrder?> GetOrderByCaseAsync(long caseId, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long? id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT order_id FROM removal_order_targets WHERE case_id = @caseId ORDER BY order_id LIMIT 1;", new { caseId }, transaction, cancellationToken: cancellationToken));
            return id is { } orderId ? await GetOrderAsync(connection, transaction, orderId, "", cancellationToken) : null;
        }, cancellationToken);

    public Task<int> CountOrdersReceivedSinceAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM removal_orders WHERE received_at >= @since;", new { since = UnixMs.Of(since) }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<(OrderDocument Document, byte[] Bytes)?> GetOrderDocumentAsync(long orderId, CancellationToken cancellationToken) =>
        scope.RunAsync<(OrderDocument, byte[])?>(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition(
                "SELECT media_type, sha256, length, name, bytes FROM removal_order_documents WHERE order_id = @orderId;",
                new { orderId },
                transaction,
                cancellationToken: cancellationToken));
            return row is null ? null : (row.ToDocument(), row.Bytes ?? []);
        }, cancellationToken);

    public Task<RemovalOrder> UpdateOrderAsync(RemovalOrderUpdate update, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE removal_orders SET stops = @stops, warnings_sent = @warnings, executed_at = @executed, executed_by = @ExecutedBy, breached_at = @breached
                WHERE id = @Id;
                """,
                new
                {
                    update.Id,
                    stops = JsonSerializer.Serialize(update.Stops.Select(StopRow.Of), Json),
                    warnings = JsonSerializer.Serialize(update.WarningsSent.Select(w => (long)w.TotalMilliseconds), Json),
                    executed = UnixMs.Of(update.ExecutedAt),
                    update.ExecutedBy,
                    breached = UnixMs.Of(update.BreachedAt),
                },
                transaction,
                cancellationToken: cancellationToken));
            if (changed != 1)
            {
                throw new InvalidOperationException($"There is no removal order {update.Id}.");
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM removal_order_targets WHERE order_id = @Id;", new { update.Id }, transaction, cancellationToken: cancellationToken));
            await WriteTargetsAsync(connection, transaction, update.Id, update.Targets, cancellationToken);
            return (await GetOrderAsync(connection, transaction, update.Id, "", cancellationToken))!;
        }, cancellationToken);

    public Task<long?> FindContentAsync(string location, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM content_items WHERE platform_content_id = @location OR url = @location ORDER BY id DESC LIMIT 1;",
            new { location },
            transaction,
            cancellationToken: cancellationToken)),
            cancellationToken);

    public Task<bool> InsertPreservationAsync(NewPreservation preservation, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO preservations (content_id, basis, reference, removed_at, preserve_until)
            VALUES (@ContentId, @Basis, @Reference, @removed, @until) ON CONFLICT DO NOTHING;
            """,
            new { preservation.ContentId, preservation.Basis, preservation.Reference, removed = UnixMs.Of(preservation.RemovedAt), until = UnixMs.Of(preservation.PreserveUntil) },
            transaction,
            cancellationToken: cancellationToken)) == 1,
            cancellationToken);

    public Task<Preservation?> GetPreservationAsync(long contentId, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<PreservationRow>(new CommandDefinition(
                $"SELECT {PreservationColumns} FROM preservations WHERE content_id = @contentId;", new { contentId }, transaction, cancellationToken: cancellationToken));
            return row is null ? null : (await WithHoldsAsync(connection, transaction, [row], cancellationToken))[0];
        }, cancellationToken);

    public Task<IReadOnlyList<Preservation>> ListPreservationsAsync(bool unpurgedOnly, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<Preservation>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<PreservationRow>(new CommandDefinition(
                $"SELECT {PreservationColumns} FROM preservations{(unpurgedOnly ? " WHERE purged_at IS NULL" : "")} ORDER BY preserve_until, content_id LIMIT @limit;",
                new { limit = Math.Clamp(limit, 1, 10_000) },
                transaction,
                cancellationToken: cancellationToken));
            return await WithHoldsAsync(connection, transaction, [.. rows], cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<RetentionCandidate>> ListRetentionCandidatesAsync(DateTimeOffset receivedBefore, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<RetentionCandidate>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<(long Id, long ReceivedAt)>(new CommandDefinition(
                """
                SELECT c.id, c.received_at FROM content_items c
                WHERE c.received_at < @before AND c.purged_at IS NULL AND NOT EXISTS (SELECT 1 FROM preservations p WHERE p.content_id = c.id)
                ORDER BY c.received_at, c.id LIMIT @limit;
                """,
                new { before = UnixMs.Of(receivedBefore), limit = Math.Clamp(limit, 1, 10_000) },
                transaction,
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => new RetentionCandidate(r.Id, UnixMs.From(r.ReceivedAt)))];
        }, cancellationToken);

    public Task<DateTimeOffset?> GetPurgedAtAsync(long contentId, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => UnixMs.From(await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT purged_at FROM content_items WHERE id = @contentId;", new { contentId }, transaction, cancellationToken: cancellationToken))),
            cancellationToken);

    public Task<PreservationHold> InsertHoldAsync(PreservationHold hold, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO preservation_holds (content_id, reason, hold_until, created_by, created_at, released_by, released_at)
                VALUES (@ContentId, @Reason, @until, @CreatedBy, @created, @ReleasedBy, @released) RETURNING id;
                """,
                HoldValues(hold),
                transaction,
                cancellationToken: cancellationToken));
            return hold with { Id = id, HoldUntil = Ms(hold.HoldUntil), CreatedAt = Ms(hold.CreatedAt), ReleasedAt = UnixMs.From(UnixMs.Of(hold.ReleasedAt)) };
        }, cancellationToken);

    public Task<bool> UpdateHoldAsync(PreservationHold hold, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE preservation_holds SET reason = @Reason, hold_until = @until, released_by = @ReleasedBy, released_at = @released WHERE id = @Id;",
            HoldValues(hold),
            transaction,
            cancellationToken: cancellationToken)) == 1,
            cancellationToken);

    public Task<bool> PurgeContentAsync(long contentId, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            int changed = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE content_items SET text = NULL, metadata = NULL, purged_at = @at WHERE id = @contentId AND purged_at IS NULL;",
                new { contentId, at = UnixMs.Of(at) },
                transaction,
                cancellationToken: cancellationToken));
            if (changed == 0)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE content_parts SET bytes = NULL WHERE content_id = @contentId;", new { contentId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE preservations SET purged_at = @at WHERE content_id = @contentId;", new { contentId, at = UnixMs.Of(at) }, transaction, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    /// <summary>Orders after the id <paramref name="afterId"/>, in id order, with their document bytes (empty without one), for export.</summary>
    internal Task<IReadOnlyList<(RemovalOrder Order, byte[] DocumentBytes)>> ExportOrdersAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<(RemovalOrder, byte[])>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderColumns} FROM removal_orders WHERE id > @afterId ORDER BY id LIMIT @limit;", new { afterId, limit }, transaction, cancellationToken: cancellationToken));
            var list = new List<(RemovalOrder, byte[])>();
            foreach (var row in rows)
            {
                var bytes = await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition(
                    "SELECT bytes FROM removal_order_documents WHERE order_id = @Id;", new { row.Id }, transaction, cancellationToken: cancellationToken));
                list.Add((await WithDetailsAsync(connection, transaction, row, cancellationToken), bytes ?? []));
            }

            return list;
        }, cancellationToken);

    /// <summary>Writes an exported order as it was (its id, state, targets and document); false when an order with its id is there.</summary>
    internal Task<bool> ImportOrderAsync(RemovalOrder order, ReadOnlyMemory<byte> documentBytes, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var details = order.Details;
            int inserted = await connection.ExecuteAsync(new CommandDefinition(
                $"""
                INSERT INTO removal_orders ({OrderColumns})
                VALUES (@Id, @Reference, @MemberState, @Authority, @ContactPoint, @issued, @received, @reasons, @withheld, @stops, @warnings,
                    @executed, @ExecutedBy, @breached, @LoggedBy, @logged)
                ON CONFLICT DO NOTHING;
                """,
                new
                {
                    order.Id,
                    details.Reference,
                    details.MemberState,
                    details.Authority,
                    details.ContactPoint,
                    issued = UnixMs.Of(details.IssuedAt),
                    received = UnixMs.Of(details.ReceivedAt),
                    reasons = JsonSerializer.Serialize(details.Reasons, Json),
                    withheld = UnixMs.Of(details.DisclosureWithheldUntil),
                    stops = JsonSerializer.Serialize(order.Stops.Select(StopRow.Of), Json),
                    warnings = JsonSerializer.Serialize(order.WarningsSent.Select(w => (long)w.TotalMilliseconds), Json),
                    executed = UnixMs.Of(order.ExecutedAt),
                    order.ExecutedBy,
                    breached = UnixMs.Of(order.BreachedAt),
                    order.LoggedBy,
                    logged = UnixMs.Of(order.LoggedAt),
                },
                transaction,
                cancellationToken: cancellationToken));
            if (inserted == 0)
            {
                return false;
            }

            await WriteTargetsAsync(connection, transaction, order.Id, order.Targets, cancellationToken);
            if (order.Document is { } document)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO removal_order_documents (order_id, media_type, sha256, length, name, bytes) VALUES (@Id, @MediaType, @Sha256, @Length, @Name, @bytes);",
                    new { order.Id, document.MediaType, document.Sha256, document.Length, document.Name, bytes = documentBytes.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken));
            }

            return true;
        }, cancellationToken);

    /// <summary>Preservations after the content id <paramref name="afterContentId"/>, in that order, for export.</summary>
    internal Task<IReadOnlyList<(NewPreservation Preservation, DateTimeOffset? PurgedAt)>> ExportPreservationsAsync(long afterContentId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<(NewPreservation, DateTimeOffset?)>>(async (connection, transaction) =>
            [.. (await connection.QueryAsync<PreservationRow>(new CommandDefinition(
                $"SELECT {PreservationColumns} FROM preservations WHERE content_id > @afterContentId ORDER BY content_id LIMIT @limit;",
                new { afterContentId, limit },
                transaction,
                cancellationToken: cancellationToken)))
                .Select(r => (new NewPreservation(r.ContentId, r.Basis, r.Reference, UnixMs.From(r.RemovedAt), UnixMs.From(r.PreserveUntil)), UnixMs.From(r.PurgedAt)))],
            cancellationToken);

    /// <summary>Writes an exported preservation as it was; false when its content is preserved already.</summary>
    internal Task<bool> ImportPreservationAsync(NewPreservation preservation, DateTimeOffset? purgedAt, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO preservations ({PreservationColumns})
            VALUES (@ContentId, @Basis, @Reference, @removed, @until, @purged) ON CONFLICT DO NOTHING;
            """,
            new
            {
                preservation.ContentId,
                preservation.Basis,
                preservation.Reference,
                removed = UnixMs.Of(preservation.RemovedAt),
                until = UnixMs.Of(preservation.PreserveUntil),
                purged = UnixMs.Of(purgedAt),
            },
            transaction,
            cancellationToken: cancellationToken)) == 1,
            cancellationToken);

    /// <summary>Holds after the id <paramref name="afterId"/>, in id order, for export.</summary>
    internal Task<IReadOnlyList<PreservationHold>> ExportHoldsAsync(long afterId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<PreservationHold>>(async (connection, transaction) =>
            [.. (await connection.QueryAsync<HoldRow>(new CommandDefinition(
                $"SELECT {HoldColumns} FROM preservation_holds WHERE id > @afterId ORDER BY id LIMIT @limit;", new { afterId, limit }, transaction, cancellationToken: cancellationToken)))
                .Select(h => h.ToHold())],
            cancellationToken);

    /// <summary>Writes an exported hold with its id; false when a hold with that id is there.</summary>
    internal Task<bool> ImportHoldAsync(PreservationHold hold, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO preservation_holds ({HoldColumns})
            VALUES (@Id, @ContentId, @Reason, @until, @CreatedBy, @created, @ReleasedBy, @released) ON CONFLICT DO NOTHING;
            """,
            HoldValues(hold),
            transaction,
            cancellationToken: cancellationToken)) == 1,
            cancellationToken);

    private static DateTimeOffset Ms(DateTimeOffset at) => UnixMs.From(UnixMs.Of(at));

    private static object HoldValues(PreservationHold hold) => new
    {
        hold.Id,
        hold.ContentId,
        hold.Reason,
        until = UnixMs.Of(hold.HoldUntil),
        hold.CreatedBy,
        created = UnixMs.Of(hold.CreatedAt),
        hold.ReleasedBy,
        released = UnixMs.Of(hold.ReleasedAt),
    };

    private static async Task WriteTargetsAsync(DbConnection connection, DbTransaction? transaction, long orderId, IReadOnlyList<OrderTarget> targets, CancellationToken cancellationToken)
    {
        for (int i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO removal_order_targets (order_id, position, location, content_id, case_id, removed_at)
                VALUES (@orderId, @position, @Location, @ContentId, @CaseId, @removed);
                """,
                new { orderId, position = i, target.Location, target.ContentId, target.CaseId, removed = UnixMs.Of(target.RemovedAt) },
                transaction,
                cancellationToken: cancellationToken));
        }
    }

    /// <summary>The orders that <paramref name="filterAndOrder"/> (the SQL after <c>FROM removal_orders</c>) selects, with
    /// their targets and documents.</summary>
    private Task<IReadOnlyList<RemovalOrder>> ListOrdersWhereAsync(string filterAndOrder, object parameters, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<RemovalOrder>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<OrderRow>(new CommandDefinition(
                $"SELECT {OrderColumns} FROM removal_orders {filterAndOrder};", parameters, transaction, cancellationToken: cancellationToken));
            var list = new List<RemovalOrder>();
            foreach (var row in rows)
            {
                list.Add(await WithDetailsAsync(connection, transaction, row, cancellationToken));
            }

            return list;
        }, cancellationToken);

    private static async Task<RemovalOrder?> GetOrderAsync(DbConnection connection, DbTransaction? transaction, long id, string locking, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<OrderRow>(new CommandDefinition(
            $"SELECT {OrderColumns} FROM removal_orders WHERE id = @id{locking};", new { id }, transaction, cancellationToken: cancellationToken));
        return row is null ? null : await WithDetailsAsync(connection, transaction, row, cancellationToken);
    }

    private static async Task<RemovalOrder> WithDetailsAsync(DbConnection connection, DbTransaction? transaction, OrderRow row, CancellationToken cancellationToken)
    {
        var targets = await connection.QueryAsync<TargetRow>(new CommandDefinition(
            "SELECT location, content_id, case_id, removed_at FROM removal_order_targets WHERE order_id = @Id ORDER BY position;",
            new { row.Id },
            transaction,
            cancellationToken: cancellationToken));
        var document = await connection.QuerySingleOrDefaultAsync<DocumentRow>(new CommandDefinition(
            "SELECT media_type, sha256, length, name FROM removal_order_documents WHERE order_id = @Id;", new { row.Id }, transaction, cancellationToken: cancellationToken));
        return row.ToOrder([.. targets.Select(t => t.ToTarget())], document?.ToDocument());
    }

    private async Task<IReadOnlyList<Preservation>> WithHoldsAsync(DbConnection connection, DbTransaction? transaction, List<PreservationRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var holds = (await connection.QueryAsync<HoldRow>(new CommandDefinition(
                $"SELECT {HoldColumns} FROM preservation_holds WHERE {scope.Dialect.InList("content_id", "@ids")} ORDER BY id;",
                new { ids = rows.Select(r => r.ContentId).ToArray() },
                transaction,
                cancellationToken: cancellationToken)))
            .Select(h => h.ToHold())
            .ToLookup(h => h.ContentId);
        return [.. rows.Select(r => r.ToPreservation([.. holds[r.ContentId]]))];
    }

    private sealed class OrderRow
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";

        public string MemberState { get; set; } = "";

        public string Authority { get; set; } = "";

        public string? ContactPoint { get; set; }

        public long IssuedAt { get; set; }

        public long ReceivedAt { get; set; }

        public string Reasons { get; set; } = "[]";

        public long? WithheldUntil { get; set; }

        public string Stops { get; set; } = "[]";

        public string WarningsSent { get; set; } = "[]";

        public long? ExecutedAt { get; set; }

        public string? ExecutedBy { get; set; }

        public long? BreachedAt { get; set; }

        public string LoggedBy { get; set; } = "";

        public long LoggedAt { get; set; }

        public RemovalOrder ToOrder(IReadOnlyList<OrderTarget> targets, OrderDocument? document) => new(
            Id,
            new OrderDetails(
                Reference,
                MemberState,
                Authority,
                ContactPoint,
                UnixMs.From(IssuedAt),
                UnixMs.From(ReceivedAt),
                JsonSerializer.Deserialize<List<string>>(Reasons, Json) ?? [],
                UnixMs.From(WithheldUntil)),
            targets,
            document,
            LoggedBy,
            UnixMs.From(LoggedAt),
            [.. (JsonSerializer.Deserialize<List<StopRow>>(Stops, Json) ?? []).Select(s => s.ToStop())],
            [.. (JsonSerializer.Deserialize<List<long>>(WarningsSent, Json) ?? []).Select(ms => TimeSpan.FromMilliseconds(ms))],
            UnixMs.From(ExecutedAt),
            ExecutedBy,
            UnixMs.From(BreachedAt));
    }

    private sealed record StopRow(string Ground, string Explanation, long StoppedAt, long? ResumedAt)
    {
        public static StopRow Of(ClockStop stop) => new(stop.Ground.ToString(), stop.Explanation, UnixMs.Of(stop.StoppedAt), UnixMs.Of(stop.ResumedAt));

        public ClockStop ToStop() => new(Enum.Parse<ClockStopGround>(Ground), Explanation, UnixMs.From(StoppedAt), UnixMs.From(ResumedAt));
    }

    private sealed class TargetRow
    {
        public string Location { get; set; } = "";

        public long? ContentId { get; set; }

        public long? CaseId { get; set; }

        public long? RemovedAt { get; set; }

        public OrderTarget ToTarget() => new(Location, ContentId, CaseId, UnixMs.From(RemovedAt));
    }

    private sealed class DocumentRow
    {
        public string MediaType { get; set; } = "";

        public string Sha256 { get; set; } = "";

        public long Length { get; set; }

        public string? Name { get; set; }

        public byte[]? Bytes { get; set; }

        public OrderDocument ToDocument() => new(MediaType, Sha256, Length, Name);
    }

    private sealed class PreservationRow
    {
        public long ContentId { get; set; }

        public string Basis { get; set; } = "";

        public string Reference { get; set; } = "";

        public long RemovedAt { get; set; }

        public long PreserveUntil { get; set; }

        public long? PurgedAt { get; set; }

        public Preservation ToPreservation(IReadOnlyList<PreservationHold> holds) =>
            new(ContentId, Basis, Reference, UnixMs.From(RemovedAt), UnixMs.From(PreserveUntil), holds, UnixMs.From(PurgedAt));
    }

    private sealed class HoldRow
    {
        public long Id { get; set; }

        public long ContentId { get; set; }

        public string Reason { get; set; } = "";

        public long HoldUntil { get; set; }

        public string CreatedBy { get; set; } = "";

        public long CreatedAt { get; set; }

        public string? ReleasedBy { get; set; }

        public long? ReleasedAt { get; set; }

        public PreservationHold ToHold() => new(Id, ContentId, Reason, UnixMs.From(HoldUntil), CreatedBy, UnixMs.From(CreatedAt), ReleasedBy, UnixMs.From(ReleasedAt));
    }
}
