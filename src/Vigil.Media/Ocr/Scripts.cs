namespace Vigil.Media.Ocr;

/// <summary>
/// The writing system of Tesseract's language models, as its orientation and script detection (OSD) names them, so
/// that a detected script selects the languages to read it with.
/// </summary>
internal static class Scripts
{
    private static readonly Dictionary<string, string> ScriptOfLanguage = new (string Script, string[] Languages)[]
    {
        ("Latin", ["eng", "fra", "deu", "spa", "ita", "por", "nld", "tur", "ind", "swa", "som", "hau"]),
        ("Arabic", ["ara", "fas", "urd", "pus", "uig", "snd"]),
        ("Cyrillic", ["rus", "ukr", "bul", "srp"]),
        ("Hebrew", ["heb"]),
        ("Greek", ["ell"]),
        ("Devanagari", ["hin"]),
        ("Bengali", ["ben"]),
    }.SelectMany(s => s.Languages.Select(l => (Language: l, s.Script))).ToDictionary(p => p.Language, p => p.Script, StringComparer.Ordinal);

    /// <summary>The script of a Tesseract language (e.g. <c>fra</c>: Latin), or null for one not in the table.</summary>
    public static string? Of(string language) => ScriptOfLanguage.GetValueOrDefault(language);

    /// <summary>The languages, in their order, written in <paramref name="script"/>.</summary>
    public static IReadOnlyList<string> LanguagesOf(string script, IEnumerable<string> languages) =>
        [.. languages.Where(l => string.Equals(Of(l), script, StringComparison.Ordinal))];
}
