namespace Vigil.Storage.Cases;

/// <summary>Review cases, their leases and decisions.</summary>
public interface ICaseStore
{
    Task<IReadOnlyList<ReviewCase>> ListAsync(CaseQuery query, CancellationToken cancellationToken);

    Task<ReviewCase?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The case of a content item, if one was opened.</summary>
    Task<ReviewCase?> GetByContentAsync(long contentId, CancellationToken cancellationToken);

    /// <summary>Open cases per queue.</summary>
    Task<IReadOnlyDictionary<string, int>> CountOpenByQueueAsync(CancellationToken cancellationToken);

    /// <summary>Takes (or renews) the lease on an open case for <paramref name="lease"/>, unless someone else holds a
    /// live lease.</summary>
    Task<ClaimResult> ClaimAsync(long id, string actor, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Gives up the actor's lease. False when the actor held none.</summary>
    Task<bool> ReleaseAsync(long id, string actor, CancellationToken cancellationToken);

    /// <summary>Records a decision by the lease holder: the case closes (or, for escalate, moves to the escalation
    /// queue and is released); webhook deliveries are queued and the decision audited, all in one transaction.</summary>
    Task<DecideResult> DecideAsync(NewDecision decision, CancellationToken cancellationToken);

    Task<IReadOnlyList<Decision>> ListDecisionsAsync(long caseId, CancellationToken cancellationToken);
}
