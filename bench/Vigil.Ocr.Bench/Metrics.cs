namespace Vigil.Ocr.Bench;

/// <summary>Edit distances for the character and word error rates.</summary>
internal static class Metrics
{
    /// <summary>Levenshtein distance between two strings (UTF-16 units; insertions, deletions, substitutions cost 1).</summary>
    public static int EditDistance(string a, string b) => EditDistance(a.AsSpan(), b.AsSpan());

    /// <summary>Levenshtein distance between two texts' words (split on spaces): the numerator of the word error rate.</summary>
    public static int WordDistance(string a, string b) =>
        EditDistance(Words(a), Words(b));

    /// <summary>The words of a text (split on spaces).</summary>
    public static string[] Words(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static int EditDistance<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IEquatable<T>
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1].Equals(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
