using System.Globalization;
using System.Text;

namespace Vigil.Text.Normalization;

/// <summary>Character-level folding tables used by <see cref="TextNormalizer"/>.</summary>
internal static class CharMaps
{
    // Single BMP character → its folded form ("" to drop it). Filled lazily; a racing write stores the same string.
    private static readonly string?[] BmpCache = new string?[char.MaxValue + 1];

    /// <summary>
    /// Cyrillic and Greek letters that look like Latin ones, applied only when a text is mostly Latin
    /// (so Russian or Greek text keeps its letters). Case-aware: applied before lower-casing.
    /// </summary>
    private static readonly Dictionary<char, char> ScriptConfusables = BuildScriptConfusables();

    public static bool IsScriptConfusable(char c, out char latin) => ScriptConfusables.TryGetValue(c, out latin);

    /// <summary>Folds one BMP character: compatibility decomposition, marks and invisibles dropped, Arabic
    /// letter variants unified, small capitals and dotless letters to plain Latin, lower case.</summary>
    public static string Fold(char c)
    {
        var cached = BmpCache[c];
        if (cached is not null)
        {
            return cached;
        }

        cached = ComputeFold(c);
        BmpCache[c] = cached;
        return cached;
    }

    /// <summary>Folds a supplementary-plane character given as its surrogate pair (mathematical alphanumerics
    /// become plain letters; emoji stay as they are).</summary>
    public static string FoldSupplementary(char high, char low)
    {
        int codePoint = char.ConvertToUtf32(high, low);
        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
        {
            return string.Empty; // tag characters (U+E0000 block) and variation selectors supplement
        }

        string pair = new([high, low]);
        string decomposed = Decompose(pair);
        if (decomposed == pair)
        {
            return pair;
        }

        var sb = new StringBuilder(decomposed.Length);
        foreach (char d in decomposed)
        {
            sb.Append(d <= char.MaxValue && !char.IsSurrogate(d) ? Fold(d) : d.ToString());
        }

        return sb.ToString();
    }

    public static bool IsDroppedInvisible(char c) => Fold(c).Length == 0;

    /// <summary>NFKD of one character; noncharacters (U+FFFE, U+FFFF, U+1FFFE, ...), which ICU refuses to normalise, are
    /// kept as they are.</summary>
    private static string Decompose(string character)
    {
        try
        {
            return character.Normalize(NormalizationForm.FormKD);
        }
        catch (ArgumentException)
        {
            return character;
        }
    }

