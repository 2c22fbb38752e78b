using System.Collections.Concurrent;
using System.Security.Cryptography;
using Vigil.Storage;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>How long a session lasts at most, and how long a check of it may be reused.</summary>
/// <param name="Lifetime">The absolute lifetime of a session, however active (the cookie's sliding expiry comes on top).</param>
/// <param name="CheckInterval">How long this process trusts a session check before it reads the store again: what
/// another process (a <c>vigil user</c> command) changes takes effect within this time; this process's own changes at once.</param>
public sealed record SessionSettings(TimeSpan Lifetime, TimeSpan CheckInterval)
{
    public SessionSettings()
        : this(TimeSpan.FromHours(12), TimeSpan.FromSeconds(5))
    {
    }
}

/// <summary>A live session and its user as the store has them now.</summary>
public sealed record SessionState(UserSession Session, User User, UserSecurity Security);

/// <summary>The session checks of this process, each reused for <see cref="SessionSettings.CheckInterval"/> at most;
/// <see cref="Forget"/> drops a user's when their access changes.</summary>
public sealed class SessionCache(SessionSettings settings, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, SessionState? State, string Username)> _checks = new(StringComparer.Ordinal);

    public TimeSpan CheckInterval => settings.CheckInterval;

    /// <summary>Drops every check of <paramref name="username"/>'s sessions.</summary>
    public void Forget(string username)
    {
        foreach (var (id, check) in _checks)
        {
            if (string.Equals(check.Username, username, StringComparison.OrdinalIgnoreCase))
            {
                _checks.TryRemove(id, out _);
            }
        }
    }

    internal void ForgetSession(string sessionId) => _checks.TryRemove(sessionId, out _);

    internal bool TryGet(string sessionId, out SessionState? state)
    {
        if (_checks.TryGetValue(sessionId, out var check) && time.GetUtcNow() - check.At < settings.CheckInterval)
        {
            state = check.State;
            return true;
        }

        state = null;
        return false;
    }

    internal void Put(string sessionId, string username, SessionState? state)
    {
        var now = time.GetUtcNow();
        _checks[sessionId] = (now, state, username);
        if (_checks.Count > 10_000)
        {
            foreach (var (id, check) in _checks)
            {
                if (now - check.At >= settings.CheckInterval)
                {
                    _checks.TryRemove(id, out _);
                }
            }
        }
    }
}

/// <summary>
/// Server-side sessions of the review UI: a sign-in starts one (its id and the user's security stamp go into the
/// cookie), every request checks it (<see cref="CheckAsync"/>: live, not past its absolute lifetime, the user enabled
/// and their stamp unchanged), and signing out ends it, so that a copied cookie stops working.
/// </summary>
public sealed class Sessions(IVigilStore store, SessionCache cache, SessionSettings settings, TimeProvider time)
{
    /// <summary>Starts a session for <paramref name="user"/>, signed in <paramref name="via"/> (<c>password</c>, <c>oidc</c>);
    /// returns it with the user's security stamp, for the cookie.</summary>
    public async Task<(UserSession Session, string Stamp)> StartAsync(User user, string? address, string via, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new UserSession(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), user.Username, now, now + settings.Lifetime, address, via, null);
        await using var unit = await store.BeginAsync(cancellationToken);
        string stamp = (await unit.Users.GetSecurityAsync(user.Username, cancellationToken))?.Security.Stamp ?? "";
        await unit.Users.InsertSessionAsync(session, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return (session, stamp);
    }

    /// <summary>The session and its user when the session is live and <paramref name="stamp"/> is the user's current
    /// stamp; null when the session must be refused.</summary>
    public async Task<SessionState?> CheckAsync(string sessionId, string username, string stamp, CancellationToken cancellationToken)
    {
        if (!cache.TryGet(sessionId, out var state))
        {
            state = null;
            var now = time.GetUtcNow();
            if (await store.Users.GetSessionAsync(sessionId, cancellationToken) is { } session && session.IsLive(now)
                && await store.Users.GetSecurityAsync(session.Username, cancellationToken) is { } found && !found.User.Disabled)
            {
                state = new SessionState(session, found.User, found.Security);
            }

            cache.Put(sessionId, username, state);
        }

        return state is not null && state.Session.ExpiresAt > time.GetUtcNow()
            && string.Equals(state.User.Username, username, StringComparison.OrdinalIgnoreCase)
            && string.Equals(state.Security.Stamp, stamp, StringComparison.Ordinal)
            ? state
            : null;
    }

    /// <summary>Ends the session (sign-out).</summary>
    public async Task EndAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        await unit.Users.EndSessionAsync(sessionId, time.GetUtcNow(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        cache.ForgetSession(sessionId);
    }
}
