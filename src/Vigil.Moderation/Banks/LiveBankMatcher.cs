using Vigil.Core.Banks;
using Vigil.Moderation.Pipeline;

namespace Vigil.Moderation.Banks;

/// <summary>
/// The service's bank matcher: built from the store on first use and rebuilt after every change made through
/// <see cref="HashBanks"/> in this process, and at least every refresh interval (to see changes made elsewhere,
/// e.g. by <c>vigil bank</c>). Concurrent callers share one rebuild.
/// </summary>
public sealed class LiveBankMatcher : IBankMatcherSource, IDisposable
{
    private readonly HashBanks _banks;
    private readonly TimeSpan _refresh;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private long _generation;
    private (BankMatcher Matcher, DateTimeOffset LoadedAt, long Generation)? _current;

    public LiveBankMatcher(HashBanks banks, TimeSpan refresh, TimeProvider time)
    {
        _banks = banks;
        _refresh = refresh;
        _time = time;
        banks.Changed += Invalidate;
    }

    /// <summary>Makes the next call rebuild.</summary>
    public void Invalidate() => Interlocked.Increment(ref _generation);

    public async ValueTask<BankMatcher> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _reload.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } again)
            {
                return again;
            }

            // Read the generation first: a change committed while the banks load makes this matcher stale at once.
            long generation = Interlocked.Read(ref _generation);
            var matcher = await _banks.LoadMatcherAsync(null, cancellationToken);
            _current = (matcher, _time.GetUtcNow(), generation);
            return matcher;
        }
        finally
        {
            _reload.Release();
        }
    }

    private BankMatcher? Fresh() =>
        _current is { } c && _time.GetUtcNow() - c.LoadedAt < _refresh && c.Generation == Interlocked.Read(ref _generation) ? c.Matcher : null;

    public void Dispose()
    {
        _banks.Changed -= Invalidate;
        _reload.Dispose();
    }
}
