namespace Vigil.Storage.Compliance;

/// <summary>A statement of reasons to store, as the application layer built it.</summary>
/// <param name="Puid">The platform's unique identifier of the statement (never reused).</param>
/// <param name="DecisionId">The decision it explains, or null for a restriction Vigil applied without a review decision.</param>
/// <param name="Json">The statement itself (the application layer's JSON; storage does not read it).</param>
/// <param name="DiscloseAt">When it may be sent to the platform (for its user): null at once; later when an order
/// withholds disclosure until then.</param>
public sealed record NewStatement(string Puid, long? DecisionId, long ContentId, string Json, DateTimeOffset CreatedAt, DateTimeOffset? DiscloseAt);

/// <summary>A stored statement of reasons, with where its disclosure and its submission to the EU Transparency
/// Database stand.</summary>
/// <param name="DisclosedAt">When it was announced to the platform (webhook), or null.</param>
/// <param name="SubmissionStatus">null (not submitted yet), <c>submitted</c>, <c>duplicate</c> (the database had the PUID
/// already) or <c>rejected</c>.</param>
/// <param name="SubmissionError">Why the database rejected it.</param>
public sealed record StoredStatement(
    long Id,
    string Puid,
    long? DecisionId,
    long ContentId,
    string Json,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DiscloseAt,
    DateTimeOffset? DisclosedAt,
    string? SubmissionStatus,
    DateTimeOffset? SubmittedAt,
    string? SubmissionError);

/// <summary>Which statements to list: created in [<paramref name="From"/>, <paramref name="To"/>), after the id
/// <paramref name="AfterId"/>, in id order.</summary>
/// <param name="Unsubmitted">Only those not submitted (nor found a duplicate) yet; rejected ones are listed again.</param>
public sealed record StatementQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, long AfterId = 0, int Limit = 500, bool Unsubmitted = false);
