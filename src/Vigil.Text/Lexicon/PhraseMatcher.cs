using Vigil.Text.Normalization;

namespace Vigil.Text.Lexicon;

/// <summary>
/// Finds list entries in normalised text: whole words only, longest match wins where matches overlap, every
/// match mapped back to the original text. Built once; thread-safe.
/// </summary>
public sealed class PhraseMatcher
{
    private readonly AhoCorasick _automaton;
    private readonly string[] _forms;
    private readonly LexiconEntry[][] _entries;
    private readonly bool[] _caseSensitive;
    private readonly string[] _originalForms;

    /// <summary>Forms shorter than this (after normalisation) are ignored as too ambiguous.</summary>
    public const int MinimumFormLength = 3;

    public PhraseMatcher(IEnumerable<LexiconEntry> entries)
    {
        var byForm = new Dictionary<string, (List<LexiconEntry> Entries, bool CaseSensitive, string Original)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            foreach (var raw in entry.Forms)
            {
                foreach (var form in Variants(raw))
                {
                    if (form.Length < MinimumFormLength || IsAllDigits(form) || IsAmbiguous(form, entry))
                    {
                        continue;
                    }

                    // A short acronym that is also an ordinary word ("LeT", "HUM") only counts in capitals.
                    bool caseSensitive = CommonWords.Contains(form) && IsAcronym(raw);
                    if (CommonWords.Contains(form) && !caseSensitive)
                    {
                        continue;
                    }

                    if (!byForm.TryGetValue(form, out var slot))
                    {
                        slot = ([], caseSensitive, raw);
                        byForm[form] = slot;
                    }

                    if (!slot.Entries.Contains(entry))
                    {
                        slot.Entries.Add(entry);
                    }
                }
            }
        }

