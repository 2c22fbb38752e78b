using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>
/// Matches content hashes against the enabled hash banks: one index per signal type over every bank's entries of that
/// type (<see cref="SignalType.CreateIndex"/>), searched once per hash; each hit is then held to its own bank's settings
/// (<see cref="SignalType.Skip"/>, <see cref="SignalType.Accepts"/>).
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
    private readonly Dictionary<string, TypeIndex> _types;

    private BankMatcher(HashBank[] banks, BankEntry[] entries, int[] bankOf, Dictionary<string, TypeIndex> types)
    {
        _banks = banks;
        _entries = entries;
        _bankOf = bankOf;
        _types = types;
    }

    /// <summary>The banks matched against.</summary>
    public IReadOnlyList<HashBank> Banks => _banks;

    /// <summary>Number of entries over all banks.</summary>
    public int EntryCount => _entries.Length;

    /// <summary>The signal types that some entry has.</summary>
    public IEnumerable<SignalType> SignalTypes => _types.Values.Select(t => t.Type);

    /// <summary>A matcher over no banks.</summary>
    public static BankMatcher Empty { get; } = new([], [], [], new Dictionary<string, TypeIndex>(StringComparer.Ordinal));

    /// <summary>Matches the hashes of one piece of content (all its hashes, of any types).</summary>
    public BankMatchResult Match(IEnumerable<ContentHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        if (_entries.Length == 0)
        {
            return BankMatchResult.None;
        }

        var found = new List<BankMatch>();
        var skipped = new List<BankSkip>();
        var hits = new List<IndexHit>();
        foreach (var hash in hashes)
        {
            if (!_types.TryGetValue(hash.SignalType, out var index))
            {
                continue;
            }

            var skippedBanks = new HashSet<int>();
            foreach (var (bank, settings) in index.Settings)
            {
                if (index.Type.Skip(hash, settings) is { } reason)
                {
                    skippedBanks.Add(bank);
                    skipped.Add(new BankSkip(_banks[bank], index.Type.Name, reason));
                }
            }

            if (skippedBanks.Count == index.Settings.Count)
            {
                continue;
            }

            hits.Clear();
            index.Index.Search(hash, hits);
            foreach (var hit in hits)
            {
                int entry = index.EntryOf[hit.Id];
                int bank = _bankOf[entry];
                var settings = index.Settings[bank];
                if (!skippedBanks.Contains(bank) && index.Type.Accepts(hit.Distance, settings))
                {
                    found.Add(new BankMatch(_banks[bank], _entries[entry], hit.Distance, index.Type.Closeness(hit.Distance, settings), index.Type.DescribeMatch(hit.Distance, settings)));
                }
            }
        }

        if (found.Count == 0)
        {
            return skipped.Count == 0 ? BankMatchResult.None : BankMatchResult.None with { Skipped = skipped };
        }

        found.Sort(static (a, b) =>
            a.Distance != b.Distance ? a.Distance.CompareTo(b.Distance)
            : string.CompareOrdinal(a.Bank.Name, b.Bank.Name) is var byName and not 0 ? byName
            : a.Entry.Id.CompareTo(b.Entry.Id));
        var allow = found.Where(m => m.IsAllow).ToList();
        var others = found.Where(m => !m.IsAllow).ToList();
        return allow.Count > 0
            ? new BankMatchResult([], allow, others, skipped)
            : new BankMatchResult(others, [], [], skipped);
    }

    /// <summary>One signal type's index, which entries its hits are, and the settings of the banks that have entries of it.</summary>
    private sealed record TypeIndex(SignalType Type, ISignalIndex Index, int[] EntryOf, Dictionary<int, SignalSettings> Settings);

    /// <summary>Collects banks and entries, then builds the matcher's indexes in one pass.</summary>
    public sealed class Builder(SignalTypeRegistry types)
    {
        private readonly List<HashBank> _banks = [];
        private readonly Dictionary<string, int> _bankIndex = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<BankEntry> _entries = [];
        private readonly List<int> _bankOf = [];
        private readonly Dictionary<string, (List<string> Values, List<int> Entries)> _byType = new(StringComparer.Ordinal);

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

        /// <summary>Adds an entry of a bank added before; entries of ignored (disabled) banks, and of signal types the
        /// registry does not know, are ignored.</summary>
        public void Add(string bankName, BankEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            if (!_bankIndex.TryGetValue(bankName, out int bank) || !types.TryGet(entry.SignalType, out var type))
            {
                return;
            }

            if (!_byType.TryGetValue(type.Name, out var list))
            {
                _byType[type.Name] = list = ([], []);
            }

            list.Values.Add(entry.Value);
            list.Entries.Add(_entries.Count);
            _entries.Add(entry);
            _bankOf.Add(bank);
        }

        /// <summary>Builds the matcher.</summary>
        /// <exception cref="FormatException">A bank's settings are not valid for a type it has entries of.</exception>
        public BankMatcher Build()
        {
            var indexes = new Dictionary<string, TypeIndex>(StringComparer.Ordinal);
            foreach (var (name, (values, entries)) in _byType)
            {
                var type = types.Get(name);
                var settings = new Dictionary<int, SignalSettings>();
                foreach (int entry in entries)
                {
                    int bank = _bankOf[entry];
                    if (!settings.ContainsKey(bank))
                    {
                        settings[bank] = _banks[bank].SettingsFor(type);
                    }
                }

                indexes[name] = new TypeIndex(type, type.CreateIndex(values, settings.Values), [.. entries], settings);
            }

            return new BankMatcher([.. _banks], [.. _entries], [.. _bankOf], indexes);
        }
    }
}
