using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Text.Normalization;

namespace Vigil.Text.Signals;

/// <summary>
/// The canonical form of a text that the text hash banks hash (<see cref="TextSha256"/>) and shingle
/// (<see cref="TextMinHash"/>): the words of the text, evasions undone, in lower case, one space apart.
/// </summary>
/// <remarks>
/// <para>Exactly, in order:</para>
/// <list type="number">
/// <item>Links are blanked out: white-space-separated words with <c>://</c>, starting <c>www.</c>, or with a
/// <c>.</c> before their first <c>/</c> (<c>t.co/…</c>, <c>pic.twitter.com/…</c>).</item>
/// <item>HTML character references are decoded (<c>&amp;amp;</c> → <c>&amp;</c>), as <see cref="WebUtility.HtmlDecode(string)"/> does:
/// tweets carry them, the same text elsewhere does not.</item>
/// <item><see cref="TextNormalizer"/>: compatibility folding and diacritics dropped, invisible characters removed,
/// Cyrillic and Greek look-alikes folded in mostly-Latin text, lower case, apostrophes removed, dashes and white space to
/// one space, letters spaced or dotted apart joined, leetspeak undone, runs of three or more of a letter collapsed.</item>
/// <item>Of the space-separated words of the normalised text, mentions (<c>@</c> then a letter, digit or <c>_</c>;
/// the normaliser has undone leetspeak such as <c>@ll@h</c> by then) are dropped, and so is <c>rt</c> right before a
/// mention: re-posts carry other links, handles and retweet marks.</item>
/// <item>What remains is cut into tokens, the longest runs of letters, digits and combining marks (Unicode categories
/// L, N and M, by code point); everything else (punctuation, symbols, emoji, <c>#</c> of hashtags) separates tokens.</item>
/// <item>The tokens are put in lower case (invariant; <see cref="TextNormalizer"/> has done so already) and joined with
/// one space (U+0020): no leading, trailing or double spaces.</item>
/// </list>
/// <para>A text with no token (empty, only punctuation, emoji, links or mentions) has the empty canonical form and no
/// signature. The form depends on <see cref="TextNormalizer"/>: a change to its rules changes some hashes, so hashes
/// stored in a bank should be recomputed from the texts (where the bank keeps them) after such a change.</para>
/// </remarks>
public static class CanonicalText
{
    [ThreadStatic]
    private static StringBuilder? t_builder;

    /// <summary>The canonical form of <paramref name="text"/> (see the remarks of <see cref="CanonicalText"/>).</summary>
    public static string Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string withoutLinks = WithoutLinks(text);
        string decoded = withoutLinks.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(withoutLinks) : withoutLinks;
        string normalized = TextNormalizer.NormalizeToString(decoded);
        var sb = t_builder ??= new StringBuilder(256);
        sb.Clear();
        int i = 0;
        while (i < normalized.Length)
        {
            int end = normalized.IndexOf(' ', i);
            if (end < 0)
            {
                end = normalized.Length;
            }

            var word = normalized.AsSpan(i, end - i);
            bool drop = IsMention(word) || (word is "rt" && end < normalized.Length && IsMention(NextWord(normalized, end + 1)));
            if (!drop)
            {
                AppendTokens(word, sb);
            }

            i = end + 1;
        }

        string result = sb.ToString();
        if (sb.Capacity > 1 << 16)
        {
            t_builder = null; // keep no large buffer per thread
        }

        return result;
    }

    /// <summary>The text with its links (white-space-separated words, see <see cref="IsLink"/>) blanked out. Before
    /// normalisation, which would fold <c>www.</c> to <c>w.</c>.</summary>
    private static string WithoutLinks(string text)
    {
        if (!text.Contains('/', StringComparison.Ordinal) && !text.Contains("www.", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        var chars = text.ToCharArray();
        bool changed = false;
        int i = 0;
        while (i < chars.Length)
        {
            if (char.IsWhiteSpace(chars[i]))
            {
                i++;
                continue;
            }

            int end = i;
            while (end < chars.Length && !char.IsWhiteSpace(chars[end]))
            {
                end++;
            }

            if (IsLink(chars.AsSpan(i, end - i)))
            {
                chars.AsSpan(i, end - i).Fill(' ');
                changed = true;
            }

            i = end;
        }

        return changed ? new string(chars) : text;
    }

    private static ReadOnlySpan<char> NextWord(string text, int start)
    {
        int end = text.IndexOf(' ', start);
        return text.AsSpan(start, (end < 0 ? text.Length : end) - start);
    }

    /// <summary>A word with <c>://</c>, starting <c>www.</c> (any case), or with a <c>.</c> before its first <c>/</c>.</summary>
    internal static bool IsLink(ReadOnlySpan<char> word)
    {
        if (word.Contains("://", StringComparison.Ordinal) || word.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        int slash = word.IndexOf('/');
        return slash > 0 && word[..slash].Contains('.');
    }

    internal static bool IsMention(ReadOnlySpan<char> word) =>
        word.Length > 1 && word[0] == '@' && (char.IsLetterOrDigit(word[1]) || word[1] == '_');

    private static void AppendTokens(ReadOnlySpan<char> word, StringBuilder sb)
    {
        bool inToken = false;
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsTokenRune(rune))
            {
                if (!inToken && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                inToken = true;
                var lower = Rune.ToLowerInvariant(rune);
                if (lower.IsBmp)
                {
                    sb.Append((char)lower.Value);
                }
                else
                {
                    sb.Append(char.ConvertFromUtf32(lower.Value));
                }
            }
            else
            {
                inToken = false;
            }
        }
    }

    private static bool IsTokenRune(Rune rune)
    {
        if (rune.IsAscii)
        {
            return char.IsAsciiLetterOrDigit((char)rune.Value);
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
            _ => false,
        };
    }
}
