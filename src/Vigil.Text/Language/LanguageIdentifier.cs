using Lingua;

namespace Vigil.Text.Language;

/// <summary>
/// Identifies the language of a post. Clear cases are decided in a single pass: Arabic script without the letters
/// of Persian or Urdu is Arabic, and Latin-script text whose common function words are plainly English or plainly
/// French is that language. Everything else goes to Lingua, preloaded with only the languages Vigil is trained on
/// (English, French, Arabic) and a few it commonly meets, so that memory stays small. Text in any other script is
/// reported as unknown. Thread-safe.
/// </summary>
public sealed class LanguageIdentifier
{
    /// <summary>Languages the text model was trained on.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { "en", "fr", "ar" };

    private static readonly Lingua.Language[] LatinLanguages =
    [
        Lingua.Language.English, Lingua.Language.French, Lingua.Language.Spanish, Lingua.Language.German,
        Lingua.Language.Italian, Lingua.Language.Portuguese, Lingua.Language.Dutch, Lingua.Language.Turkish,
        Lingua.Language.Indonesian, Lingua.Language.Somali,
    ];

    private static readonly Lingua.Language[] ArabicScriptLanguages = [Lingua.Language.Arabic, Lingua.Language.Persian, Lingua.Language.Urdu];

    private readonly LanguageDetector _latin;
    private readonly LanguageDetector _arabicScript;

    public LanguageIdentifier()
    {
        _latin = LanguageDetectorBuilder.FromLanguages(LatinLanguages).WithPreloadedLanguageModels().WithLowAccuracyMode().Build();
        _arabicScript = LanguageDetectorBuilder.FromLanguages(ArabicScriptLanguages).WithPreloadedLanguageModels().WithLowAccuracyMode().Build();
    }

    /// <summary>The ISO 639-1 code of the text's language, or null when it cannot be told.</summary>
    public string? Identify(string text)
    {
        int latin = 0, arabic = 0, other = 0;
        foreach (char c in text)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '\u00C0' and <= '\u024F'))
            {
                latin++;
            }
            else if (c is (>= '\u0600' and <= '\u06FF') or (>= '\u0750' and <= '\u077F') or (>= '\uFB50' and <= '\uFEFF'))
            {
                arabic++;
            }
            else if (char.IsLetter(c))
            {
                other++;
            }
        }

        if (arabic > 0 && arabic >= latin && arabic >= other)
        {
            return text.AsSpan().IndexOfAny(PersianOrUrduLetters) < 0 ? "ar" : Code(_arabicScript.DetectLanguageOf(text)) ?? "ar";
        }

        if (latin > 0 && latin >= other)
        {
            return FunctionWordGuess(text) ?? Code(_latin.DetectLanguageOf(text));
        }

        return null;
    }

    // Letters that Persian and Urdu use and Arabic does not: پ چ ژ گ ک ی ے ٹ ڈ ڑ ں ھ
    private static readonly System.Buffers.SearchValues<char> PersianOrUrduLetters =
        System.Buffers.SearchValues.Create("\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06D2\u0679\u0688\u0691\u06BA\u06BE");

    /// <summary>English or French when at least two function words of one and three times fewer of any other
    /// language show; null when unsure.</summary>
    private static string? FunctionWordGuess(string text)
    {
        int english = 0, french = 0, others = 0;
        Span<char> word = stackalloc char[16];
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetter(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            int length = i - start;
            if (length == 0 || length > word.Length)
            {
                continue;
            }

            for (int k = 0; k < length; k++)
            {
                word[k] = Unaccented(char.ToLowerInvariant(text[start + k]));
            }

            var w = word[..length];
            if (EnglishWords.Contains(w))
            {
                english++;
            }
            else if (FrenchWords.Contains(w))
            {
                french++;
            }
            else if (OtherWords.Contains(w))
            {
                others++;
            }
        }

        if ((english >= 2 && english >= 3 * (french + others)) || (english == 1 && french + others == 0))
        {
            return "en";
        }

        return (french >= 2 && french >= 3 * (english + others)) || (french == 1 && english + others == 0) ? "fr" : null;
    }

    private static char Unaccented(char c) => c switch
    {
        'à' or 'â' or 'ä' => 'a',
        'é' or 'è' or 'ê' or 'ë' => 'e',
        'î' or 'ï' => 'i',
        'ô' or 'ö' => 'o',
        'ù' or 'û' or 'ü' => 'u',
        'ç' => 'c',
        'ã' => 'a',
        'õ' => 'o',
        'ñ' => 'n',
        _ => c,
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> EnglishWords = Words(
        "the and is are was were to of in that this it for with you he she they we have has be not but what who will would can " +
        "just like from at by an my your his her their our all so if or do does did been about there when how out up no me him " +
        "them because than then these those should could i im dont its");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> FrenchWords = Words(
        "le la les des du un une est et que qui pas ne je tu il elle nous vous ils elles ce cette ces dans pour sur avec mais ou " +
        "sont au aux sa ses leur leurs mon ma mes ton ta tes lui moi toi tout tous tres fait comme cest jai quil quon etre avoir " +
        "meme aussi bien rien deja encore ici ete tres ou");

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> OtherWords = Words(
        // Spanish, German, Italian, Portuguese, Dutch, Turkish, Indonesian function words not shared with English or French
        "el los las y por con una es lo pero muy como del esta para der die das und ist nicht ich sie mit auf ein eine den dem zu " +
        "che non di per sono gli della nao uma os em da het een van niet ik dat zijn ve bir bu icin ile degil yang dan di ini itu " +
        "dengan untuk tidak");

    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Words(string words) =>
        new HashSet<string>(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static string? Code(Lingua.Language language) => language switch
    {
        Lingua.Language.Unknown => null,
        _ => LanguageInfo.IsoCode6391(language).ToString().ToLowerInvariant(),
    };
}
