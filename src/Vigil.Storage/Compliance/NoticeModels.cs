namespace Vigil.Storage.Compliance;

/// <summary>A notice (DSA Art 16) to store, as the application layer accepted it.</summary>
/// <param name="Location">Where the content is, as the notifier gave it (a URL or the platform's content id).</param>
/// <param name="Category">The category the notifier names (one of Vigil's ids), if any.</param>
/// <param name="SubmittedBy">The actor that passed the notice on (<c>key:ID</c>).</param>
public sealed record NewNotice(
    long ContentId,
    long? CaseId,
    string Location,
    string Explanation,
    string? Category,
    string? NotifierName,
    string? NotifierEmail,
    bool GoodFaith,
    bool TrustedFlagger,
    DateTimeOffset ReceivedAt,
    string SubmittedBy);

/// <summary>A stored notice and, once the content was decided, the decision that answers it.</summary>
public sealed record Notice(
    long Id,
    long ContentId,
    long? CaseId,
    string Location,
    string Explanation,
    string? Category,
    string? NotifierName,
    string? NotifierEmail,
    bool GoodFaith,
    bool TrustedFlagger,
    DateTimeOffset ReceivedAt,
    string SubmittedBy,
    long? DecisionId,
    DateTimeOffset? DecidedAt);

/// <summary>A complaint (DSA Art 20; TCO Art 10) to store.</summary>
/// <param name="DecisionId">The decision contested.</param>
/// <param name="CaseId">The <c>appeals</c> case opened for it.</param>
/// <param name="Complainant"><c>uploader</c> or <c>notifier</c>.</param>
/// <param name="OriginalDecider">Who made the contested decision (who may not decide the complaint).</param>
/// <param name="DeadlineAt">When it must be decided by (TCO Art 10(2): two weeks for removals of terrorist content), if a
/// deadline applies.</param>
public sealed record NewComplaint(
    long DecisionId,
    long ContentId,
    long CaseId,
    string Complainant,
    string Explanation,
    string OriginalDecider,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DeadlineAt,
    string SubmittedBy);

/// <summary>A stored complaint and its outcome (<c>upheld</c> or <c>reversed</c>) once decided.</summary>
public sealed record Complaint(
    long Id,
    long DecisionId,
    long ContentId,
    long CaseId,
    string Complainant,
    string Explanation,
    string OriginalDecider,
    DateTimeOffset ReceivedAt,
    DateTimeOffset? DeadlineAt,
    string SubmittedBy,
    string? Outcome,
    string? DecidedBy,
    DateTimeOffset? DecidedAt);
