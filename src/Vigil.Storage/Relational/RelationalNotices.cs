using Dapper;
using Vigil.Storage.Compliance;

namespace Vigil.Storage.Relational;

/// <summary>Notices (<c>notices</c>) and complaints (<c>complaints</c>).</summary>
internal sealed class RelationalNotices(RelationalScope scope) : INoticeWriter
{
    internal const string NoticeColumns =
        "id, content_id, case_id, location, explanation, category, notifier_name, notifier_email, good_faith, trusted_flagger, received_at, submitted_by, decision_id, decided_at";

    internal const string ComplaintColumns =
        "id, decision_id, content_id, case_id, complainant, explanation, original_decider, received_at, deadline_at, submitted_by, outcome, decided_by, decided_at";

    public async Task<Notice?> GetNoticeAsync(long id, CancellationToken cancellationToken) =>
        (await Notices($"SELECT {NoticeColumns} FROM notices WHERE id = @id;", new { id }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Notice>> ListNoticesByContentAsync(long contentId, CancellationToken cancellationToken) =>
        Notices($"SELECT {NoticeColumns} FROM notices WHERE content_id = @contentId ORDER BY id;", new { contentId }, cancellationToken);

    public Task<IReadOnlyList<Notice>> ListNoticesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Notices($"SELECT {NoticeColumns} FROM notices WHERE received_at >= @from AND received_at < @to ORDER BY id;", new { from = UnixMs.Of(since), to = UnixMs.Of(until) }, cancellationToken);

    public async Task<Complaint?> GetComplaintAsync(long id, CancellationToken cancellationToken) =>
        (await Complaints($"SELECT {ComplaintColumns} FROM complaints WHERE id = @id;", new { id }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Complaint>> ListComplaintsByDecisionAsync(long decisionId, CancellationToken cancellationToken) =>
        Complaints($"SELECT {ComplaintColumns} FROM complaints WHERE decision_id = @decisionId ORDER BY id;", new { decisionId }, cancellationToken);

    public Task<IReadOnlyList<Complaint>> ListComplaintsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken) =>
        Complaints($"SELECT {ComplaintColumns} FROM complaints WHERE received_at >= @from AND received_at < @to ORDER BY id;", new { from = UnixMs.Of(since), to = UnixMs.Of(until) }, cancellationToken);

    public Task<Notice> InsertNoticeAsync(NewNotice notice, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO notices (content_id, case_id, location, explanation, category, notifier_name, notifier_email, good_faith, trusted_flagger, received_at, submitted_by)
                VALUES (@ContentId, @CaseId, @Location, @Explanation, @Category, @NotifierName, @NotifierEmail, @GoodFaith, @TrustedFlagger, @ReceivedAt, @SubmittedBy) RETURNING id;
                """,
                NoticeRow.Of(new Notice(
                    0, notice.ContentId, notice.CaseId, notice.Location, notice.Explanation, notice.Category, notice.NotifierName, notice.NotifierEmail,
                    notice.GoodFaith, notice.TrustedFlagger, notice.ReceivedAt, notice.SubmittedBy, null, null)),
                transaction,
                cancellationToken: cancellationToken));
            return (await connection.QuerySingleAsync<NoticeRow>(new CommandDefinition(
                $"SELECT {NoticeColumns} FROM notices WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken))).ToNotice();
        }, cancellationToken);

    public Task MarkNoticeDecidedAsync(long noticeId, long decisionId, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notices SET decision_id = @decisionId, decided_at = @at WHERE id = @noticeId;",
            new { noticeId, decisionId, at = UnixMs.Of(at) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    public Task<Complaint> InsertComplaintAsync(NewComplaint complaint, CancellationToken cancellationToken) =>
        scope.RunAsync(async (connection, transaction) =>
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO complaints (decision_id, content_id, case_id, complainant, explanation, original_decider, received_at, deadline_at, submitted_by)
                VALUES (@DecisionId, @ContentId, @CaseId, @Complainant, @Explanation, @OriginalDecider, @ReceivedAt, @DeadlineAt, @SubmittedBy) RETURNING id;
                """,
                ComplaintRow.Of(new Complaint(
                    0, complaint.DecisionId, complaint.ContentId, complaint.CaseId, complaint.Complainant, complaint.Explanation, complaint.OriginalDecider,
                    complaint.ReceivedAt, complaint.DeadlineAt, complaint.SubmittedBy, null, null, null)),
                transaction,
                cancellationToken: cancellationToken));
            return (await connection.QuerySingleAsync<ComplaintRow>(new CommandDefinition(
                $"SELECT {ComplaintColumns} FROM complaints WHERE id = @id;", new { id }, transaction, cancellationToken: cancellationToken))).ToComplaint();
        }, cancellationToken);

