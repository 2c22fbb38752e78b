using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>How a sign-in ended.</summary>
public enum SignInStatus
{
    /// <summary>The password is right: <see cref="SignInResult.User"/>.</summary>
    SignedIn,

    /// <summary>Wrong name or password (the answer does not say which).</summary>
    Refused,

    /// <summary>Too many failures for the name typed or from the address: refused without checking, until
    /// <see cref="SignInResult.RetryAfter"/> has passed.</summary>
    Throttled,
}

public sealed record SignInResult(SignInStatus Status, User? User = null, TimeSpan RetryAfter = default);

/// <summary>
/// Signing in to the review UI, with its rules: input capped (a name over <see cref="MaxUsernameLength"/> or a password
/// over <see cref="MaxPasswordLength"/> characters is refused without a look-up or a password hash, and the audit log
/// keeps no more than the capped name); failures counted per name typed and per client address
/// (<see cref="AccessThrottles"/>): from the second failure in a minute the answer is delayed (0.25 s, doubling, at most
/// 2 s), and once the failures allowed are spent the name (or address) is locked out for a while, the attempt that hits
/// the lockout audited (<c>signin.locked</c>). The same happens whether or not the account exists, so neither the
/// answers nor their timing tell. Failures are audited once per name and window (<c>signin.failed</c>; the next entry
/// for the name counts those not written, <c>failures_not_logged</c>), so that a guessing run cannot fill the log.
/// </summary>
public sealed class SignIns(UserAccounts users, AuditTrail audit, AccessThrottles throttles, TimeProvider time)
{
    public const int MaxUsernameLength = 64;
    public const int MaxPasswordLength = 1024;
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    /// <summary>Per name typed: when its audit window began and how many failures since were not written.</summary>
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, int NotLogged)> _audited = new(StringComparer.Ordinal);

    public async Task<SignInResult> SignInAsync(string? username, string? password, string? address, CancellationToken cancellationToken)
    {
        string name = username?.Trim() ?? "";
        bool fits = name.Length is > 0 and <= MaxUsernameLength && (password?.Length ?? 0) <= MaxPasswordLength;
        string shown = fits ? name : "?";
        string account = "account:" + shown.ToLowerInvariant();
        string client = "address:" + (address ?? "unknown");
        var details = new Dictionary<string, object?> { ["remote"] = address };
        if (!fits && name.Length > MaxUsernameLength)
        {
            details["name_length"] = name.Length;
        }

        var byAccount = throttles.SignInAccounts.Check(account);
        var byAddress = throttles.SignInAddresses.Check(client);
        if (byAccount.Locked || byAddress.Locked)
        {
            if (byAccount.NewlyLocked || byAddress.NewlyLocked)
            {
                var locked = byAccount.NewlyLocked ? byAccount : byAddress;
                details["locked"] = byAccount.NewlyLocked ? "account" : "address";
                details["failures"] = locked.Failures;
                details["window_seconds"] = (int)throttles.Limits.Window.TotalSeconds;
                details["lockout_seconds"] = (int)Math.Ceiling(locked.RetryAfter.TotalSeconds);
                await RecordAsync(shown, account, "signin.locked", details, force: true, cancellationToken);
            }

            return new SignInResult(SignInStatus.Throttled, RetryAfter: byAccount.RetryAfter > byAddress.RetryAfter ? byAccount.RetryAfter : byAddress.RetryAfter);
        }

        var user = fits ? await users.SignInAsync(name, password ?? "", cancellationToken) : null;
        if (user is not null)
        {
            await RecordAsync(user.Username, account, "signin.succeeded", details, force: true, cancellationToken);
            return new SignInResult(SignInStatus.SignedIn, user);
        }

        int failures = throttles.SignInAccounts.RecordFailure(account);
        throttles.SignInAddresses.RecordFailure(client);
        await RecordAsync(shown, account, "signin.failed", details, force: false, cancellationToken);
        if (failures >= 2)
        {
            var delay = TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(failures - 2, 8)));
            await Task.Delay(delay, time, cancellationToken);
        }

        return new SignInResult(SignInStatus.Refused);
    }

    /// <summary>Writes the entry, unless it is a failure in a window that already has one (then it is counted, and the
    /// next entry written for the name says how many were not).</summary>
    private async Task RecordAsync(string shown, string account, string action, Dictionary<string, object?> details, bool force, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        int notLogged = 0;
        bool write = true;
        _audited.AddOrUpdate(
            account,
            _ => (now, 0),
            (_, current) =>
            {
                if (!force && now - current.Since < throttles.Limits.Window)
                {
                    write = false;
                    return (current.Since, current.NotLogged + 1);
                }

                notLogged = current.NotLogged;
                return (now, 0);
            });
        if (!write)
        {
            return;
        }

        if (notLogged > 0)
        {
            details["failures_not_logged"] = notLogged;
        }

        string json = JsonSerializer.Serialize(details);
        await audit.RecordAsync(new AuditRecord($"user:{shown}", action, $"user:{shown}", json), cancellationToken);
        if (_audited.Count > 100_000)
        {
            foreach (var (key, value) in _audited)
            {
                if (now - value.Since > throttles.Limits.Window && value.NotLogged == 0)
                {
                    _audited.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>Whole seconds to wait, for a Retry-After header.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
