using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Vigil.Ocr.Bench;

/// <summary>A leaflet of the benchmark: two neutral sentences of <see cref="NeutralText"/> in one language.</summary>
/// <param name="Language">en, fr or ar.</param>
/// <param name="Number">Its number in its language (1-based).</param>
/// <param name="Printed">What is printed on its images.</param>
internal sealed record BenchPost(string Language, int Number, string Printed)
{
    /// <summary>What its key starts with: empty for the neutral leaflets, <c>post</c> for dev posts.</summary>
    public string Prefix { get; init; } = "";

    /// <summary>A short stable name for its files.</summary>
    public string Key => Prefix.Length == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Language}-{Number:00}")
        : string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Language}-{Number:000}");
}

/// <summary>The leaflets, and the text forms that the error rates compare.</summary>
internal static partial class Sample
{
    /// <summary>Every language's sentences, two to a leaflet, in order; at most <paramref name="perLanguage"/> leaflets a language.</summary>
    public static IReadOnlyList<BenchPost> Load(int perLanguage)
    {
        var posts = new List<BenchPost>();
        foreach (var (language, sentences) in NeutralText.Sentences)
        {
            for (int i = 0; i + 1 < sentences.Count && i / 2 < perLanguage; i += 2)
            {
                posts.Add(new BenchPost(language, (i / 2) + 1, sentences[i] + " " + sentences[i + 1]));
            }
        }

        return posts;
    }

    /// <summary>Whitespace runs to one space, trimmed: the form both sides of the strict character error rate are compared in.</summary>
    public static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>
    /// <see cref="Normalize"/> after folding typographic variants that OCR models write in ASCII: compatibility forms
    /// (an ellipsis is three full stops), curly quotes straight, dashes to hyphen-minus, invisible format characters
    /// (the bidirectional marks Tesseract puts around Latin words in Arabic text) dropped. Vigil's text normaliser folds
    /// all of these too, so they change no verdict. The form both sides of the error rates are compared in.
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

    /// <summary>FNV-1a of the text's UTF-16 units.</summary>
    public static uint Hash(string text)
    {
        uint h = 2166136261;
        foreach (char c in text)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    /// <summary>A number from 0 to <paramref name="count"/> - 1 picked by the leaflet and a purpose (font, size, angle...).</summary>
    public static int Pick(BenchPost post, string purpose, int count) =>
        (int)(Hash(string.Create(CultureInfo.InvariantCulture, $"{post.Key}/{purpose}")) % (uint)count);

    [GeneratedRegex(@"\s+", RegexOptions.NonBacktracking)]
    private static partial Regex Whitespace();
}
