using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>How a change to a user ended.</summary>
public enum UserChangeStatus
{
    Changed,

    /// <summary>The user was already so (nothing written).</summary>
    Unchanged,

    NotFound,

    /// <summary>Refused: it would leave no enabled admin.</summary>
    LastAdmin,
}

/// <summary>
/// A user's lifecycle, each change audited: disable and enable, change role, reset the password (the user sets a new one
/// at next sign-in), sign out everywhere. Every change that takes access away gives the user a new security stamp and
/// ends their live sessions in the same transaction, and tells <see cref="SessionCache"/> so that this process refuses
/// their cookies on the next request (another process, within <see cref="SessionCache.CheckInterval"/>). A disabled
/// user's API keys stay as they are: keys belong to integrations.
/// </summary>
public sealed class UserLifecycle(IVigilStore store, SessionCache sessions, TimeProvider time)
{
    /// <summary>Length of a temporary password made by <see cref="ResetPasswordAsync"/>.</summary>
    public const int TemporaryPasswordLength = 20;

    /// <summary>The shortest password a user may choose.</summary>
    public const int MinPasswordLength = 12;

    public Task<User?> GetAsync(string username, CancellationToken cancellationToken) => store.Users.GetAsync(username, cancellationToken);

    public Task<UserChangeStatus> DisableAsync(string username, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(username, actor, "user.disabled", async (unit, user, stamp, now) =>
        {
            if (user.Disabled)
            {
                return (UserChangeStatus.Unchanged, null);
            }

            if (user.Role == Role.Admin && await IsLastAdminAsync(unit, user, cancellationToken))
            {
                return (UserChangeStatus.LastAdmin, null);
            }

            await unit.Users.SetDisabledAsync(user.Username, now, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?>());
        }, cancellationToken);

    public Task<UserChangeStatus> EnableAsync(string username, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(username, actor, "user.enabled", async (unit, user, stamp, _) =>
        {
            if (!user.Disabled)
            {
                return (UserChangeStatus.Unchanged, null);
            }

            await unit.Users.SetDisabledAsync(user.Username, null, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?>());
        }, cancellationToken);

    public Task<UserChangeStatus> SetRoleAsync(string username, Role role, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(username, actor, "user.role_changed", async (unit, user, stamp, _) =>
        {
            if (user.Role == role)
            {
                return (UserChangeStatus.Unchanged, null);
            }

            if (user.Role == Role.Admin && !user.Disabled && await IsLastAdminAsync(unit, user, cancellationToken))
            {
                return (UserChangeStatus.LastAdmin, null);
            }

            await unit.Users.SetRoleAsync(user.Username, role, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?> { ["from"] = user.Role.ToWire(), ["to"] = role.ToWire() });
        }, cancellationToken);

    /// <summary>Replaces the password with a random temporary one (returned, to hand to the user once) that the user
    /// must change at next sign-in.</summary>
    public async Task<(UserChangeStatus Status, string? TemporaryPassword)> ResetPasswordAsync(string username, string actor, CancellationToken cancellationToken)
    {
        string temporary = TemporaryPassword();
        string hash = PasswordHasher.Hash(temporary);
        var status = await ChangeAsync(username, actor, "user.password_reset", async (unit, user, stamp, _) =>
        {
            await unit.Users.SetPasswordAsync(user.Username, hash, mustChange: true, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?>());
        }, cancellationToken);
        return (status, status == UserChangeStatus.Changed ? temporary : null);
    }

    /// <summary>The user's own new password (after a reset, or by choice): their other sessions end.</summary>
    public Task<UserChangeStatus> ChangePasswordAsync(string username, string newPassword, CancellationToken cancellationToken)
    {
        string hash = PasswordHasher.Hash(newPassword);
        return ChangeAsync(username, $"user:{username}", "user.password_changed", async (unit, user, stamp, _) =>
        {
            await unit.Users.SetPasswordAsync(user.Username, hash, mustChange: false, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?>());
        }, cancellationToken);
    }

    /// <summary>Ends every session of the user (their cookies are refused from the next request).</summary>
    public Task<UserChangeStatus> SignOutEverywhereAsync(string username, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(username, actor, "user.signed_out_everywhere", async (unit, user, stamp, _) =>
        {
            await unit.Users.SetStampAsync(user.Username, stamp, cancellationToken);
            return (UserChangeStatus.Changed, new Dictionary<string, object?>());
        }, cancellationToken);

    /// <summary>The user's live sessions, oldest first; null when there is no such user.</summary>
    public async Task<IReadOnlyList<UserSession>?> ListSessionsAsync(string username, CancellationToken cancellationToken) =>
        await store.Users.GetAsync(username, cancellationToken) is { } user
            ? await store.Users.ListSessionsAsync(user.Username, time.GetUtcNow(), cancellationToken)
            : null;

    /// <summary>Stored instead of a password hash for a user of the identity provider (no password can match it).</summary>
    public const string ProviderPassword = "!oidc";

    /// <summary>
    /// A sign-in through the identity provider, with the role its groups give: a new name becomes a user of the
    /// provider (audited <c>user.created</c>), a known one gets the role the groups give now (audited
    /// <c>user.role_changed</c>, its other sessions ended, when different). Refused (the reason returned) for a disabled
    /// user and for a name that belongs to a local account (a password user is never taken over).
    /// </summary>
    public async Task<(User? User, string? Refusal)> SignInFromProviderAsync(string username, string? displayName, Role role, string? address, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        bool roleChanged = false;
        var user = await unit.Users.GetAsync(username, cancellationToken);
        if (user is null)
        {
            user = new User(username, displayName, role, now, false);
            await unit.Users.InsertAsync(user, ProviderPassword, cancellationToken);
            string created = JsonSerializer.Serialize(new Dictionary<string, object?> { ["role"] = role.ToWire(), ["via"] = "oidc" });
            await unit.Audit.AppendAsync(new AuditRecord("oidc", "user.created", $"user:{username}", created), now, cancellationToken);
        }
        else if (user.Disabled)
        {
            return (null, "this user is disabled");
        }
        else if ((await unit.Users.GetCredentialsAsync(username, cancellationToken))?.PasswordHash != ProviderPassword)
        {
            return (null, "a local account has this name");
        }
        else if (user.Role != role)
        {
            await unit.Users.SetRoleAsync(user.Username, role, NewStamp(), cancellationToken);
            int ended = await unit.Users.EndSessionsAsync(user.Username, now, cancellationToken);
            string changed = JsonSerializer.Serialize(new Dictionary<string, object?> { ["from"] = user.Role.ToWire(), ["to"] = role.ToWire(), ["sessions_ended"] = ended });
            await unit.Audit.AppendAsync(new AuditRecord("oidc", "user.role_changed", $"user:{user.Username}", changed), now, cancellationToken);
            user = user with { Role = role };
            roleChanged = true;
        }

        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["remote"] = address, ["via"] = "oidc" });
        await unit.Audit.AppendAsync(new AuditRecord($"user:{user.Username}", "signin.succeeded", $"user:{user.Username}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        if (roleChanged)
        {
            sessions.Forget(user.Username);
        }

        return (user, null);
    }

    /// <summary>A new random security stamp.</summary>
    public static string NewStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static string TemporaryPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(TemporaryPasswordLength, alphabet, (chars, a) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }

    private static async Task<bool> IsLastAdminAsync(IUnitOfWork unit, User user, CancellationToken cancellationToken) =>
        !(await unit.Users.ListAsync(cancellationToken)).Any(u => u.Role == Role.Admin && !u.Disabled && !string.Equals(u.Username, user.Username, StringComparison.OrdinalIgnoreCase));

    /// <summary>One change in one transaction: <paramref name="change"/> writes it (with the new stamp) and says what to
    /// audit; then the user's sessions end and the entry is appended.</summary>
    private async Task<UserChangeStatus> ChangeAsync(
        string username,
        string actor,
        string action,
        Func<IUnitOfWork, User, string, DateTimeOffset, Task<(UserChangeStatus Status, Dictionary<string, object?>? Details)>> change,
        CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        if (await unit.Users.GetAsync(username, cancellationToken) is not { } user)
        {
            return UserChangeStatus.NotFound;
        }

        var now = time.GetUtcNow();
        var (status, details) = await change(unit, user, NewStamp(), now);
        if (status != UserChangeStatus.Changed || details is null)
        {
            return status;
        }

        int ended = await unit.Users.EndSessionsAsync(user.Username, now, cancellationToken);
        details["sessions_ended"] = ended;
        await unit.Audit.AppendAsync(new AuditRecord(actor, action, $"user:{user.Username}", JsonSerializer.Serialize(details)), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        sessions.Forget(user.Username);
        return status;
    }
}
