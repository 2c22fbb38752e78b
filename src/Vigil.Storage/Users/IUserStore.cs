namespace Vigil.Storage.Users;

/// <summary>Reviewer accounts and their daily exposure to violating content.</summary>
public interface IUserStore
{
    /// <summary>Creates the user (and audits it). False when the name is taken.</summary>
    Task<bool> AddAsync(User user, string passwordHash, string actor, CancellationToken cancellationToken);

    Task<User?> GetAsync(string username, CancellationToken cancellationToken);

    /// <summary>The user and password hash, for sign-in; null when there is no such enabled user.</summary>
    Task<(User User, string PasswordHash)?> GetCredentialsAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>Notes that the reviewer saw a violating case on <paramref name="day"/> (once per case and day) and
    /// returns how many they have seen that day.</summary>
    Task<int> RecordExposureAsync(string username, DateOnly day, long caseId, CancellationToken cancellationToken);

    Task<int> CountExposureAsync(string username, DateOnly day, CancellationToken cancellationToken);
}

/// <summary>API keys, stored as SHA-256 hashes of their high-entropy secrets.</summary>
public interface IApiKeyStore
{
    /// <summary>Creates a key (and audits it); the returned secret is the only copy.</summary>
    Task<(ApiKey Key, string Secret)> CreateAsync(string name, ApiScopes scopes, string actor, CancellationToken cancellationToken);

    /// <summary>The live key the presented secret belongs to, or null.</summary>
    Task<ApiKey?> FindAsync(string presented, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Revokes the key (and audits it). False when there is no such live key.</summary>
    Task<bool> RevokeAsync(string id, string actor, CancellationToken cancellationToken);
}
