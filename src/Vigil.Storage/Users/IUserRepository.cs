namespace Vigil.Storage.Users;

/// <summary>Reads reviewer accounts and their daily exposure to violating content.</summary>
public interface IUserReader
{
    Task<User?> GetAsync(string username, CancellationToken cancellationToken);

    /// <summary>The user and password hash, for sign-in; null when there is no such enabled user.</summary>
    Task<(User User, string PasswordHash)?> GetCredentialsAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>How many violating cases the reviewer has seen on <paramref name="day"/>.</summary>
    Task<int> CountExposureAsync(string username, DateOnly day, CancellationToken cancellationToken);
}

/// <summary>Writes reviewer accounts (inside a unit of work).</summary>
public interface IUserWriter : IUserReader
{
    /// <summary>Creates the user; false when the name is taken (regardless of case).</summary>
    Task<bool> InsertAsync(User user, string passwordHash, CancellationToken cancellationToken);

    /// <summary>Notes that the reviewer saw a case on <paramref name="day"/> (once per case and day) and returns how
    /// many they have seen that day.</summary>
    Task<int> RecordExposureAsync(string username, DateOnly day, long caseId, DateTimeOffset seenAt, CancellationToken cancellationToken);
}

/// <summary>Reads API keys. Only a hash of each key's secret is stored.</summary>
public interface IApiKeyReader
{
    /// <summary>The live (not revoked) key with this id and the hash of its secret, or null.</summary>
    Task<(ApiKey Key, string SecretHash)?> GetLiveAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Writes API keys (inside a unit of work).</summary>
public interface IApiKeyWriter : IApiKeyReader
{
    Task InsertAsync(ApiKey key, string secretHash, CancellationToken cancellationToken);

    /// <summary>Revokes a live key; false when there is no such live key.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
