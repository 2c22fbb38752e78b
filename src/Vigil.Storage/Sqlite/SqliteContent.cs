using Dapper;
using Vigil.Core;
using Vigil.Storage.Content;

namespace Vigil.Storage.Sqlite;

/// <summary>Content items (<c>content_items</c>) and their binary parts (<c>content_parts</c>).</summary>
internal sealed class SqliteContent(SqliteScope scope) : IContentWriter
{
    private const string Columns = "id, platform_content_id, author_id, url, metadata, text, received_at, submitted_by, result";
    private const string PartColumns = "content_id, part_id, type, media_type, sha256, length, parent_id, name";

    public Task<ContentItem> InsertAsync(NewContent content, DateTimeOffset receivedAt, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var verdict = content.Result.Verdict;
            long now = SqliteScope.Ms(receivedAt);
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO content_items (platform_content_id, author_id, url, metadata, text, received_at, submitted_by,
                    verdict, action, rule, labels, language, context, policy_version, result)
                VALUES (@PlatformContentId, @AuthorId, @Url, @MetadataJson, @Text, @now, @SubmittedBy,
                    @verdict, @action, @rule, @labels, @language, @context, @policyVersion, @result)
                RETURNING id;
                """,
                new
                {
                    content.PlatformContentId,
                    content.AuthorId,
                    content.Url,
                    content.MetadataJson,
                    content.Text,
                    now,
                    content.SubmittedBy,
                    verdict = verdict.Kind.ToWire(),
                    action = content.Result.Action.ToWire(),
                    rule = content.Result.Rule,
                    labels = StorageJson.Labels(verdict.Labels),
                    language = verdict.Language,
                    context = verdict.Context.ToWire(),
                    policyVersion = verdict.PolicyVersion,
                    result = StorageJson.Serialize(content.Result),
                },
                transaction,
                cancellationToken: cancellationToken));

            var parts = new List<StoredPart>(content.Parts.Count);
            foreach (var part in content.Parts)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"INSERT INTO content_parts ({PartColumns}, bytes) VALUES (@contentId, @partId, @Type, @MediaType, @Sha256, @length, @ParentId, @Name, @bytes);",
                    new { contentId = id, partId = part.Id, part.Type, part.MediaType, part.Sha256, length = part.Bytes.Length, part.ParentId, part.Name, bytes = part.Bytes.ToArray() },
                    transaction,
                    cancellationToken: cancellationToken));
                parts.Add(new StoredPart(part.Id, part.Type, part.MediaType, part.Sha256, part.Bytes.Length, part.ParentId, part.Name));
            }

            return new ContentItem(
                id, content.PlatformContentId, content.AuthorId, content.Url, content.MetadataJson, content.Text, parts,
                SqliteScope.FromMs(now), content.SubmittedBy, content.Result);
        }, cancellationToken);

    public Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
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
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE author_id = @authorId AND id <> @except ORDER BY received_at DESC, id DESC LIMIT @limit;",
                new { authorId, except = exceptId ?? 0, limit = Math.Clamp(limit, 1, 200) },
                transaction,
                cancellationToken: cancellationToken));
            return await WithPartsAsync(connection, transaction, [.. rows], cancellationToken);
        }, cancellationToken);

    private static async Task<List<ContentItem>> WithPartsAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction? transaction, List<Row> rows, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<long, List<StoredPart>>();
        if (rows.Count > 0)
        {
            var found = await connection.QueryAsync<PartRow>(new CommandDefinition(
                $"SELECT {PartColumns} FROM content_parts WHERE content_id IN @ids ORDER BY content_id, rowid;",
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

    private sealed class Row
    {
        public long Id { get; set; }

        public string? PlatformContentId { get; set; }

        public string? AuthorId { get; set; }

        public string? Url { get; set; }

        public string? Metadata { get; set; }

        public string? Text { get; set; }

        public long ReceivedAt { get; set; }

        public string SubmittedBy { get; set; } = "";

        public string Result { get; set; } = "";

        public ContentItem ToItem(IReadOnlyList<StoredPart> parts) => new(
            Id, PlatformContentId, AuthorId, Url, Metadata, Text, parts, SqliteScope.FromMs(ReceivedAt), SubmittedBy, StorageJson.DeserializeResult(Result));
    }

    private sealed class PartRow
    {
        public long ContentId { get; set; }

        public string PartId { get; set; } = "";

        public string Type { get; set; } = "";

        public string MediaType { get; set; } = "";

        public string Sha256 { get; set; } = "";

        public long Length { get; set; }

        public string? ParentId { get; set; }

        public string? Name { get; set; }

        public byte[]? Bytes { get; set; }

        public StoredPart ToPart() => new(PartId, Type, MediaType, Sha256, Length, ParentId, Name);
    }
}
