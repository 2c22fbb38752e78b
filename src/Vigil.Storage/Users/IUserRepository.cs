namespace Vigil.Storage.Users;

/// <summary>Reads reviewer accounts and their daily exposure to violating content.</summary>
public interface IUserReader
{
    Task<User?> GetAsync(string username, CancellationToken cancellationToken);

    /// <summary>The user and password hash, for sign-in; null when there is no such enabled user.</summary>
    Task<(User User, string PasswordHash)?> GetCredentialsAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The user (enabled or not) with their security state, or null when there is no such user.</summary>
    Task<(User User, UserSecurity Security)?> GetSecurityAsync(string username, CancellationToken cancellationToken);

    /// <summary>The session with this id (live, ended or expired), or null.</summary>
    Task<UserSession?> GetSessionAsync(string id, CancellationToken cancellationToken);

    /// <summary>The user's live sessions at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<UserSession>> ListSessionsAsync(string username, DateTimeOffset now, CancellationToken cancellationToken);

    Task<int> CountAsync(CancellationToken cancellationToken);

    /// <summary>How many violating cases the reviewer has seen on <paramref name="day"/>.</summary>
    Task<int> CountExposureAsync(string username, DateOnly day, CancellationToken cancellationToken);
}

/// <summary>Writes reviewer accounts (inside a unit of work).</summary>
public interface IUserWriter : IUserReader
{
    /// <summary>Creates the user; false when the name is taken (regardless of case).</summary>
    Task<bool> InsertAsync(User user, string passwordHash, CancellationToken cancellationToken);

    // Each change below returns false when there is no such user, and sets the security stamp to <c>stamp</c>.

    /// <summary>Disables the user (<paramref name="disabledAt"/>) or enables them again (null).</summary>
    Task<bool> SetDisabledAsync(string username, DateTimeOffset? disabledAt, string stamp, CancellationToken cancellationToken);

    Task<bool> SetRoleAsync(string username, Role role, string stamp, CancellationToken cancellationToken);

    /// <summary>Replaces the password hash; <paramref name="mustChange"/> asks the user to set a new one at next sign-in.</summary>
    Task<bool> SetPasswordAsync(string username, string passwordHash, bool mustChange, string stamp, CancellationToken cancellationToken);

    Task<bool> SetStampAsync(string username, string stamp, CancellationToken cancellationToken);

    /// <summary>Sets the TOTP state: the sealed secret (null: none), when it was confirmed (null: not on) and the hashes of
    /// the unused recovery codes.</summary>
    Task<bool> SetTwoFactorAsync(string username, string? totpSecret, DateTimeOffset? enabledAt, IReadOnlyList<string> recoveryCodeHashes, CancellationToken cancellationToken);

    Task InsertSessionAsync(UserSession session, CancellationToken cancellationToken);

    /// <summary>Ends a live session; false when it is not live (unknown, ended or expired).</summary>
    Task<bool> EndSessionAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends every live session of the user; returns how many.</summary>
    Task<int> EndSessionsAsync(string username, DateTimeOffset at, CancellationToken cancellationToken);

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
