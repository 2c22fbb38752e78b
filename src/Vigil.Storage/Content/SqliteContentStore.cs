using System.Text.Json;
using Dapper;
using Vigil.Core;
using Vigil.Storage.Audit;
using Vigil.Storage.Store;

namespace Vigil.Storage.Content;

internal sealed class SqliteContentStore(SqliteSession session) : IContentStore
{
    private const string Columns = """
        id, platform_content_id, author_id, url, metadata, text, image_sha256, image_media_type, image_length,
        received_at, submitted_by, result
        """;

    public Task<StoredSubmission> AddAsync(NewContent content, NewCase? openCase, CancellationToken cancellationToken) =>
        session.WriteAsync(async (connection, transaction) =>
        {
            long now = session.NowMs;
            var verdict = content.Result.Verdict;
            string labels = StorageJson.Labels(verdict.Labels);
            long id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO content_items (platform_content_id, author_id, url, metadata, text, image_sha256, image_media_type,
                    image_length, received_at, submitted_by, verdict, action, rule, labels, language, context, policy_version, result)
                VALUES (@PlatformContentId, @AuthorId, @Url, @MetadataJson, @Text, @sha, @mediaType, @length, @now, @SubmittedBy,
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
                    sha = content.Image?.Sha256,
                    mediaType = content.Image?.MediaType,
                    length = content.Image is { } image ? image.Bytes.Length : (long?)null,
                    now,
                    content.SubmittedBy,
                    verdict = verdict.Kind.ToWire(),
                    action = content.Result.Action.ToWire(),
                    rule = content.Result.Rule,
                    labels,
                    language = verdict.Language,
                    context = verdict.Context.ToWire(),
                    policyVersion = verdict.PolicyVersion,
                    result = StorageJson.Serialize(content.Result),
                },
                transaction);

            if (content.Image is { } upload)
            {
                await connection.ExecuteAsync(
                    "INSERT INTO content_images (content_id, bytes) VALUES (@id, @bytes);",
                    new { id, bytes = upload.Bytes.ToArray() },
                    transaction);
            }

            long? caseId = null;
            if (openCase is not null)
            {
                caseId = await connection.ExecuteScalarAsync<long>(
                    """
                    INSERT INTO cases (content_id, queue, priority, state, verdict, action, labels, language, threat_to_life, policy_version, opened_at)
                    VALUES (@id, @Queue, @Priority, 'open', @verdict, @action, @labels, @language, @ThreatToLife, @policyVersion, @now)
                    RETURNING id;
                    """,
                    new
                    {
                        id,
                        openCase.Queue,
                        openCase.Priority,
                        verdict = verdict.Kind.ToWire(),
                        action = content.Result.Action.ToWire(),
                        labels,
                        language = verdict.Language,
                        openCase.ThreatToLife,
                        policyVersion = verdict.PolicyVersion,
                        now,
                    },
                    transaction);
                string details = JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["content_id"] = id,
                    ["queue"] = openCase.Queue,
                    ["priority"] = openCase.Priority,
                    ["verdict"] = verdict.Kind.ToWire(),
                    ["action"] = content.Result.Action.ToWire(),
                    ["policy_version"] = verdict.PolicyVersion,
                });
                await SqliteAuditLog.AppendAsync(connection, transaction, new AuditRecord(content.SubmittedBy, "case.opened", $"case:{caseId}", details), now);
            }

            var item = new ContentItem(
                id,
                content.PlatformContentId,
                content.AuthorId,
                content.Url,
                content.MetadataJson,
                content.Text,
                content.Image is { } i ? new ImageInfo(i.MediaType, i.Sha256, i.Bytes.Length) : null,
                SqliteSession.FromMs(now),
                content.SubmittedBy,
                content.Result);
            return new StoredSubmission(item, caseId);
        }, cancellationToken);

    public Task<ContentItem?> GetAsync(long id, CancellationToken cancellationToken) =>
        session.ReadAsync(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE id = @id;", new { id }, cancellationToken: cancellationToken));
            return row?.ToItem();
        }, cancellationToken);

    public Task<(ImageInfo Info, byte[] Bytes)?> GetImageAsync(long id, CancellationToken cancellationToken) =>
        session.ReadAsync<(ImageInfo Info, byte[] Bytes)?>(async connection =>
        {
            var row = await connection.QuerySingleOrDefaultAsync<ImageRow>(new CommandDefinition(
                """
                SELECT c.image_sha256, c.image_media_type, c.image_length, i.bytes
                FROM content_items c JOIN content_images i ON i.content_id = c.id WHERE c.id = @id;
                """,
                new { id },
                cancellationToken: cancellationToken));
            return row is null ? null : (new ImageInfo(row.ImageMediaType, row.ImageSha256, row.ImageLength), row.Bytes);
        }, cancellationToken);

    public Task<IReadOnlyList<ContentItem>> ListByAuthorAsync(string authorId, long? exceptId, int limit, CancellationToken cancellationToken) =>
        session.ReadAsync<IReadOnlyList<ContentItem>>(async connection =>
        {
            var rows = await connection.QueryAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM content_items WHERE author_id = @authorId AND id <> @except ORDER BY received_at DESC, id DESC LIMIT @limit;",
                new { authorId, except = exceptId ?? 0, limit = Math.Clamp(limit, 1, 200) },
                cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToItem())];
        }, cancellationToken);

    private sealed class Row
    {
        public long Id { get; set; }

        public string? PlatformContentId { get; set; }

        public string? AuthorId { get; set; }

        public string? Url { get; set; }

        public string? Metadata { get; set; }

        public string? Text { get; set; }

        public string? ImageSha256 { get; set; }

        public string? ImageMediaType { get; set; }

        public long? ImageLength { get; set; }

        public long ReceivedAt { get; set; }

        public string SubmittedBy { get; set; } = "";

        public string Result { get; set; } = "";

        public ContentItem ToItem() => new(
            Id,
            PlatformContentId,
            AuthorId,
            Url,
            Metadata,
            Text,
            ImageSha256 is not null ? new ImageInfo(ImageMediaType ?? "application/octet-stream", ImageSha256, ImageLength ?? 0) : null,
            SqliteSession.FromMs(ReceivedAt),
            SubmittedBy,
            StorageJson.DeserializeResult(Result));
    }

    private sealed class ImageRow
    {
        public string ImageSha256 { get; set; } = "";

        public string ImageMediaType { get; set; } = "";

        public long ImageLength { get; set; }

        public byte[] Bytes { get; set; } = [];
    }
}
