using System.Globalization;
using System.Text;
using Vigil.Training.Data;

namespace Vigil.Ocr.Bench;

/// <summary>A labelled dev post printed as a leaflet.</summary>
/// <param name="Set">The catalogue set it comes from (its task and positive label decide how it is scored).</param>
/// <param name="Post">The post as the data has it.</param>
/// <param name="Printed">What is printed, and what the text side is scored on: <see cref="DevPosts.Printable"/> of its text.</param>
/// <param name="Leaflet">Its leaflet: language, number in its language's sample (1-based, in sample order), the printed text.</param>
internal sealed record DevPost(Dataset Set, LabelledPost Post, string Printed, BenchPost Leaflet)
{
    public bool Positive => Set.IsPositive(Post);

    public bool Terrorism => Set.Task == DatasetTask.Terrorism;
}

/// <summary>
/// The dev posts of the OCR detection benchmark: per language a deterministic sample of the dev splits of the sets that
/// <c>vigil eval</c> scores for that language, with positives over-represented so that F1 has something to measure.
/// </summary>
internal static class DevPosts
{
    /// <summary>The sets of each language, in <c>vigil eval</c>'s catalogue: English has the terrorism set and an English
    /// hate set of tweets, French its hate set, Arabic both of its hate sets. Each gets an equal share of the language's posts.</summary>
    public static IReadOnlyList<(string Language, IReadOnlyList<Dataset> Sets)> Sets { get; } =
    [
        ("en", [DatasetCatalogue.IsisTweets, DatasetCatalogue.MlmaEnglish]),
        ("fr", [DatasetCatalogue.MlmaFrench]),
        ("ar", [DatasetCatalogue.MlmaArabic, DatasetCatalogue.LHsab]),
    ];

    /// <summary>Share of a set's sample taken from its positives (all of them when it has fewer).</summary>
    public const double PositiveShare = 0.4;

    /// <summary>Least letters a printed post must keep (a post of only mentions and links prints nothing to read).</summary>
    public const int MinLetters = 3;

    /// <summary>
    /// <paramref name="perLanguage"/> posts of each of <paramref name="languages"/> from the dev splits under
    /// <paramref name="root"/>: each set's share is its positives, then its other posts, each in the order of a hash of set
    /// and id (FNV-1a; the same sample on every run), <see cref="PositiveShare"/> of it positive; posts that print fewer than
    /// <see cref="MinLetters"/> letters are passed over. A language's posts are numbered in hash order, so that its first
    /// posts are a mix of its sets and labels.
    /// </summary>
    public static IReadOnlyList<DevPost> Load(string root, IReadOnlyList<string> languages, int perLanguage)
    {
        var posts = new List<DevPost>();
        foreach (var (language, sets) in Sets.Where(s => languages.Contains(s.Language)))
        {
            var chosen = new List<(Dataset Set, LabelledPost Post, string Printed)>();
            for (int s = 0; s < sets.Count; s++)
            {
                var set = sets[s];
                int quota = (perLanguage / sets.Count) + (s < perLanguage % sets.Count ? 1 : 0);
                var rows = set.Load(root, DatasetCatalogue.Dev)
                    .Select(p => (Post: p, Printed: Printable(p.Text)))
                    .Where(p => p.Printed.Count(char.IsLetter) >= MinLetters)
                    .OrderBy(p => Sample.Hash($"{set.Name}/{p.Post.Id}"))
                    .ThenBy(p => p.Post.Id, StringComparer.Ordinal)
                    .ToList();
                var positives = rows.Where(p => set.IsPositive(p.Post)).Take((int)Math.Round(quota * PositiveShare)).ToList();
                var others = rows.Where(p => !set.IsPositive(p.Post)).Take(quota - positives.Count);
                chosen.AddRange(positives.Concat(others).Select(p => (set, p.Post, p.Printed)));
            }

            int number = 0;
            foreach (var (set, post, printed) in chosen.OrderBy(c => Sample.Hash($"{c.Set.Name}/{c.Post.Id}/order")).ThenBy(c => c.Post.Id, StringComparer.Ordinal))
            {
                number++;
                posts.Add(new DevPost(set, post, printed, new BenchPost(language, number, printed) { Prefix = "post" }));
            }
        }

        return posts;
    }

    /// <summary>
    /// The text of a post as it is printed, and as the text side is scored: links (<c>http://</c>, <c>https://</c>,
    /// <c>www.</c> words) and @mentions (the data's <c>@user</c> and <c>@url</c> placeholders too) removed, as a leaflet
    /// would not carry them; emoji and other pictographic symbols, private-use, control and format characters removed, as
    /// the fonts do not draw them as text and OCR models do not read them; whitespace runs made one space. Hashtags stay
    /// (a <c>#</c> and a word print and read). The same text goes to both sides, so the comparison is the OCR's alone.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || word.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                || word.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var kept = new StringBuilder(word.Length);
            for (int i = 0; i < word.Length;)
            {
                // An @mention: '@' and the letters, digits and underscores after it.
                if (word[i] == '@' && i + 1 < word.Length && IsHandle(word[i + 1]))
                {
                    i++;
                    while (i < word.Length && IsHandle(word[i]))
                    {
                        i++;
                    }

                    continue;
                }

                var rune = Rune.GetRuneAt(word, i);
                if (Drawn(rune))
                {
                    kept.Append(rune.ToString());
                }

                i += rune.Utf16SequenceLength;
            }

            // A word that was only a mention and its punctuation ("@user:") goes altogether.
            if (kept.Length > 0 && (kept.Length == word.Length || kept.ToString().Any(c => !char.IsPunctuation(c))))
            {
                words.Add(kept.ToString());
            }
        }

        return string.Join(' ', words);
    }

    private static bool IsHandle(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>Whether a character is printed as text: not a pictograph (emoji, dingbats, skin tones), private-use,
    /// control, format (zero-width joiners, variation selectors) or the replacement character.</summary>
    private static bool Drawn(Rune rune)
    {
        var category = Rune.GetUnicodeCategory(rune);
        return category is not (UnicodeCategory.OtherSymbol or UnicodeCategory.PrivateUse or UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned)
            && !(category == UnicodeCategory.ModifierSymbol && rune.Value >= 0x1F000)
            && !(category == UnicodeCategory.NonSpacingMark && rune.Value is >= 0xFE00 and <= 0xFE0F)
            && rune.Value != 0xFFFD;
    }

    /// <summary>"isis-tweets-labelled 100 (40 extremist)" for the report.</summary>
    public static string Describe(IEnumerable<DevPost> posts) => string.Join(", ", posts.GroupBy(p => p.Set.Name).Select(g =>
        string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Count()} ({g.Count(p => p.Positive)} {g.First().Set.PositiveLabel})")));
}
