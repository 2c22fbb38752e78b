using Dapper;
using Vigil.Storage.Compliance;

namespace Vigil.Storage.Relational;

/// <summary>Statements of reasons (<c>statements_of_reasons</c>).</summary>
internal sealed class RelationalStatements(RelationalScope scope) : IStatementWriter
{
    internal const string Columns =
        "id, puid, decision_id, content_id, json, created_at, disclose_at, disclosed_at, submission_status, submitted_at, submission_error";

    public Task<StoredStatement?> GetByPuidAsync(string puid, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) => (await connection.QuerySingleOrDefaultAsync<StatementRow>(new CommandDefinition(
            $"SELECT {Columns} FROM statements_of_reasons WHERE puid = @puid;", new { puid }, transaction, cancellationToken: cancellationToken)))?.ToStatement(), cancellationToken);

    public Task<IReadOnlyList<StoredStatement>> ListByContentAsync(long contentId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM statements_of_reasons WHERE content_id = @contentId ORDER BY id;", new { contentId }, cancellationToken);

    public Task<IReadOnlyList<StoredStatement>> ListAsync(StatementQuery query, CancellationToken cancellationToken)
    {
        string sql = $"SELECT {Columns} FROM statements_of_reasons WHERE id > @AfterId"
            + (query.From is null ? "" : " AND created_at >= @from")
            + (query.To is null ? "" : " AND created_at < @to")
            + (query.Unsubmitted ? " AND (submission_status IS NULL OR submission_status = 'rejected')" : "")
            + " ORDER BY id LIMIT @limit;";
        return QueryAsync(sql, new { query.AfterId, from = UnixMs.Of(query.From), to = UnixMs.Of(query.To), limit = Math.Clamp(query.Limit, 1, 10_000) }, cancellationToken);
    }

    public Task<IReadOnlyList<StoredStatement>> ListDisclosureDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM statements_of_reasons WHERE disclosed_at IS NULL AND (disclose_at IS NULL OR disclose_at <= @now) ORDER BY id LIMIT @limit;",
            new { now = UnixMs.Of(now), limit = Math.Clamp(limit, 1, 10_000) },
            cancellationToken);

    public Task<StoredStatement> InsertAsync(NewStatement statement, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO statements_of_reasons (puid, decision_id, content_id, json, created_at, disclose_at)
                VALUES (@Puid, @DecisionId, @ContentId, @Json, @created, @disclose) RETURNING id;
                """,
                new { statement.Puid, statement.DecisionId, statement.ContentId, statement.Json, created = UnixMs.Of(statement.CreatedAt), disclose = UnixMs.Of(statement.DiscloseAt) },
                transaction,
                cancellationToken: cancellationToken));
            return (await connection.QuerySingleAsync<StatementRow>(new CommandDefinition(
                $"SELECT {Columns} FROM statements_of_reasons WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken))).ToStatement();
        }, cancellationToken);

    public Task MarkDisclosedAsync(long id, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE statements_of_reasons SET disclosed_at = @at WHERE id = @id;", new { id, at = UnixMs.Of(at) }, transaction, cancellationToken: cancellationToken)), cancellationToken);

    public Task RecordSubmissionAsync(string puid, string status, DateTimeOffset at, string? problem, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE statements_of_reasons SET submission_status = @status, submitted_at = @at, submission_error = @problem WHERE puid = @puid;",
            new { puid, status, at = UnixMs.Of(at), problem },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    private Task<IReadOnlyList<StoredStatement>> QueryAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<StoredStatement>>(async (connection, transaction) =>
        {
            var rows = await connection.QueryAsync<StatementRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
            return [.. rows.Select(r => r.ToStatement())];
        }, cancellationToken);
}

/// <summary>A <c>statements_of_reasons</c> row.</summary>
internal sealed class StatementRow
{
    public long Id { get; set; }

    public string Puid { get; set; } = "";

    public long? DecisionId { get; set; }

    public long ContentId { get; set; }

    public string Json { get; set; } = "";

    public long CreatedAt { get; set; }

    public long? DiscloseAt { get; set; }

    public long? DisclosedAt { get; set; }

    public string? SubmissionStatus { get; set; }

    public long? SubmittedAt { get; set; }

    public string? SubmissionError { get; set; }

    /// <summary>The row of a statement (its parameters are named as the properties, e.g. <c>@CreatedAt</c>).</summary>
    public static StatementRow Of(StoredStatement s) => new()
    {
        Id = s.Id,
        Puid = s.Puid,
        DecisionId = s.DecisionId,
        ContentId = s.ContentId,
        Json = s.Json,
        CreatedAt = UnixMs.Of(s.CreatedAt),
        DiscloseAt = UnixMs.Of(s.DiscloseAt),
        DisclosedAt = UnixMs.Of(s.DisclosedAt),
        SubmissionStatus = s.SubmissionStatus,
        SubmittedAt = UnixMs.Of(s.SubmittedAt),
        SubmissionError = s.SubmissionError,
    };

    public StoredStatement ToStatement() => new(
        Id, Puid, DecisionId, ContentId, Json, UnixMs.From(CreatedAt), UnixMs.From(DiscloseAt), UnixMs.From(DisclosedAt), SubmissionStatus, UnixMs.From(SubmittedAt), SubmissionError);
}
