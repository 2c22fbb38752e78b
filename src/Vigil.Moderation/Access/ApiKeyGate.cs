using Vigil.Storage.Users;

namespace Vigil.Moderation.Access;

/// <summary>How a presented API key was taken.</summary>
public enum KeyCheckStatus
{
    Valid,
    Invalid,

    /// <summary>Too many wrong or revoked keys from this client address: refused without a look-up.</summary>
    Throttled,
}

/// <param name="NewlyThrottled">This request started the lockout (log it once).</param>
public sealed record KeyCheck(KeyCheckStatus Status, ApiKey? Key = null, TimeSpan RetryAfter = default, bool NewlyThrottled = false);

/// <summary>
/// Checking a presented API key with its rule: wrong and revoked keys are counted per client address, and an address
/// whose failures are spent (<see cref="AccessLimits.ApiKeyFailuresPerAddress"/> in a minute) is refused for a while
/// without a look-up, so that keys cannot be guessed or tried at speed.
/// </summary>
public sealed class ApiKeyGate(ApiKeys keys, AccessThrottles throttles)
{
    public async Task<KeyCheck> CheckAsync(string presented, string? address, CancellationToken cancellationToken)
    {
        string client = "address:" + (address ?? "unknown");
        var state = throttles.ApiKeyAddresses.Check(client);
        if (state.Locked)
        {
            return new KeyCheck(KeyCheckStatus.Throttled, RetryAfter: state.RetryAfter, NewlyThrottled: state.NewlyLocked);
        }

        var key = await keys.FindAsync(presented, cancellationToken);
        if (key is null)
        {
            throttles.ApiKeyAddresses.RecordFailure(client);
            return new KeyCheck(KeyCheckStatus.Invalid);
        }

        return new KeyCheck(KeyCheckStatus.Valid, key);
    }
}