    private static string ComputeFold(char c)
    {
        if (char.IsSurrogate(c))
        {
            return c.ToString();
        }

        if (c is '\u115F' or '\u1160' or '\u3164' or '\uFFA0' or '\u0640' or '\u034F' or '\u17B4' or '\u17B5')
        {
            return string.Empty; // Hangul fillers, tatweel, grapheme joiner, Khmer invisible vowels
        }

        var category = char.GetUnicodeCategory(c);
        if (category is UnicodeCategory.Format or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
        {
            return string.Empty; // zero-width and bidi controls, soft hyphen, diacritics, variation selectors
        }

        if (char.IsWhiteSpace(c) || category == UnicodeCategory.Control || c == '\u2800')
        {
            return " ";
        }

        if (IsApostrophe(c))
        {
            return string.Empty;
        }

        if (IsDash(c))
        {
            return " ";
        }

        string decomposed = c < 0x80 ? c.ToString() : Decompose(c.ToString());
        var sb = new StringBuilder(decomposed.Length);
        foreach (char d in decomposed)
        {
            var dc = char.GetUnicodeCategory(d);
            if (dc is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
            {
                continue;
            }

            if (d != c && (IsApostrophe(d) || IsDash(d) || char.IsWhiteSpace(d)))
            {
                sb.Append(IsApostrophe(d) ? string.Empty : " ");
                continue;
            }

            char folded = FoldLetter(d);
            sb.Append(char.ToLowerInvariant(folded));
        }

        return sb.ToString();
    }

    internal static bool IsApostrophe(char c) => c is '\'' or '`' or '\u2018' or '\u2019' or '\u201B' or '\u02BC'
        or '\u02B9' or '\u02BB' or '\u02BE' or '\u02BF' or '\u00B4' or '\u2032' or '\uFF07';

    private static bool IsDash(char c) => c is '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014'
        or '\u2015' or '\u2212' or '\uFE58' or '\uFE63' or '\uFF0D';

    /// <summary>Arabic letter variants and Latin look-alikes that compatibility decomposition leaves alone.</summary>
    private static char FoldLetter(char c) => c switch
    {
        // Arabic: alef variants, taa marbuta, alef maqsura, hamza carriers, Persian kaf and yeh
        '\u0623' or '\u0625' or '\u0622' or '\u0671' or '\u0672' or '\u0673' => '\u0627',
        '\u0629' => '\u0647',
        '\u0649' or '\u0626' or '\u06CC' or '\u06D2' => '\u064A',
        '\u0624' => '\u0648',
        '\u06A9' => '\u0643',
        // Arabic-Indic and extended Arabic-Indic digits
        >= '\u0660' and <= '\u0669' => (char)('0' + (c - '\u0660')),
        >= '\u06F0' and <= '\u06F9' => (char)('0' + (c - '\u06F0')),
        // Latin small capitals, dotless and IPA look-alikes
        '\u0131' => 'i',
        '\u0237' => 'j',
        '\u0251' => 'a',
        '\u0261' => 'g',
        '\u0269' => 'i',
        '\u026A' => 'i',
        '\u029F' => 'l',
        '\u0274' => 'n',
        '\u0280' => 'r',
        '\u028F' => 'y',
        '\u1D00' => 'a',
        '\u0299' => 'b',
        '\u1D04' => 'c',
        '\u1D05' => 'd',
        '\u1D07' => 'e',
        '\uA730' => 'f',
        '\u0262' => 'g',
        '\u029C' => 'h',
        '\u1D0A' => 'j',
        '\u1D0B' => 'k',
        '\u1D0D' => 'm',
        '\u1D0F' => 'o',
        '\u1D18' => 'p',
        '\uA7AF' => 'q',
        '\uA731' => 's',
        '\u1D1B' => 't',
        '\u1D1C' => 'u',
        '\u1D20' => 'v',
        '\u1D21' => 'w',
        '\u1D22' => 'z',
        _ => c,
    };

    private static Dictionary<char, char> BuildScriptConfusables()
    {
        // Pairs of (look-alike, Latin). Sources: Unicode confusables.txt (UTS #39), restricted to letters that
        // render like a Latin letter in common fonts.
        const string Pairs =
            // Cyrillic capitals
            "АAВBЕEКKМMНHОOРPСCТTХXУYЅSІIЈJԚQԜWҮYҺHӀIЁE" +
            // Cyrillic small
            "аaеeоoрpсcуyхxѕsіiјjԁdһhԛqԝwӏlүyѵvкkмmтtвbнhёeіi" +
            // Greek capitals
            "ΑAΒBΕEΖZΗHΙIΚKΜMΝNΟOΡPΤTΥYΧX" +
            // Greek small
            "αaβbγyεeηnιiκkνvοoρpτtυuχxωw" +
            // Cherokee capitals (their small forms are added below)
            "ᎠDᎡRᎢTᎥiᎩYᎪAᎫJᎬEᎳWᎷMᎻHᎽYᏀGᏂhᏃZᏏbᏒRᏔWᏕSᏙVᏚSᏞLᏟCᏢPᏦKᏧdᏳGᏴB" +
            // Canadian syllabics, including those "fancy text" generators use for Latin letters (ᗩ, ᑕ, ᑎ, ᔕ, ᗯ, ᑫ, ᘔ),
            // which confusables.txt leaves out
            "ᐯVᑌUᑭPᑯdᒍJᒪLᕼHᖇRᖯbᖴFᗅAᗞDᗪDᗰMᗷB᙭XᗩAᑕCᑎNᔕSᗯWᑫQᘔZ";
        var map = new Dictionary<char, char>(Pairs.Length);
        for (int i = 0; i + 1 < Pairs.Length; i += 2)
        {
            map[Pairs[i]] = Pairs[i + 1];
            if (Pairs[i] is >= '\u13A0' and <= '\u13EF')
            {
                map[(char)(Pairs[i] + ('\uAB70' - '\u13A0'))] = Pairs[i + 1]; // Cherokee small letters U+AB70-ABBF
            }
            else if (Pairs[i] is >= '\u13F0' and <= '\u13F5')
            {
                map[(char)(Pairs[i] + 8)] = Pairs[i + 1]; // and U+13F8-13FD
            }
        }

        return map;
    }
}
