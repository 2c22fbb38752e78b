using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Text.Data;

namespace Vigil.Ocr.Bench;

/// <summary>A dev post chosen for the benchmark.</summary>
/// <param name="Language">en, fr or ar: the language of its set.</param>
/// <param name="Set">Its dataset.</param>
/// <param name="Id">Its id in the set.</param>
/// <param name="Positive">Whether its label is the set's positive label (extremist or hate).</param>
/// <param name="Terrorism">Whether the set is scored by the terrorism labels (else by hate).</param>
/// <param name="Original">The post as in the dataset.</param>
/// <param name="Printed">What is printed on its images: <see cref="Sample.Printable"/> of the post.</param>
internal sealed record BenchPost(string Language, string Set, string Id, bool Positive, bool Terrorism, string Original, string Printed)
{
    /// <summary>A short stable name for its files (no text of the post).</summary>
    public string Key => $"{Set}-{Sample.Hash(Id):x8}";
}

/// <summary>One dataset of the sample: its language, positive label and how it is scored.</summary>
internal sealed record BenchSet(string Name, string Language, string PositiveLabel, bool Terrorism, int Weight);

/// <summary>The deterministic sample of dev posts: per set, the first posts of each class in the order of a hash of their id.</summary>
internal static partial class Sample
{
    public static readonly BenchSet[] Sets =
    [
        new("isis-tweets-labelled", "en", "extremist", Terrorism: true, Weight: 1),
        new("stormfront", "en", "hate", Terrorism: false, Weight: 1),
        new("mlma-fr", "fr", "hate", Terrorism: false, Weight: 2),
        new("mlma-ar", "ar", "hate", Terrorism: false, Weight: 1),
        new("l-hsab", "ar", "hate", Terrorism: false, Weight: 1),
    ];

    /// <summary>Posts shorter or longer than this once printable are left out (a leaflet holds a few lines).</summary>
    public const int MinChars = 20, MaxChars = 280;

    /// <summary>
    /// <paramref name="perClass"/> positives and as many negatives of every set (twice that for a set of weight 2, so
    /// that each language has about the same number of posts), fewer where the split has fewer.
    /// </summary>
    public static IReadOnlyList<BenchPost> Load(string dataRoot, int perClass)
    {
        var posts = new List<BenchPost>();
        foreach (var set in Sets)
        {
            var rows = LabelledData.Load(dataRoot, set.Name, "dev")
                .Select(p => (Post: p, Printed: Printable(p.Text)))
                .Where(r => r.Printed.Length is >= MinChars and <= MaxChars)
                .OrderBy(r => Hash(r.Post.Id))
                .ThenBy(r => r.Post.Id, StringComparer.Ordinal)
                .ToList();
            foreach (bool positive in new[] { true, false })
            {
                posts.AddRange(rows
                    .Where(r => (r.Post.Label == set.PositiveLabel) == positive)
                    .Take(perClass * set.Weight)
                    .Select(r => new BenchPost(set.Language, set.Name, r.Post.Id, positive, set.Terrorism, r.Post.Text, r.Printed)));
            }
        }

        return posts;
    }

    /// <summary>
    /// The post as it would be printed on a leaflet: HTML entities decoded, links and the placeholders <c>@user</c> and
    /// <c>@url</c> of the MLMA sets dropped, characters outside Latin, Arabic and common punctuation dropped (emoji,
    /// symbols the fonts lack), Arabic presentation forms unfolded, whitespace collapsed.
    /// </summary>
    public static string Printable(string text)
    {
        text = WebUtility.HtmlDecode(text);
        text = Links().Replace(text, " ");
        text = Placeholders().Replace(text, " ");
        var kept = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF')
            {
                kept.Append(c.ToString().Normalize(NormalizationForm.FormKC));
            }
            else if (char.IsWhiteSpace(c))
            {
                kept.Append(' ');
            }
            else if (c is >= ' ' and <= '~' or >= '\u00A0' and <= '\u024F' or >= '\u0600' and <= '\u06FF' or >= '\u2010' and <= '\u2026' or '\u20AC')
            {
                kept.Append(c);
            }
        }

        return Normalize(kept.ToString().Normalize(NormalizationForm.FormC));
    }

    /// <summary>Whitespace runs to one space, trimmed: the form both sides of the strict character error rate are compared in.</summary>
    public static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>
    /// <see cref="Normalize"/> after folding typographic variants that OCR models write in ASCII: compatibility forms
    /// (an ellipsis is three full stops), curly quotes straight, dashes to hyphen-minus, invisible format characters
    /// (the bidirectional marks Tesseract puts around Latin words in Arabic text) dropped. Vigil's text normaliser folds
    /// all of these too, so they change no verdict. The form both sides of the character error rate are compared in.
    /// </summary>
    public static string Fold(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (char c in text.Normalize(NormalizationForm.FormKC))
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            folded.Append(c switch
            {
                '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '`' or '\u00B4' => '\'',
                '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u00AB' or '\u00BB' => '"',
                '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
                _ => c,
            });
        }

        return Normalize(folded.ToString());
    }

    /// <summary>FNV-1a of the text's UTF-16 units: the order posts are taken in.</summary>
    public static uint Hash(string text)
    {
        uint h = 2166136261;
        foreach (char c in text)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    /// <summary>A number from 0 to <paramref name="count"/> - 1 picked by the post and a purpose (font, size, angle...).</summary>
    public static int Pick(BenchPost post, string purpose, int count) =>
        (int)(Hash(string.Create(CultureInfo.InvariantCulture, $"{post.Key}/{purpose}")) % (uint)count);

    [GeneratedRegex(@"(https?://|www\.)\S*", RegexOptions.IgnoreCase)]
    private static partial Regex Links();

    [GeneratedRegex(@"@(user|url)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Placeholders();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