        _forms = [.. byForm.Keys];
        _entries = [.. _forms.Select(f => byForm[f].Entries.ToArray())];
        _caseSensitive = [.. _forms.Select(f => byForm[f].CaseSensitive)];
        _originalForms = [.. _forms.Select(f => byForm[f].Original)];
        _automaton = new AhoCorasick(_forms);
    }

    public int FormCount => _forms.Length;

    public IReadOnlyList<LexiconMatch> Match(NormalizedText text)
    {
        var state = new MatchState(text, this);
        _automaton.FindAll(text.Value.AsSpan(), ref state, OnMatch);
        if (state.Found is null)
        {
            return [];
        }

        // Longest match wins; among equals, the earliest. Then report in text order.
        var found = state.Found;
        found.Sort((a, b) => (b.End - b.Start) != (a.End - a.Start) ? (b.End - b.Start).CompareTo(a.End - a.Start) : a.Start.CompareTo(b.Start));
        var kept = new List<(int Start, int End, int Pattern)>(found.Count);
        foreach (var m in found)
        {
            if (!kept.Exists(k => k.Start < m.End && m.Start < k.End))
            {
                kept.Add(m);
            }
        }

        kept.Sort((a, b) => a.Start.CompareTo(b.Start));
        var result = new List<LexiconMatch>(kept.Count);
        foreach (var (start, end, pattern) in kept)
        {
            var (s, e) = text.ToOriginal(start, end);
            result.Add(new LexiconMatch(s, e, _forms[pattern], _entries[pattern]));
        }

        return result;
    }

    private static void OnMatch(ref MatchState state, int start, int end, int pattern)
    {
        string value = state.Text.Value;
        if (!IsWordStart(value, start) || (end < value.Length && IsWordChar(value[end])))
        {
            return;
        }

        if (state.Matcher._caseSensitive[pattern])
        {
            var (s, e) = state.Text.ToOriginal(start, end);
            var original = state.Text.Original.AsSpan(s, e - s);
            foreach (char c in original)
            {
                if (char.IsLower(c))
                {
                    return;
                }
            }
        }

        (state.Found ??= []).Add((start, end, pattern));
    }

    private static bool IsWordStart(string value, int start)
    {
        if (start == 0 || !IsWordChar(value[start - 1]))
        {
            return true;
        }

        // Arabic attaches the conjunctions and prepositions و ف ب ل ك to the next word.
        return start >= 1 && IsArabicLetter(value[start]) && value[start - 1] is '\u0648' or '\u0641' or '\u0628' or '\u0644' or '\u0643'
            && (start == 1 || !IsWordChar(value[start - 2]));
    }

    internal static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static bool IsArabicLetter(char c) => c is >= '\u0600' and <= '\u06FF';

    /// <summary>
    /// Forms too ambiguous to be evidence of a designated organisation: three-letter acronyms (MIT, ISI, KIA) bar a
    /// few well-known ones, and names made only of generic words ("The Base", "Jihad Group", "The Sentinels").
    /// Coded terms are curated one by one and kept as they are.
    /// </summary>
    private static bool IsAmbiguous(string form, LexiconEntry entry)
    {
        if (!entry.IsDesignation)
        {
            return false;
        }

        if (!form.Contains(' ', StringComparison.Ordinal) && form.Length <= 3)
        {
            return !ShortAcronyms.Contains(form);
        }

        foreach (var word in form.Split(' '))
        {
            if (!GenericWords.Contains(word))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly HashSet<string> ShortAcronyms = new(StringComparer.Ordinal) { "hts", "aqi", "ttp", "jem", "pkk", "ira" };

    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "the", "of", "in", "for", "and", "to", "on", "a", "an", "al", "el", "wa", "de", "du", "la", "le", "les", "des", "et", "new",
        "army", "group", "groups", "front", "movement", "party", "brigade", "brigades", "battalion", "battalions", "organisation",
        "organization", "society", "foundation", "committee", "council", "network", "union", "association", "trust", "fund",
        "company", "bank", "exchange", "office", "agency", "media", "center", "centre", "base", "islamic", "islam",
        "jihad", "holy", "war", "god", "allah", "people", "liberation", "resistance", "national", "international",
        "revolutionary", "supporters", "soldiers", "followers", "devotees", "sentinels", "veiled", "pure", "righteous",
        "martyrs", "fighters", "warriors", "defenders", "youth", "students", "relief", "aid", "welfare", "charity", "humanitarian",
        "global", "world", "order", "action", "sign", "blood", "those", "who", "with", "by", "tigers", "asian", "truth", "lies",
    };

    private static bool IsAllDigits(string s)
    {
        foreach (char c in s)
        {
            if (!char.IsDigit(c) && c != ' ')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAcronym(string raw)
    {
        int upper = 0, letters = 0;
        foreach (char c in raw)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
        }

        return letters > 0 && letters <= 6 && upper >= 2;
    }

    /// <summary>
    /// The normalised form plus common variants: a leading "al " article glued on ("al qaida" → "alqaida"), all
    /// words run together ("islamicstate"), and a final "ah"/"a" either way ("khilafah", "khilafa").
    /// </summary>
    internal static IEnumerable<string> Variants(string raw)
    {
        string form = TextNormalizer.NormalizeToString(raw).Trim();
        if (form.Length == 0)
        {
            yield break;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { form };
        yield return form;
        var words = form.Split(' ');
        if (words.Length > 1 && words[0] is "al" or "el" or "ad" or "ar" or "as" or "ash" or "at" or "an" or "az")
        {
            string glued = words[0] + words[1] + (words.Length > 2 ? " " + string.Join(' ', words[2..]) : "");
            if (seen.Add(glued))
            {
                yield return glued;
            }
        }

        // All words run together, as in hashtags (#islamicstate) or a whole name spaced out letter by letter.
        if (words.Length > 1)
        {
            string glued = string.Concat(words);
            if (glued.Length >= 8 && seen.Add(glued))
            {
                yield return glued;
            }
        }

        string last = words[^1];
        string? alt = last.EndsWith("ah", StringComparison.Ordinal) && last.Length > 4 ? last[..^1]
            : last.EndsWith('a') && last.Length > 3 && IsLatin(last) ? last + "h"
            : null;
        if (alt is not null)
        {
            string variant = string.Join(' ', words[..^1].Append(alt));
            if (seen.Add(variant))
            {
                yield return variant;
            }
        }
    }

    private static bool IsLatin(string s) => s.All(c => c is >= 'a' and <= 'z');

    private struct MatchState(NormalizedText text, PhraseMatcher matcher)
    {
        public readonly NormalizedText Text = text;
        public readonly PhraseMatcher Matcher = matcher;
        public List<(int Start, int End, int Pattern)>? Found;
    }

    /// <summary>Ordinary English and French words that some lists use as acronyms or short aliases.</summary>
    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "let", "hum", "are", "was", "not", "but", "all", "any", "can", "had", "her", "one", "our",
        "out", "day", "get", "has", "him", "his", "how", "man", "new", "now", "old", "see", "two", "way", "who", "boy",
        "did", "its", "say", "she", "too", "use", "ira", "eta", "asc", "aim", "jem", "isi", "tip", "ias", "pan", "arm",
        "les", "des", "une", "est", "pas", "par", "sur", "qui", "que", "mais", "ils", "elle", "son", "ses", "aux",
        "islam", "islamic", "muslim", "muslims", "army", "front", "state", "party", "group", "movement", "brigade",
        "brigades", "battalion", "committee", "foundation", "organization", "organisation", "society", "council",
        "network", "company", "bank", "trust", "relief", "ansar", "jihad", "base", "order", "action",
    };
}
