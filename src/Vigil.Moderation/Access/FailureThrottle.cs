using System.Collections.Concurrent;
using System.Threading.RateLimiting;

namespace Vigil.Moderation.Access;

/// <summary>Whether a throttled key (an account, a client address) may try again.</summary>
/// <param name="Locked">Refused until <paramref name="RetryAfter"/> has passed.</param>
/// <param name="NewlyLocked">This check started the lockout (audit and log it once).</param>
/// <param name="Failures">Failures counted in the current window.</param>
public readonly record struct ThrottleState(bool Locked, bool NewlyLocked, TimeSpan RetryAfter, int Failures);

/// <summary>
/// Counts failures per key (an account name, a client address) with .NET's built-in rate limiter (a sliding window of
/// one minute in six segments, one partition per key, idle partitions dropped by the limiter itself): a key that has
/// spent its <c>failures</c> in the window is locked out for <c>lockout</c>. Checking costs nothing that grows with the
/// input (no password hashing), so a locked key costs an attacker's request almost nothing to refuse. In memory, per
/// process. Thread-safe.
/// </summary>
public sealed class FailureThrottle : IDisposable
{
    private const int MaxLockouts = 100_000;
    private readonly int _failures;
    private readonly TimeSpan _lockout;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lockedUntil = new(StringComparer.Ordinal);

    /// <param name="failures">Failures allowed per key in <paramref name="window"/>; the next attempt is locked out.</param>
    public FailureThrottle(int failures, TimeSpan window, TimeSpan lockout, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        _failures = failures;
        _lockout = lockout;
        _time = time;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = failures,
            Window = window,
            SegmentsPerWindow = 6,
            QueueLimit = 0,
            AutoReplenishment = false, // the partitioned limiter's own timer replenishes
        }));
    }

    /// <summary>Whether <paramref name="key"/> is locked out now; starts the lockout when its failures are spent.</summary>
    public ThrottleState Check(string key)
    {
        var now = _time.GetUtcNow();
        if (_lockedUntil.TryGetValue(key, out var until))
        {
            if (until > now)
            {
                return new ThrottleState(true, false, until - now, Failures(key));
            }

            _lockedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(key, until));
        }

        using var lease = _limiter.AttemptAcquire(key, 0);
        if (lease.IsAcquired)
        {
            return new ThrottleState(false, false, TimeSpan.Zero, Failures(key));
        }

        if (_lockedUntil.Count > MaxLockouts)
        {
            foreach (var (stale, at) in _lockedUntil)
            {
                if (at <= now)
                {
                    _lockedUntil.TryRemove(stale, out _);
                }
            }
        }

        bool newly = _lockedUntil.TryAdd(key, now + _lockout);
        return new ThrottleState(true, newly, _lockedUntil.TryGetValue(key, out var set) ? set - now : _lockout, _failures);
    }

    /// <summary>Counts a failure; returns the failures in the window, this one included.</summary>
    public int RecordFailure(string key)
    {
        using var lease = _limiter.AttemptAcquire(key, 1);
        return Failures(key);
    }

    /// <summary>Failures counted in the window.</summary>
    public int Failures(string key) =>
        _failures - (int)Math.Min(_failures, _limiter.GetStatistics(key)?.CurrentAvailablePermits ?? _failures);

    public void Dispose() => _limiter.Dispose();
}

/// <summary>The service's limits on failed sign-ins and API keys (settings of the host).</summary>
public sealed record AccessLimits
{
    /// <summary>Wrong passwords per account (any name typed, whether or not it exists) in a minute before a lockout.</summary>
    public int SignInFailuresPerAccount { get; init; } = 5;

    /// <summary>Failed sign-ins per client address in a minute before a lockout of the address.</summary>
    public int SignInFailuresPerAddress { get; init; } = 20;

    /// <summary>Requests with a wrong or revoked API key per client address in a minute before a lockout.</summary>
    public int ApiKeyFailuresPerAddress { get; init; } = 20;

    /// <summary>How long a lockout lasts.</summary>
    public TimeSpan Lockout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The window failures are counted in.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);
}

/// <summary>The failure throttles of one process: sign-ins per account and per address, API keys per address.</summary>
public sealed class AccessThrottles : IDisposable
{
    public AccessThrottles(AccessLimits limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
        SignInAccounts = new FailureThrottle(limits.SignInFailuresPerAccount, limits.Window, limits.Lockout, time);
        SignInAddresses = new FailureThrottle(limits.SignInFailuresPerAddress, limits.Window, limits.Lockout, time);
        ApiKeyAddresses = new FailureThrottle(limits.ApiKeyFailuresPerAddress, limits.Window, limits.Lockout, time);
    }

    public AccessLimits Limits { get; }

    public FailureThrottle SignInAccounts { get; }

    public FailureThrottle SignInAddresses { get; }

    public FailureThrottle ApiKeyAddresses { get; }

    public void Dispose()
    {
        SignInAccounts.Dispose();
        SignInAddresses.Dispose();
        ApiKeyAddresses.Dispose();
    }
}
