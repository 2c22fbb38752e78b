namespace Vigil.Media.Banks;

/// <summary>
/// Matches images and files against the enabled hash banks: exact lookups for md5 and sha256, and one
/// <see cref="PdqIndex"/> over every bank's PDQ entries, searched up to the largest bank threshold; each PDQ match
/// is then held to its own bank's <see cref="HashBank.PdqThreshold"/> and <see cref="HashBank.MinQuality"/>.
/// </summary>
/// <remarks>
/// <para>Allow-lists: when the content matches an allow-list bank (or an entry whose source calls it a false
/// positive), every other match of that content is suppressed: moved to <see cref="BankMatchResult.Suppressed"/>
/// so that callers can report it, and not counted.</para>
/// <para>Immutable after <see cref="Builder.Build"/>; one instance serves any number of threads. Build a new one
/// when the banks change.</para>
/// </remarks>
public sealed class BankMatcher
{
    private readonly HashBank[] _banks;
    private readonly BankEntry[] _entries;
    private readonly int[] _bankOf;
    private readonly PdqIndex _pdq;
    private readonly Dictionary<BankEntryKey, int[]> _exact;
    private readonly HashBank[] _banksWithPdq;

    private BankMatcher(HashBank[] banks, BankEntry[] entries, int[] bankOf, PdqIndex pdq, Dictionary<BankEntryKey, int[]> exact)
    {
        _banks = banks;
        _entries = entries;
        _bankOf = bankOf;
        _pdq = pdq;
        _exact = exact;
        var withPdq = new HashSet<int>();
        for (int i = 0; i < entries.Length; i++)
        {
            if (entries[i].SignalType == BankSignalType.Pdq)
            {
                withPdq.Add(bankOf[i]);
            }
        }

        _banksWithPdq = [.. withPdq.Order().Select(b => banks[b])];
    }

    /// <summary>The banks matched against.</summary>
    public IReadOnlyList<HashBank> Banks => _banks;

    /// <summary>Number of entries over all banks.</summary>
    public int EntryCount => _entries.Length;

    /// <summary>A matcher over no banks.</summary>
    public static BankMatcher Empty { get; } = new Builder().Build();

    /// <summary>Matches an image's hashes (or only a file's byte hashes when <paramref name="pdq"/> is null).</summary>
    public BankMatchResult Match(ContentHashes? content, PdqResult? pdq)
    {
        if (_entries.Length == 0)
        {
            return BankMatchResult.None;
        }

        var found = new List<BankMatch>();
        if (content is not null)
        {
            AddExact(new BankEntryKey(BankSignalType.Md5, content.Md5), found);
            AddExact(new BankEntryKey(BankSignalType.Sha256, content.Sha256), found);
        }

        IReadOnlyList<HashBank> belowQuality = [];
        if (pdq is { } p && !p.Hash.IsZero && _banksWithPdq.Length > 0)
        {
            belowQuality = [.. _banksWithPdq.Where(b => p.Quality < b.MinQuality)];
            if (belowQuality.Count < _banksWithPdq.Length)
            {
                foreach (var match in _pdq.Search(p.Hash))
                {
                    int index = (int)match.Id;
                    var bank = _banks[_bankOf[index]];
                    if (match.Distance <= bank.PdqThreshold && p.Quality >= bank.MinQuality)
                    {
                        found.Add(new BankMatch(bank, _entries[index], match.Distance));
                    }
                }
            }
        }

        if (found.Count == 0)
        {
            return belowQuality.Count == 0 ? BankMatchResult.None : BankMatchResult.None with { BelowMinQuality = belowQuality };
        }

        found.Sort(static (a, b) =>
            a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance)
            : string.CompareOrdinal(a.Bank.Name, b.Bank.Name) is var byName and not 0 ? byName
            : a.Entry.Id.CompareTo(b.Entry.Id));
        var allow = found.Where(m => m.IsAllow).ToList();
        var others = found.Where(m => !m.IsAllow).ToList();
        return allow.Count > 0
            ? new BankMatchResult([], allow, others, belowQuality)
            : new BankMatchResult(others, [], [], belowQuality);
    }

    private void AddExact(BankEntryKey key, List<BankMatch> found)
    {
        if (_exact.TryGetValue(key, out var indexes))
        {
            foreach (int index in indexes)
            {
                found.Add(new BankMatch(_banks[_bankOf[index]], _entries[index], 0));
            }
        }
    }

    /// <summary>Collects banks and entries, then builds the matcher's indexes in one pass.</summary>
    public sealed class Builder
    {
        private readonly List<HashBank> _banks = [];
        private readonly Dictionary<string, int> _bankIndex = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<BankEntry> _entries = [];
        private readonly List<int> _bankOf = [];
        private readonly List<PdqHash> _pdqHashes = [];
        private readonly List<long> _pdqIds = [];
        private readonly Dictionary<BankEntryKey, List<int>> _exact = [];

        /// <summary>Adds a bank (even an empty one). A disabled bank is ignored unless <paramref name="evenIfDisabled"/>.</summary>
        /// <returns>False when the bank is disabled and ignored.</returns>
        public bool AddBank(HashBank bank, bool evenIfDisabled = false)
        {
            ArgumentNullException.ThrowIfNull(bank);
            if (!bank.Enabled && !evenIfDisabled)
            {
                return false;
            }

            if (!_bankIndex.ContainsKey(bank.Name))
            {
                _bankIndex[bank.Name] = _banks.Count;
                _banks.Add(bank);
            }

            return true;
        }

        /// <summary>Adds an entry of a bank added before; entries of ignored (disabled) banks are ignored too.</summary>
        public void Add(string bankName, BankEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (!_bankIndex.TryGetValue(bankName, out int bank))
            {
                return;
            }

            int index = _entries.Count;
            _entries.Add(entry);
            _bankOf.Add(bank);
            if (entry.SignalType == BankSignalType.Pdq)
            {
                if (PdqHash.TryParse(entry.Value, out var hash))
                {
                    _pdqHashes.Add(hash);
                    _pdqIds.Add(index);
                }
            }
            else
            {
                var key = new BankEntryKey(entry.SignalType, entry.Value);
                if (!_exact.TryGetValue(key, out var list))
                {
                    _exact[key] = list = new List<int>(1);
                }

                list.Add(index);
            }
        }

        /// <summary>Builds the matcher.</summary>
        public BankMatcher Build()
        {
            int maxDistance = _banks.Count == 0 ? 0 : _banks.Max(b => Math.Clamp(b.PdqThreshold, 0, PdqIndex.MaxSupportedDistance));
            var pdq = PdqIndex.Build(
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pdqHashes),
                System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pdqIds),
                maxDistance);
            return new BankMatcher(
                [.. _banks], [.. _entries], [.. _bankOf], pdq,
                _exact.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
        }
    }
}