    public Task DecideComplaintAsync(long complaintId, string outcome, string decidedBy, DateTimeOffset at, CancellationToken cancellationToken) =>
        scope.RunAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE complaints SET outcome = @outcome, decided_by = @decidedBy, decided_at = @at WHERE id = @complaintId;",
            new { complaintId, outcome, decidedBy, at = UnixMs.Of(at) },
            transaction,
            cancellationToken: cancellationToken)), cancellationToken);

    private Task<IReadOnlyList<Notice>> Notices(string sql, object parameters, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<Notice>>(async (connection, transaction) =>
            [.. (await connection.QueryAsync<NoticeRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).Select(r => r.ToNotice())], cancellationToken);

    private Task<IReadOnlyList<Complaint>> Complaints(string sql, object parameters, CancellationToken cancellationToken) =>
        scope.RunAsync<IReadOnlyList<Complaint>>(async (connection, transaction) =>
            [.. (await connection.QueryAsync<ComplaintRow>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))).Select(r => r.ToComplaint())], cancellationToken);
}

/// <summary>A <c>notices</c> row.</summary>
internal sealed class NoticeRow
{
    public long Id { get; set; }

    public long ContentId { get; set; }

    public long? CaseId { get; set; }

    public string Location { get; set; } = "";

    public string Explanation { get; set; } = "";

    public string? Category { get; set; }

    public string? NotifierName { get; set; }

    public string? NotifierEmail { get; set; }

    public bool GoodFaith { get; set; }

    public bool TrustedFlagger { get; set; }

    public long ReceivedAt { get; set; }

    public string SubmittedBy { get; set; } = "";

    public long? DecisionId { get; set; }

    public long? DecidedAt { get; set; }

    /// <summary>The row of a notice (its parameters are named as the properties, e.g. <c>@ReceivedAt</c>).</summary>
    public static NoticeRow Of(Notice n) => new()
    {
        Id = n.Id,
        ContentId = n.ContentId,
        CaseId = n.CaseId,
        Location = n.Location,
        Explanation = n.Explanation,
        Category = n.Category,
        NotifierName = n.NotifierName,
        NotifierEmail = n.NotifierEmail,
        GoodFaith = n.GoodFaith,
        TrustedFlagger = n.TrustedFlagger,
        ReceivedAt = UnixMs.Of(n.ReceivedAt),
        SubmittedBy = n.SubmittedBy,
        DecisionId = n.DecisionId,
        DecidedAt = UnixMs.Of(n.DecidedAt),
    };

    public Notice ToNotice() => new(
        Id, ContentId, CaseId, Location, Explanation, Category, NotifierName, NotifierEmail, GoodFaith, TrustedFlagger, UnixMs.From(ReceivedAt), SubmittedBy, DecisionId, UnixMs.From(DecidedAt));
}

/// <summary>A <c>complaints</c> row.</summary>
internal sealed class ComplaintRow
{
    public long Id { get; set; }

    public long DecisionId { get; set; }

    public long ContentId { get; set; }

    public long CaseId { get; set; }

    public string Complainant { get; set; } = "";

    public string Explanation { get; set; } = "";

    public string OriginalDecider { get; set; } = "";

    public long ReceivedAt { get; set; }

    public long? DeadlineAt { get; set; }

    public string SubmittedBy { get; set; } = "";

    public string? Outcome { get; set; }

    public string? DecidedBy { get; set; }

    public long? DecidedAt { get; set; }

    /// <summary>The row of a complaint (its parameters are named as the properties, e.g. <c>@ReceivedAt</c>).</summary>
    public static ComplaintRow Of(Complaint c) => new()
    {
        Id = c.Id,
        DecisionId = c.DecisionId,
        ContentId = c.ContentId,
        CaseId = c.CaseId,
        Complainant = c.Complainant,
        Explanation = c.Explanation,
        OriginalDecider = c.OriginalDecider,
        ReceivedAt = UnixMs.Of(c.ReceivedAt),
        DeadlineAt = UnixMs.Of(c.DeadlineAt),
        SubmittedBy = c.SubmittedBy,
        Outcome = c.Outcome,
        DecidedBy = c.DecidedBy,
        DecidedAt = UnixMs.Of(c.DecidedAt),
    };

    public Complaint ToComplaint() => new(
        Id, DecisionId, ContentId, CaseId, Complainant, Explanation, OriginalDecider, UnixMs.From(ReceivedAt), UnixMs.From(DeadlineAt), SubmittedBy, Outcome, DecidedBy, UnixMs.From(DecidedAt));
}
