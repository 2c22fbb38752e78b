using Vigil.Media.Banks;

namespace Vigil.Storage.Banks;

/// <summary>Builds a <see cref="BankMatcher"/> from the banks in a store.</summary>
public static class BankMatcherLoader
{
    /// <summary>
    /// A matcher over the enabled banks, plus <paramref name="alsoBank"/> even when it is disabled (null: none).
    /// </summary>
    /// <exception cref="HashBankException"><paramref name="alsoBank"/> does not exist.</exception>
    public static async Task<BankMatcher> LoadMatcherAsync(this IHashBankStore store, string? alsoBank = null, CancellationToken cancellationToken = default)
    {
        var banks = await store.ListBanksAsync(cancellationToken);
        if (alsoBank is not null && !banks.Any(b => string.Equals(b.Name, alsoBank, StringComparison.OrdinalIgnoreCase)))
        {
            throw new HashBankException($"There is no bank named '{alsoBank}'.");
        }

        var builder = new BankMatcher.Builder();
        foreach (var bank in banks)
        {
            bool requested = string.Equals(bank.Name, alsoBank, StringComparison.OrdinalIgnoreCase);
            if (builder.AddBank(bank, evenIfDisabled: requested))
            {
                await foreach (var entry in store.GetEntriesAsync(bank.Name, cancellationToken))
                {
                    builder.Add(bank.Name, entry);
                }
            }
        }

        return builder.Build();
    }
}
