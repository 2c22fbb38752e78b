namespace Vigil.Storage.Cases;

/// <summary>Reads review cases and their decisions. A lease that has expired reads as no lease
/// (<see cref="ReviewCase.ClaimedBy"/> null).</summary>
public interface ICaseReader
{
    Task<IReadOnlyList<ReviewCase>> ListAsync(CaseQuery query, CancellationToken cancellationToken);

    Task<ReviewCase?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The case of a content item, if one was opened (the latest).</summary>
    Task<ReviewCase?> GetByContentAsync(long contentId, CancellationToken cancellationToken);

    /// <summary>Open cases per queue.</summary>
    Task<IReadOnlyDictionary<string, int>> CountOpenByQueueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<Decision>> ListDecisionsAsync(long caseId, CancellationToken cancellationToken);
}

/// <summary>Writes cases and decisions (inside a unit of work).</summary>
public interface ICaseWriter : ICaseReader
{
    /// <summary>Opens a case; the store assigns the id.</summary>
    Task<ReviewCase> InsertAsync(NewCase newCase, CancellationToken cancellationToken);

    /// <summary>The case, locked against other units of work until this one ends (null when there is none).</summary>
    Task<ReviewCase?> GetForUpdateAsync(long id, CancellationToken cancellationToken);

    /// <summary>Writes a case's new state; returns it as read back.</summary>
    Task<ReviewCase> UpdateAsync(CaseUpdate update, CancellationToken cancellationToken);

    /// <summary>Stores a decision; the store assigns the id.</summary>
    Task<Decision> InsertDecisionAsync(NewDecision decision, CancellationToken cancellationToken);
}
