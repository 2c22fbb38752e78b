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
    internal Task<ContentItem?> InsertAsync(long? givenId, NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        scope.RunAsync<ContentItem?>(async (connection, transaction) =>
        {
            long now = UnixMs.Of(receivedAt);
            string sql = givenId is null
                ? $"INSERT INTO content_items ({ContentRow.InsertColumns}) VALUES ({ContentRow.InsertValues}) RETURNING id;"
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
                UnixMs.From(now), content.SubmittedBy, content.Result);
        }, cancellationToken);

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
                $"SELECT {Columns} FROM content_items WHERE author_id = @authorId AND id <> @except ORDER BY received_at DESC, id DESC LIMIT @limit;",
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
