using System.Security.Cryptography;
using System.Text;
using Vigil.Text.Normalization;

namespace Vigil.Bench;

/// <summary>One way people re-post a known text with changes.</summary>
/// <param name="Name">e.g. <c>insert 25%</c>.</param>
/// <param name="Family">The edits it is plotted with, e.g. <c>insert</c>.</param>
/// <param name="Apply">The edit: the text and a random source seeded for this text and edit.</param>
/// <param name="Heavy">Beyond a typical re-post: 40% of the words changed, or a whole other post added.</param>
internal sealed record TextEdit(string Name, string Family, Func<string, Random, string> Apply, bool Heavy = false);

/// <summary>
/// The synthetic edits of the text hash bank measurement. Words are white-space-separated words of the raw text;
/// inserted and substituted words are drawn from a vocabulary (words of other posts, as often as they occur there).
/// </summary>
internal static class TextEdits
{
    public static IReadOnlyList<TextEdit> All(IReadOnlyList<string> vocabulary, IReadOnlyList<string> comments)
    {
        var edits = new List<TextEdit>();
        foreach (double share in new[] { 0.10, 0.25, 0.40 })
        {
            string percent = $"{share * 100:F0}%";
            bool heavy = share > 0.3;
            edits.Add(new($"insert {percent}", "insert", (t, r) => Insert(t, share, vocabulary, r), heavy));
            edits.Add(new($"delete {percent}", "delete", (t, r) => Delete(t, share, r), heavy));
            edits.Add(new($"substitute {percent}", "substitute", (t, r) => Substitute(t, share, vocabulary, r), heavy));
        }

        edits.Add(new("typos in 25% of the words", "typos", (t, r) => Typos(t, 0.25, r)));
        edits.Add(new("reorder", "reorder", Reorder));
        edits.Add(new("comment added", "comment", (t, r) => AddComment(t, comments, r), Heavy: true));
        edits.Add(new("retweeted (RT, handle, link)", "retweet", Retweet));
        foreach (var kind in Enum.GetValues<EvasionKind>())
        {
            edits.Add(new($"evasion: {Describe(kind)}", "evasion", (t, r) => Evasion.Apply(t, kind, r.Next())));
        }

        edits.Add(new("mixed (evasion, insert 10%, substitute 10%, reorder)", "mixed", (t, r) =>
            Reorder(Substitute(Insert(Evasion.Apply(t, (EvasionKind)r.Next(5), r.Next()), 0.10, vocabulary, r), 0.10, vocabulary, r), r)));
        return edits;
    }

    /// <summary>A random source for one text and edit, the same on every run and machine.</summary>
    public static Random RandomFor(string key) => new(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(key))) & 0x7FFFFFFF);

    private static string Describe(EvasionKind kind) => kind switch
    {
        EvasionKind.Leetspeak => "leetspeak",
        EvasionKind.Homoglyphs => "homoglyphs",
        EvasionKind.ZeroWidth => "zero-width characters",
        EvasionKind.LetterSpacing => "letters spaced apart",
        _ => "fancy text",
    };

    private static List<string> Words(string text) => [.. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)];

    private static int Count(int words, double share) => Math.Max(1, (int)Math.Round(words * share));

    /// <summary>Inserts share × words random words at random places.</summary>
    public static string Insert(string text, double share, IReadOnlyList<string> vocabulary, Random random)
    {
        var words = Words(text);
        for (int n = Count(words.Count, share); n > 0; n--)
        {
            words.Insert(random.Next(words.Count + 1), vocabulary[random.Next(vocabulary.Count)]);
        }

        return string.Join(' ', words);
    }

    /// <summary>Removes share × words random words (one word at least is kept).</summary>
    public static string Delete(string text, double share, Random random)
    {
        var words = Words(text);
        for (int n = Math.Min(Count(words.Count, share), words.Count - 1); n > 0; n--)
        {
            words.RemoveAt(random.Next(words.Count));
        }

        return string.Join(' ', words);
    }

    /// <summary>Replaces share × words random words by random words.</summary>
    public static string Substitute(string text, double share, IReadOnlyList<string> vocabulary, Random random)
    {
        var words = Words(text);
        for (int n = Count(words.Count, share); n > 0; n--)
        {
            words[random.Next(words.Count)] = vocabulary[random.Next(vocabulary.Count)];
        }

        return string.Join(' ', words);
    }

    /// <summary>Misspells share × words random words of four letters or more (one change each: two neighbouring letters
    /// swapped, a letter dropped, doubled or replaced), as typing or evading filters does.</summary>
    public static string Typos(string text, double share, Random random)
    {
        var words = Words(text);
        var eligible = Enumerable.Range(0, words.Count).Where(i => words[i].Count(char.IsLetter) >= 4).ToArray();
        random.Shuffle(eligible);
        foreach (int i in eligible.Take(Count(words.Count, share)))
        {
            var letters = words[i].ToList();
            int at = 1 + random.Next(letters.Count - 2);
            switch (random.Next(4))
            {
                case 0:
                    (letters[at], letters[at + 1]) = (letters[at + 1], letters[at]);
                    break;
                case 1:
                    letters.RemoveAt(at);
                    break;
                case 2:
                    letters.Insert(at, letters[at]);
                    break;
                default:
                    letters[at] = (char)('a' + random.Next(26));
                    break;
            }

            words[i] = new string([.. letters]);
        }

        return string.Join(' ', words);
    }

    /// <summary>Shuffles the sentences into another order; a text of one sentence is cut at a random word and its two
    /// halves swapped.</summary>
    public static string Reorder(string text, Random random)
    {
        var sentences = Sentences(text);
        if (sentences.Count >= 2)
        {
            var order = Enumerable.Range(0, sentences.Count).ToArray();
            random.Shuffle(order);
            if (order.Select((o, i) => o == i).All(same => same))
            {
                order = [.. order.Skip(1), order[0]];
            }

            return string.Join(' ', order.Select(i => sentences[i]));
        }

        var words = Words(text);
        if (words.Count < 2)
        {
            return text;
        }

        int cut = 1 + random.Next(words.Count - 1);
        return string.Join(' ', words.Skip(cut).Concat(words.Take(cut)));
    }

    /// <summary>Sentences: up to a '.', '!' or '?' (and any more of them) followed by white space, or a line break.</summary>
    private static List<string> Sentences(string text)
    {
        var sentences = new List<string>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            bool end = text[i] is '\n' || (text[i] is '.' or '!' or '?' && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]));
            if (end)
            {
                string sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    sentences.Add(sentence);
                }

                start = i + 1;
            }
        }

        if (text[start..].Trim() is { Length: > 0 } last)
        {
            sentences.Add(last);
        }

        return sentences;
    }

    /// <summary>Quotes the text with a comment (another post) before or after it.</summary>
    public static string AddComment(string text, IReadOnlyList<string> comments, Random random)
    {
        string comment = comments[random.Next(comments.Count)];
        return random.Next(2) == 0 ? $"{comment} {text}" : $"{text} {comment}";
    }

    /// <summary>As re-posted by another account: "RT @handle:" before, its links and mentions replaced by a new link.</summary>
    public static string Retweet(string text, Random random)
    {
        var words = Words(text).Where(w => !w.StartsWith('@') && !w.Contains('/', StringComparison.Ordinal)).ToList();
        return $"RT @user{random.Next(100_000)}: {string.Join(' ', words)} https://t.co/{random.Next():x8}";
    }
}
