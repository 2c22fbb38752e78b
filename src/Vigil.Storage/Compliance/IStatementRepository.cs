namespace Vigil.Storage.Compliance;

/// <summary>Reads statements of reasons (DSA Art 17).</summary>
public interface IStatementReader
{
    Task<StoredStatement?> GetByPuidAsync(string puid, CancellationToken cancellationToken);

    /// <summary>The statements of a content item, oldest first.</summary>
    Task<IReadOnlyList<StoredStatement>> ListByContentAsync(long contentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StoredStatement>> ListAsync(StatementQuery query, CancellationToken cancellationToken);

    /// <summary>Statements not disclosed yet whose time to disclose (<see cref="StoredStatement.DiscloseAt"/>) has come by
    /// <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredStatement>> ListDisclosureDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);
}

/// <summary>Writes statements of reasons (inside a unit of work).</summary>
public interface IStatementWriter : IStatementReader
{
    /// <summary>Stores a statement; the store assigns the id. A PUID is unique: storing one that is there already fails
    /// (the database refuses it).</summary>
    Task<StoredStatement> InsertAsync(NewStatement statement, CancellationToken cancellationToken);

    /// <summary>Records that the statement was announced to the platform at <paramref name="at"/>.</summary>
    Task MarkDisclosedAsync(long id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records the outcome of submitting the statement to the EU Transparency Database.</summary>
    Task RecordSubmissionAsync(string puid, string status, DateTimeOffset at, string? problem, CancellationToken cancellationToken);
}
