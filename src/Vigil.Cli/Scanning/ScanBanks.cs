using Vigil.Core.Banks;
using Vigil.Moderation;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Hosting;
using Vigil.Moderation.Pipeline;

namespace Vigil.Cli.Scanning;

/// <summary>
/// The hash banks of a CLI run: loaded once from the database on first use (a missing database file is not created:
/// it means no banks). <see cref="Note"/> then says what content is not matched against, if anything.
/// </summary>
internal sealed class ScanBanks : IBankMatcherSource
{
    private readonly Lazy<Task<BankMatcher>> _matcher;

    public ScanBanks(string databasePath) => _matcher = new(() => LoadAsync(databasePath), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Why nothing is matched (no database, no enabled bank, a database that cannot be read), once loaded.</summary>
    public string? Note { get; private set; }

    public ValueTask<BankMatcher> CurrentAsync(CancellationToken cancellationToken) => new(_matcher.Value.WaitAsync(cancellationToken));

    private async Task<BankMatcher> LoadAsync(string path)
    {
        if (VigilStorage.IsMissing(path))
        {
            Note = $"no hash banks: there is no database at {path} (see 'vigil bank'); images are not matched against banks";
            return BankMatcher.Empty;
        }

        try
        {
            await using var store = await VigilStorage.OpenAsync(path);
            var matcher = await new HashBanks(store, VigilSignalTypes.Default, TimeProvider.System).LoadMatcherAsync(null, CancellationToken.None);
            if (matcher.Banks.Count == 0)
            {
                Note = $"no enabled hash banks in {VigilStorage.Describe(path)}; images are not matched against banks";
            }

            return matcher;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException or FormatException)
        {
            Note = $"the hash banks in {VigilStorage.Describe(path)} cannot be read ({e.Message}); images are not matched against banks";
            return BankMatcher.Empty;
        }
    }
}
