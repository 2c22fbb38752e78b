using System.Data.Common;
using Dapper;
using Vigil.Storage.Content;

namespace Vigil.Storage.Relational;

/// <summary>Content items (<c>content_items</c>) and their binary parts (<c>content_parts</c>).</summary>
internal sealed class RelationalContent(RelationalScope scope) : IContentWriter
{
    private const string Columns = ContentRow.Columns;
    private const string PartColumns = PartRow.Columns;

    public async Task<ContentItem> InsertAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        (await InsertAsync(null, content, receivedAt, cancellationToken))!;

    /// <summary>Stores the item with its parts, with the id given (null: the store assigns one); null when an item with
    /// that id is there already.</summary>
    internal Task<ContentItem?> InsertAsync(long? givenId, NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken, bool onConflictDoNothing = false) =>
        scope.RunAsync<ContentItem?>(async (connection, transaction) =>
        {
            long now = UnixMs.Of(receivedAt);
            string sql = givenId is null
                ? $"INSERT INTO content_items ({ContentRow.InsertColumns}) VALUES ({ContentRow.InsertValues}){(onConflictDoNothing ? " ON CONFLICT DO NOTHING" : "")} RETURNING id;"
                : $"INSERT INTO content_items (id, {ContentRow.InsertColumns}) VALUES (@id, {ContentRow.InsertValues}) ON CONFLICT DO NOTHING RETURNING id;";
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, ContentRow.Values(givenId, content, now), transaction, cancellationToken: cancellationToken)) is not { } id)
            {
                return null;
            }

            var parts = new List<StoredPart>(content.Parts.Count);
            foreach (var part in content.Parts)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO content_parts ({PartColumns}, bytes) VALUES ({PartRow.InsertValues});",
                    PartRow.Values(id, part),
                    transaction,
                    cancellationToken: cancellationToken));
                parts.Add(new StoredPart(part.Id, part.Type, part.MediaType, part.Sha256, part.Bytes.Length, part.ParentId, part.Name));
            }

            return new ContentItem(
                id, content.PlatformContentId, content.AuthorId, content.Url, content.MetadataJson, content.Text, parts,
                UnixMs.From(now), content.SubmittedBy, content.Result)
            {
                IdempotencyKey = content.IdempotencyKey,
            };
        }, cancellationToken);

    public Task<ContentItem?> FindByPlatformIdAsync(string platformContentId, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QueryFirstOrDefaultAsync<ContentRow>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE platform_content_id = @platformContentId ORDER BY id DESC LIMIT 1;", new { platformContentId }, transaction, cancellationToken: cancellationToken));
            return row is null ? null : (await WithPartsAsync(connection, transaction, [row], cancellationToken))[0];
        }, cancellationToken);

    public async Task<(ContentItem Item, bool Created)> InsertOrGetAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (content.IdempotencyKey is not { } key)
        {
            return (await InsertAsync(content, receivedAt, cancellationToken), true);
        }

        // ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to commit, then finds its row.
        if (await InsertAsync(null, content, receivedAt, cancellationToken, onConflictDoNothing: true) is { } created)
        {
            return (created, true);
        }

        return (await FindByIdempotencyKeyAsync(key, cancellationToken)
            ?? throw new InvalidOperationException($"An item with idempotency key '{key}' conflicts but cannot be read."), false);
    }

    public Task<bool> CompleteAsync(long id, ContentResult result, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE content_items SET status = 'assessed', verdict = @verdict, action = @action, rule = @rule, labels = @labels,
                language = @language, context = @context, policy_version = @policyVersion, result = @result
            WHERE id = @id AND status = 'pending';
            """,
            ContentRow.ResultValues(id, result),
            transaction,
            cancellationToken: cancellationToken)) == 1, cancellationToken);

    public Task<bool> RemovePendingAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM content_items WHERE id = @id AND status = 'pending';", new { id }, transaction, cancellationToken: cancellationToken)) is null)
            {
                return false;
            }

            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM content_parts WHERE content_id = @id;", new { id }, transaction, cancellationToken: cancellationToken));
            return await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM content_items WHERE id = @id AND status = 'pending';", new { id }, transaction, cancellationToken: cancellationToken)) == 1;
        }, cancellationToken);

    public Task<ContentItem?> FindByIdempotencyKeyAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ContentRow>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE idempotency_key = @idempotencyKey;", new { idempotencyKey }, transaction, cancellationToken: cancellationToken));
            return row is null ? null : (await WithPartsAsync(connection, transaction, [row], cancellationToken))[0];
        }, cancellationToken);

    public Task<long> CountPendingAsync(CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM content_items WHERE status = 'pending';", null, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ContentRow>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken));
            return row is null ? null : (await WithPartsAsync(connection, transaction, [row], cancellationToken))[0];
        }, cancellationToken);

    public Task<(StoredPart Part, byte[] Bytes)?> GetPartAsync(long contentId, string partId, CancellationToken cancellationToken) =>
        scope.RunAsync<(StoredPart, byte[])?>(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<PartRow>(new CommandDefinition(
                $"SELECT {PartColumns}, bytes FROM content_parts WHERE content_id = @contentId AND part_id = @partId;",
                new { contentId, partId },
                transaction,
                cancellationToken: cancellationToken));
            return row is null ? null : (row.ToPart(), row.Bytes ?? []);
        }, cancellationToken);

    public Task<IReadOnlyList<ContentItem>> ListByAuthorAsync(string authorId, long? exceptId, int limit, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<ContentItem>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<ContentRow>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE author_id = @authorId AND id <> @except AND status <> 'pending' ORDER BY received_at DESC, id DESC LIMIT @limit;",
                new { authorId, except = exceptId ?? 0, limit = Math.Clamp(limit, 1, 200) },
                transaction,
                cancellationToken: cancellationToken));
            return await WithPartsAsync(connection, transaction, [.. rows], cancellationToken);
        }, cancellationToken);

    private async Task<List<ContentItem>> WithPartsAsync(
        DbConnection connection, DbTransaction? transaction, List<ContentRow> rows, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<long, List<StoredPart>>();
        if (rows.Count > 0)
        {
            var found = await connection.QueryAsync<PartRow>(new CommandDefinition(
                $"SELECT {PartColumns} FROM content_parts WHERE {scope.Dialect.InList("content_id", "@ids")} ORDER BY content_id, {scope.Dialect.PartOrder};",
                new { ids = rows.Select(r => r.Id).ToArray() },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var part in found)
            {
                if (!parts.TryGetValue(part.ContentId, out var list))
                {
                    parts[part.ContentId] = list = [];
                }

                list.Add(part.ToPart());
            }
        }

        return [.. rows.Select(r => r.ToItem(parts.TryGetValue(r.Id, out var list) ? list : []))];
    }
}
