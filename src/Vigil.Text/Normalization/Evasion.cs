using System.Text;

namespace Vigil.Text.Normalization;

/// <summary>The obfuscations people use to slip past filters, as measured by <c>vigil eval</c>.</summary>
public enum EvasionKind
{
    Leetspeak,
    Homoglyphs,
    ZeroWidth,
    LetterSpacing,
    FancyText,
}

/// <summary>
/// Applies an evasion to a text, deterministically for a given seed: every word of four letters or more is
/// obfuscated (leetspeak and homoglyphs replace about 60% of the letters that have a substitute, zero-width
/// characters go between about half of the letters), and for letter spacing one word in three of five letters or
/// more that stands between spaces is spaced or dotted apart (never two neighbours, which would merge them); for fancy
/// text every such word is rewritten in one of the alphabets that "fancy text" generators offer (mathematical bold
/// sans-serif, fullwidth, circled, Canadian syllabics look-alikes). Links, mentions and hashtags are left as they are:
/// obfuscating them would break them.
/// </summary>
public static class Evasion
{
    private const string LeetFrom = "aeiost";
    private static readonly string[] LeetTo = ["4@", "3", "1!", "0", "5$", "7"];
    private const string HomoglyphFrom = "aceopxyisj";
    private const string HomoglyphTo = "\u0430\u0441\u0435\u043E\u0440\u0445\u0443\u0456\u0455\u0458";
    private static readonly char[] ZeroWidth = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF'];

    public static string Apply(string text, EvasionKind kind, int seed)
    {
        var random = new Random(seed);
        var sb = new StringBuilder(text.Length * 2);
        bool previousSpaced = false;
        int i = 0;
        while (i < text.Length)
        {
            if (IsLinkOrHandleStart(text, i))
            {
                int stop = i;
                while (stop < text.Length && !char.IsWhiteSpace(text[stop]))
                {
                    stop++;
                }

                sb.Append(text, i, stop - i);
                previousSpaced = false;
                i = stop;
                continue;
            }

            if (!char.IsLetter(text[i]))
            {
                sb.Append(text[i]);
                if (!char.IsWhiteSpace(text[i]))
                {
                    previousSpaced = false;
                }

                i++;
                continue;
            }

            int end = i;
            while (end < text.Length && char.IsLetter(text[end]))
            {
                end++;
            }

            string word = text[i..end];
            bool eligible = word.Length >= 4;
            switch (kind)
            {
                case EvasionKind.Leetspeak when eligible:
                    foreach (char c in word)
                    {
                        int k = LeetFrom.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
                        sb.Append(k >= 0 && random.NextDouble() < 0.6 ? LeetTo[k][random.Next(LeetTo[k].Length)] : c);
                    }

                    break;
                case EvasionKind.Homoglyphs when eligible:
                    foreach (char c in word)
                    {
                        int k = HomoglyphFrom.IndexOf(c);
                        sb.Append(k >= 0 && random.NextDouble() < 0.6 ? HomoglyphTo[k] : c);
                    }

                    break;
                case EvasionKind.ZeroWidth when eligible:
                    for (int j = 0; j < word.Length; j++)
                    {
                        sb.Append(word[j]);
                        if (j + 1 < word.Length && random.NextDouble() < 0.5)
                        {
                            sb.Append(ZeroWidth[random.Next(ZeroWidth.Length)]);
                        }
                    }

                    break;
                case EvasionKind.FancyText when eligible:
                    AppendFancy(sb, word, random.Next(4));
                    break;
                case EvasionKind.LetterSpacing when word.Length >= 5 && !previousSpaced && StandsAlone(text, i, end) && random.NextDouble() < 1.0 / 3:
                    string separator = random.Next(3) switch { 0 => " ", 1 => ".", _ => "-" };
                    sb.Append(string.Join(separator, word.ToCharArray()));
                    previousSpaced = true;
                    i = end;
                    continue;
                default:
                    sb.Append(word);
                    break;
            }

            previousSpaced = false;
            i = end;
        }

        return sb.ToString();
    }

    /// <summary>Syllabics that fancy-text generators use for capitals, A to Z; a space where they keep the Latin letter.</summary>
    private const string Syllabics = "\u15E9\u15F7\u1455\u15EA\u0020\u15B4\u0020\u157C\u0020\u148D\u0020\u14AA\u15F0\u144E\u0020\u146D\u146B\u1587\u1515\u0020\u144C\u142F\u15EF\u166D\u0020\u1614";

    /// <summary>Appends <paramref name="word"/> in fancy alphabet <paramref name="alphabet"/>: 0 mathematical bold
    /// sans-serif, 1 fullwidth, 2 circled, 3 syllabics look-alikes. Letters outside A-Z stay as they are.</summary>
    private static void AppendFancy(StringBuilder sb, string word, int alphabet)
    {
        foreach (char c in word)
        {
            char upper = char.ToUpperInvariant(c);
            if (upper is < 'A' or > 'Z')
            {
                sb.Append(c);
                continue;
            }

            int offset = c - (char.IsUpper(c) ? 'A' : 'a');
            bool small = char.IsLower(c);
            switch (alphabet)
            {
                case 0:
                    sb.Append(char.ConvertFromUtf32((small ? 0x1D5EE : 0x1D5D4) + offset));
                    break;
                case 1:
                    sb.Append((char)((small ? 0xFF41 : 0xFF21) + offset));
                    break;
                case 2:
                    sb.Append((char)((small ? 0x24D0 : 0x24B6) + offset));
                    break;
                default:
                    char look = Syllabics[upper - 'A'];
                    sb.Append(look == ' ' ? upper : look);
                    break;
            }
        }
    }

    /// <summary>Whether the word [start, end) stands between white space (or the ends of the text), apart from
    /// punctuation: spacing out a word glued to the next ("word,next") would glue its letters to that word too.</summary>
    private static bool StandsAlone(string text, int start, int end)
    {
        int before = start - 1;
        while (before >= 0 && char.IsPunctuation(text[before]))
        {
            before--;
        }

        int after = end;
        while (after < text.Length && char.IsPunctuation(text[after]))
        {
            after++;
        }

        return (before < 0 || char.IsWhiteSpace(text[before])) && (after >= text.Length || char.IsWhiteSpace(text[after]));
    }

    /// <summary>Whether a link or a handle starts at <paramref name="i"/>: a token with a '/' in it (URLs with or
    /// without a scheme, "pic.twitter.com/…"), "www.…", or "@name" and "#tag".</summary>
    private static bool IsLinkOrHandleStart(string text, int i)
    {
        if (i > 0 && !char.IsWhiteSpace(text[i - 1]))
        {
            return false;
        }

        var rest = text.AsSpan(i);
        int end = rest.IndexOfAny(' ', '\t', '\n');
        var token = end < 0 ? rest : rest[..end];
        return token.Contains('/') || token.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
            || (token.Length > 1 && token[0] is '@' or '#' && char.IsLetterOrDigit(token[1]));
    }
}
