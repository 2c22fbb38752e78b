using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OtpNet;
using Vigil.Moderation.Secrets;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>A TOTP enrolment under way: the secret (base32, for typing in) and the <c>otpauth://</c> URI (for a QR code).</summary>
public sealed record TotpEnrolment(string Secret, string Uri);

/// <summary>
/// Two-factor sign-in with TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock drift either way). The
/// secret is stored sealed with the operator's key when there is one (<see cref="SecretBox"/>); a code is accepted once
/// (a time step used is not accepted again by this process). Confirming enrolment switches it on and gives
/// <see cref="RecoveryCodeCount"/> recovery codes, shown once and stored as SHA-256 hashes (they are random, 50 bits
/// each), each usable once instead of a code. Enabling, a recovery code used and an admin's reset are audited.
/// </summary>
public sealed class TwoFactor(IVigilStore store, SessionCache sessions, TimeProvider time, SecretBox? secrets = null)
{
    public const int RecoveryCodeCount = 10;
    private const string Purpose = "totp";
    private const string Issuer = "Vigil";
    private readonly ConcurrentDictionary<string, long> _lastStep = new(StringComparer.OrdinalIgnoreCase);

    public Task<User?> UserAsync(string username, CancellationToken cancellationToken) => store.Users.GetAsync(username, cancellationToken);

    /// <summary>Whether the user has two-factor on.</summary>
    public async Task<bool> IsEnabledAsync(string username, CancellationToken cancellationToken) =>
        (await store.Users.GetSecurityAsync(username, cancellationToken))?.Security.TwoFactorEnabled == true;

    /// <summary>Starts (or shows again) the user's enrolment; null when the user is unknown or already enrolled.</summary>
    public async Task<TotpEnrolment?> BeginAsync(string username, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        if (await unit.Users.GetSecurityAsync(username, cancellationToken) is not { } found || found.Security.TwoFactorEnabled)
        {
            return null;
        }

        byte[] secret;
        if (found.Security.TotpSecret is { } sealedSecret)
        {
            secret = Base32Encoding.ToBytes(Box.Open(sealedSecret, Purpose));
        }
        else
        {
            secret = KeyGeneration.GenerateRandomKey(20);
            await unit.Users.SetTwoFactorAsync(found.User.Username, Box.Seal(Base32Encoding.ToString(secret), Purpose), null, [], cancellationToken);
            await unit.CommitAsync(cancellationToken);
        }

        string text = Base32Encoding.ToString(secret).TrimEnd('=');
        string label = Uri.EscapeDataString($"{Issuer}:{found.User.Username}");
        return new TotpEnrolment(text, $"otpauth://totp/{label}?secret={text}&issuer={Issuer}&algorithm=SHA1&digits=6&period=30");
    }

    /// <summary>Checks a code against the enrolment under way; when right, two-factor is on and the recovery codes are
    /// returned (to show once). Null when the code is wrong or there is no enrolment under way.</summary>
    public async Task<IReadOnlyList<string>?> ConfirmAsync(string username, string code, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        if (await unit.Users.GetSecurityAsync(username, cancellationToken) is not { } found || found.Security.TwoFactorEnabled
            || found.Security.TotpSecret is not { } sealedSecret || !CheckCode(found.User.Username, sealedSecret, code))
        {
            return null;
        }

        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => RecoveryCode()).ToList();
        var now = time.GetUtcNow();
        await unit.Users.SetTwoFactorAsync(found.User.Username, sealedSecret, now, [.. codes.Select(Hash)], cancellationToken);
        await unit.Audit.AppendAsync(new AuditRecord($"user:{found.User.Username}", "user.two_factor_enabled", $"user:{found.User.Username}", "{}"), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        sessions.Forget(found.User.Username); // the session's next check sees two-factor on
        return codes;
    }

    /// <summary>Whether <paramref name="code"/> (a TOTP code, or an unused recovery code, which is then used up) is
    /// right for the user's enabled two-factor.</summary>
    public async Task<bool> VerifyAsync(string username, string code, CancellationToken cancellationToken)
    {
        code = code.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        await using var unit = await store.BeginAsync(cancellationToken);
        if (await unit.Users.GetSecurityAsync(username, cancellationToken) is not { Security: { TwoFactorEnabled: true, TotpSecret: { } sealedSecret } security } found)
        {
            return false;
        }

        if (code.Length == 6 && code.All(char.IsAsciiDigit))
        {
            return CheckCode(found.User.Username, sealedSecret, code);
        }

        string hash = Hash(code.ToLowerInvariant());
        if (!security.RecoveryCodeHashes.Any(h => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(h), Encoding.ASCII.GetBytes(hash))))
        {
            return false;
        }

        var left = security.RecoveryCodeHashes.Where(h => h != hash).ToList();
        var now = time.GetUtcNow();
        await unit.Users.SetTwoFactorAsync(found.User.Username, sealedSecret, security.TotpEnabledAt, left, cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["recovery_codes_left"] = left.Count });
        await unit.Audit.AppendAsync(new AuditRecord($"user:{found.User.Username}", "user.recovery_code_used", $"user:{found.User.Username}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>An admin switches a user's two-factor off (a lost device): they enrol again at next sign-in; their
    /// sessions end.</summary>
    public async Task<UserChangeStatus> ResetAsync(string username, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        if (await unit.Users.GetSecurityAsync(username, cancellationToken) is not { } found)
        {
            return UserChangeStatus.NotFound;
        }

        if (found.Security.TotpSecret is null)
        {
            return UserChangeStatus.Unchanged;
        }

        var now = time.GetUtcNow();
        await unit.Users.SetTwoFactorAsync(found.User.Username, null, null, [], cancellationToken);
        await unit.Users.SetStampAsync(found.User.Username, UserLifecycle.NewStamp(), cancellationToken);
        int ended = await unit.Users.EndSessionsAsync(found.User.Username, now, cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?> { ["sessions_ended"] = ended });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "user.two_factor_reset", $"user:{found.User.Username}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        sessions.Forget(found.User.Username);
        return UserChangeStatus.Changed;
    }

    private SecretBox Box => secrets ?? SecretBox.None;

    private bool CheckCode(string username, string sealedSecret, string code)
    {
        var totp = new Totp(Base32Encoding.ToBytes(Box.Open(sealedSecret, Purpose)));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code.Trim(), out long step, VerificationWindow.RfcSpecifiedNetworkDelay))
        {
            return false;
        }

        // A code is good once: the same (or an earlier) step again is refused.
        bool fresh = true;
        _lastStep.AddOrUpdate(username, step, (_, last) =>
        {
            fresh = step > last;
            return Math.Max(step, last);
        });
        return fresh;
    }

    private static string RecoveryCode()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        return string.Create(10, alphabet, (chars, a) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = a[RandomNumberGenerator.GetInt32(a.Length)];
            }
        });
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
