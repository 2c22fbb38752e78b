using System.Globalization;
using System.Runtime.CompilerServices;
using Dapper;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Relational;

/// <summary>Reads every table as stored: the large ones a page at a time (by id), the small ones at once.</summary>
internal sealed class RelationalExport(RelationalScope scope) : IStoreExport
{
    private const int Page = 500;
    private const int ContentPage = 100;
    private const int OrderPage = 50;
    private readonly RelationalCompliance _compliance = new(scope);

    public Task<StoreCounts> CountAsync(CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.QuerySingleAsync<StoreCounts>(new CommandDefinition(
            """
            SELECT (SELECT count(*) FROM content_items) AS content, (SELECT count(*) FROM content_parts) AS contentparts,
                (SELECT count(*) FROM cases) AS cases, (SELECT count(*) FROM decisions) AS decisions,
                (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM reviewer_exposure) AS exposure,
                (SELECT count(*) FROM api_keys) AS apikeys, (SELECT count(*) FROM webhooks) AS webhooks,
                (SELECT count(*) FROM webhook_outbox) AS outbox, (SELECT count(*) FROM policies) AS policies,
                (SELECT count(*) FROM hash_banks) AS banks, (SELECT count(*) FROM hash_bank_entries) AS bankentries,
                (SELECT count(*) FROM audit_log) AS audit,
                (SELECT count(*) FROM content_items WHERE purged_at IS NOT NULL) AS purgedcontent,
                (SELECT count(*) FROM removal_orders) AS removalorders, (SELECT count(*) FROM removal_order_targets) AS ordertargets,
                (SELECT count(*) FROM removal_order_documents) AS orderdocuments, (SELECT count(*) FROM preservations) AS preservations,
                (SELECT count(*) FROM preservation_holds) AS preservationholds, (SELECT count(*) FROM statements_of_reasons) AS statements,
                (SELECT count(*) FROM notices) AS notices, (SELECT count(*) FROM complaints) AS complaints,
                (SELECT count(*) FROM user_sessions) AS sessions;
            """,
            transaction: transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public async IAsyncEnumerable<ExportedContent> ContentAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long after = 0;
        while (true)
        {
            var page = await scope.RunAsync(async (connection, transaction) =>
            {
                var items = (await connection.QueryAsync<ContentRow>(new CommandDefinition(
                    $"SELECT {ContentRow.Columns}, purged_at FROM content_items WHERE id > @after ORDER BY id LIMIT @limit;",
                    new { after, limit = ContentPage },
                    transaction,
                    cancellationToken: cancellationToken))).ToList();
                var parts = items.Count == 0 ? [] : await connection.QueryAsync<PartRow>(new CommandDefinition(
                    $"SELECT {PartRow.Columns}, bytes FROM content_parts WHERE {scope.Dialect.InList("content_id", "@ids")} ORDER BY content_id, {scope.Dialect.PartOrder};",
                    new { ids = items.Select(i => i.Id).ToArray() },
                    transaction,
                    cancellationToken: cancellationToken));
                var byItem = parts.ToLookup(p => p.ContentId);
                return items.Select(i => new ExportedContent(
                    i.ToItem([.. byItem[i.Id].Select(p => p.ToPart())]),
                    i.PurgedAt is null ? [.. byItem[i.Id].Select(p => p.ToNewPart())] : [],
                    UnixMs.From(i.PurgedAt))).ToList();
            }, cancellationToken);
            foreach (var item in page)
            {
                yield return item;
            }

            if (page.Count < ContentPage)
            {
                yield break;
            }

            after = page[^1].Item.Id;
        }
    }

    public IAsyncEnumerable<ReviewCase> CasesAsync(CancellationToken cancellationToken) =>
        PagesAsync<CaseRow, ReviewCase>($"SELECT {CaseRow.Columns} FROM cases", r => r.Id, r => r.ToCase(scope.NowMs), cancellationToken);

    public IAsyncEnumerable<Decision> DecisionsAsync(CancellationToken cancellationToken) =>
        PagesAsync<DecisionRow, Decision>($"SELECT {DecisionRow.Columns} FROM decisions", r => r.Id, r => r.ToDecision(), cancellationToken);

    public IAsyncEnumerable<OutboxMessage> OutboxAsync(CancellationToken cancellationToken) =>
        PagesAsync<OutboxRow, OutboxMessage>($"SELECT {OutboxRow.Columns} FROM webhook_outbox", r => r.Id, r => r.ToMessage(), cancellationToken);

    public IAsyncEnumerable<ExportedUser> UsersAsync(CancellationToken cancellationToken) =>
        AllAsync<UserSecurityRow, ExportedUser>(
            $"SELECT {UserRow.Columns}, {UserSecurityRow.SecurityColumns} FROM users ORDER BY {scope.Dialect.ByName("username")};",
            r => new ExportedUser(r.ToUser(), r.PasswordHash, UnixMs.From(r.DisabledAt), r.ToSecurity()),
            cancellationToken);

    public IAsyncEnumerable<UserSession> SessionsAsync(CancellationToken cancellationToken) =>
        PagedAsync(
            (after, ct) => QueryAsync<SessionRow>($"SELECT {SessionRow.Columns} FROM user_sessions WHERE id > @after ORDER BY id LIMIT @limit;", after, Page, ct),
            r => r.Id,
            "",
            Page,
            r => r.ToSession(),
            cancellationToken);

    public IAsyncEnumerable<ExportedRemovalOrder> RemovalOrdersAsync(CancellationToken cancellationToken) =>
        PagedAsync(
            (after, ct) => _compliance.ExportOrdersAsync(after, OrderPage, ct), o => o.Order.Id, 0L, OrderPage, o => new ExportedRemovalOrder(o.Order, o.DocumentBytes), cancellationToken);

    public IAsyncEnumerable<ExportedPreservation> PreservationsAsync(CancellationToken cancellationToken) =>
        PagedAsync(
            (after, ct) => _compliance.ExportPreservationsAsync(after, Page, ct), p => p.Preservation.ContentId, 0L, Page, p => new ExportedPreservation(p.Preservation, p.PurgedAt), cancellationToken);

    public IAsyncEnumerable<PreservationHold> PreservationHoldsAsync(CancellationToken cancellationToken) =>
        PagedAsync((after, ct) => _compliance.ExportHoldsAsync(after, Page, ct), h => h.Id, 0L, Page, h => h, cancellationToken);

    public IAsyncEnumerable<StoredStatement> StatementsAsync(CancellationToken cancellationToken) =>
        PagesAsync<StatementRow, StoredStatement>($"SELECT {RelationalStatements.Columns} FROM statements_of_reasons", r => r.Id, r => r.ToStatement(), cancellationToken);

    public IAsyncEnumerable<Notice> NoticesAsync(CancellationToken cancellationToken) =>
        PagesAsync<NoticeRow, Notice>($"SELECT {RelationalNotices.NoticeColumns} FROM notices", r => r.Id, r => r.ToNotice(), cancellationToken);

    public IAsyncEnumerable<Complaint> ComplaintsAsync(CancellationToken cancellationToken) =>
        PagesAsync<ComplaintRow, Complaint>($"SELECT {RelationalNotices.ComplaintColumns} FROM complaints", r => r.Id, r => r.ToComplaint(), cancellationToken);

    public IAsyncEnumerable<ExportedExposure> ExposureAsync(CancellationToken cancellationToken) =>
        AllAsync<ExposureRow, ExportedExposure>(
            $"SELECT {ExposureRow.Columns} FROM reviewer_exposure ORDER BY day, username, case_id;",
            r => new ExportedExposure(r.Username, DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.CaseId, UnixMs.From(r.SeenAt)),
            cancellationToken);

    public IAsyncEnumerable<ExportedApiKey> ApiKeysAsync(CancellationToken cancellationToken) =>
        AllAsync<ApiKeyRow, ExportedApiKey>(
            $"SELECT {ApiKeyRow.Columns} FROM api_keys ORDER BY created_at, id;", r => new ExportedApiKey(r.ToKey(), r.KeyHash), cancellationToken);

    public IAsyncEnumerable<ExportedWebhook> WebhooksAsync(CancellationToken cancellationToken) =>
        AllAsync<WebhookRow, ExportedWebhook>(
            $"SELECT {WebhookRow.Columns}, deleted_at FROM webhooks ORDER BY id;", r => new ExportedWebhook(r.ToWebhook(), UnixMs.From(r.DeletedAt)), cancellationToken);

    public IAsyncEnumerable<ExportedPolicy> PoliciesAsync(CancellationToken cancellationToken) =>
        AllAsync<PolicyRow, ExportedPolicy>(
            "SELECT id, version, sha256, json, loaded_at FROM policies ORDER BY id;", r => new ExportedPolicy(r.Id, r.ToRecord(), r.Json), cancellationToken);

    /// <summary>Rows of <paramref name="select"/> (no WHERE, ORDER BY or LIMIT) by id, a page at a time.</summary>
    private IAsyncEnumerable<T> PagesAsync<TRow, T>(string select, Func<TRow, long> id, Func<TRow, T> map, CancellationToken cancellationToken) =>
        PagedAsync((after, ct) => QueryAsync<TRow>($"{select} WHERE id > @after ORDER BY id LIMIT @limit;", after, Page, ct), id, 0L, Page, map, cancellationToken);

    private Task<IReadOnlyList<TRow>> QueryAsync<TRow>(string sql, object after, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<TRow>>(async (connection, transaction) =>
            [.. await connection.QueryAsync<TRow>(new CommandDefinition(sql, new { after, limit }, transaction, cancellationToken: cancellationToken))], cancellationToken);

    /// <summary>Every row <paramref name="page"/> gives, a page (of <paramref name="size"/>) at a time, each page after the
    /// <paramref name="key"/> of the last row of the one before.</summary>
    private static async IAsyncEnumerable<T> PagedAsync<TRow, TKey, T>(
        Func<TKey, CancellationToken, Task<IReadOnlyList<TRow>>> page,
        Func<TRow, TKey> key,
        TKey start,
        int size,
        Func<TRow, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = start;
        while (true)
        {
            var rows = await page(after, cancellationToken);
            foreach (var row in rows)
            {
                yield return map(row);
            }

            if (rows.Count < size)
            {
                yield break;
            }

            after = key(rows[^1]);
        }
    }

    private async IAsyncEnumerable<T> AllAsync<TRow, T>(string sql, Func<TRow, T> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rows = await scope.RunAsync(async (connection, transaction) => (await connection.QueryAsync<TRow>(new CommandDefinition(
            sql, transaction: transaction, cancellationToken: cancellationToken))).ToList(), cancellationToken);
        foreach (var row in rows)
        {
            yield return map(row);
        }
    }
}
