using Vigil.Text.Signals;
using Vigil.Training.Data;

namespace Vigil.Bench;

/// <summary>
/// Posts for a bank of a million texts, which no labelled set is large enough to fill: random walks of a word-bigram
/// model of the train posts of every set of <c>../shared/data</c>, as long as real posts (lengths drawn from theirs). They
/// share the sets' vocabulary, common phrases and topics, so unrelated entries are about as similar to a query as real
/// posts are; none is a copy of a real post. Like the banks of the quality measurement, they have
/// <see cref="TextHashCorpus.MinWords"/> words or more. Deterministic for a seed.
/// </summary>
internal sealed class SyntheticPosts
{
    private readonly string[] _words;
    private readonly int[] _starts;
    private readonly int[][] _next;
    private readonly int[] _lengths;

    private SyntheticPosts(string[] words, int[] starts, int[][] next, int[] lengths)
    {
        _words = words;
        _starts = starts;
        _next = next;
        _lengths = lengths;
    }

    /// <summary>The dev posts of every set, as written, in file order: real posts the model has not seen (a walk through
    /// a rare word repeats the post it came from, so posts the model was made from would find their own fragments).</summary>
    public required IReadOnlyList<string> RealPosts { get; init; }

    /// <summary>Builds the bigram model of the train posts of every set.</summary>
    public static SyntheticPosts Load(string datasets)
    {
        var real = DatasetCatalogue.All.SelectMany(set => set.Load(datasets, DatasetCatalogue.Dev)).Select(p => p.Text).ToList();
        var posts = DatasetCatalogue.All.SelectMany(set => set.Load(datasets, DatasetCatalogue.Train))
            .Select(p => CanonicalText.Of(p.Text))
            .Where(c => c.Length > 0)
            .ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var words = new List<string>();
        var next = new List<List<int>>();
        var starts = new List<int>();
        var lengths = new List<int>();
        foreach (var post in posts)
        {
            var tokens = post.Split(' ');
            if (tokens.Length >= TextHashCorpus.MinWords)
            {
                lengths.Add(tokens.Length); // a bank holds posts of five words or more, as in the quality measurement
            }

            int previous = -1;
            foreach (var token in tokens)
            {
                if (!index.TryGetValue(token, out int id))
                {
                    id = index[token] = words.Count;
                    words.Add(token);
                    next.Add([]);
                }

                if (previous < 0)
                {
                    starts.Add(id);
                }
                else
                {
                    next[previous].Add(id);
                }

                previous = id;
            }
        }

        return new SyntheticPosts([.. words], [.. starts], [.. next.Select(n => n.ToArray())], [.. lengths]) { RealPosts = real };
    }

    /// <summary>A post: a length drawn from the real posts', then a walk from a real first word through real word pairs
    /// (a word that no real post continues restarts the walk).</summary>
    public string Next(Random random)
    {
        int length = _lengths[random.Next(_lengths.Length)];
        var tokens = new string[length];
        int word = _starts[random.Next(_starts.Length)];
        for (int i = 0; i < length; i++)
        {
            tokens[i] = _words[word];
            var followers = _next[word];
            word = followers.Length > 0 ? followers[random.Next(followers.Length)] : _starts[random.Next(_starts.Length)];
        }

        return string.Join(' ', tokens);
    }

    /// <summary>The next post that has a signature (the normaliser joins runs of one-letter words, so a walk of five words
    /// may have fewer), and that signature.</summary>
    public MinHashSignature NextSigned(Random random, out string post)
    {
        while (true)
        {
            post = Next(random);
            if (TextMinHash.Compute(post) is { } signature)
            {
                return signature;
            }
        }
    }

    /// <summary><paramref name="count"/> signatures of synthetic posts, laid end to end (<see cref="MinHashSignature.Size"/>
    /// bytes each), computed on all cores.</summary>
    public byte[] Signatures(int count, int seed)
    {
        var values = new byte[count * MinHashSignature.Size];
        const int Chunk = 10_000;
        Parallel.For(0, (count + Chunk - 1) / Chunk, c =>
        {
            var random = new Random(seed + c);
            for (int i = c * Chunk; i < Math.Min(count, (c + 1) * Chunk); i++)
            {
                NextSigned(random, out _).Values.CopyTo(values.AsSpan(i * MinHashSignature.Size, MinHashSignature.Size));
            }
        });
        return values;
    }
}
