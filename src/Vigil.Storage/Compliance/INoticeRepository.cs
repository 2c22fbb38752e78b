namespace Vigil.Storage.Compliance;

/// <summary>Reads notices (DSA Art 16) and complaints (DSA Art 20).</summary>
public interface INoticeReader
{
    Task<Notice?> GetNoticeAsync(long id, CancellationToken cancellationToken);

    /// <summary>The notices about a content item, oldest first.</summary>
    Task<IReadOnlyList<Notice>> ListNoticesByContentAsync(long contentId, CancellationToken cancellationToken);

    /// <summary>The notices received in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<Notice>> ListNoticesAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);

    Task<Complaint?> GetComplaintAsync(long id, CancellationToken cancellationToken);

    /// <summary>The complaints about a decision, oldest first.</summary>
    Task<IReadOnlyList<Complaint>> ListComplaintsByDecisionAsync(long decisionId, CancellationToken cancellationToken);

    /// <summary>The complaints received in [<paramref name="since"/>, <paramref name="until"/>), oldest first.</summary>
    Task<IReadOnlyList<Complaint>> ListComplaintsAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken);
}

/// <summary>Writes notices and complaints (inside a unit of work).</summary>
public interface INoticeWriter : INoticeReader
{
    Task<Notice> InsertNoticeAsync(NewNotice notice, CancellationToken cancellationToken);

    /// <summary>Records the decision that answers a notice.</summary>
    Task MarkNoticeDecidedAsync(long noticeId, long decisionId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<Complaint> InsertComplaintAsync(NewComplaint complaint, CancellationToken cancellationToken);

    /// <summary>Records a complaint's outcome.</summary>
    Task DecideComplaintAsync(long complaintId, string outcome, string decidedBy, DateTimeOffset at, CancellationToken cancellationToken);
}
