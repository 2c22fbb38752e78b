namespace Vigil.Text.Lexicon;

/// <summary>
/// Aho-Corasick automaton over UTF-16 code units: finds every occurrence of every pattern in one pass, in time
/// linear in the text plus the number of matches. Immutable once built, so one instance serves all threads.
/// </summary>
internal sealed class AhoCorasick
{
    private readonly int[] _rootNext;       // transitions out of the root, indexed by character
    private readonly int[] _edgeStart;      // per node: first edge in _edgeChars/_edgeTargets (sorted by char)
    private readonly int[] _edgeCount;
    private readonly char[] _edgeChars;
    private readonly int[] _edgeTargets;
    private readonly int[] _fail;
    private readonly int[] _outputLink;     // nearest node on the fail chain (or self) that ends a pattern, or -1
    private readonly int[] _nodePattern;    // pattern that ends exactly at this node, or -1
    private readonly int[] _patternLength;

    public AhoCorasick(IReadOnlyList<string> patterns)
    {
        // Build the trie with dictionaries, then freeze into flat arrays.
        var children = new List<Dictionary<char, int>> { new() };
        var nodePattern = new List<int> { -1 };
        _patternLength = new int[patterns.Count];
        for (int p = 0; p < patterns.Count; p++)
        {
            string pattern = patterns[p];
            if (pattern.Length == 0)
            {
                throw new ArgumentException("Patterns cannot be empty.", nameof(patterns));
            }

            _patternLength[p] = pattern.Length;
            int node = 0;
            foreach (char c in pattern)
            {
                if (!children[node].TryGetValue(c, out int next))
                {
                    next = children.Count;
                    children[node][c] = next;
                    children.Add([]);
                    nodePattern.Add(-1);
                }

                node = next;
            }

            if (nodePattern[node] >= 0)
            {
                throw new ArgumentException($"Duplicate pattern '{pattern}'.", nameof(patterns));
            }

            nodePattern[node] = p;
        }

        int nodes = children.Count;
        _nodePattern = [.. nodePattern];
        _edgeStart = new int[nodes];
        _edgeCount = new int[nodes];
        int edges = children.Sum(d => d.Count);
        _edgeChars = new char[edges];
        _edgeTargets = new int[edges];
        int at = 0;
        for (int n = 0; n < nodes; n++)
        {
            _edgeStart[n] = at;
            _edgeCount[n] = children[n].Count;
            foreach (var (c, target) in children[n].OrderBy(kv => kv.Key))
            {
                _edgeChars[at] = c;
                _edgeTargets[at] = target;
                at++;
            }
        }

        _rootNext = new int[char.MaxValue + 1];
        foreach (var (c, target) in children[0])
        {
            _rootNext[c] = target;
        }

        // Breadth-first: fail links and output links.
        _fail = new int[nodes];
        _outputLink = new int[nodes];
        _outputLink[0] = -1;
        var queue = new Queue<int>();
        foreach (var (_, target) in children[0])
        {
            _fail[target] = 0;
            _outputLink[target] = _nodePattern[target] >= 0 ? target : -1;
            queue.Enqueue(target);
        }

        while (queue.Count > 0)
        {
            int node = queue.Dequeue();
            foreach (var (c, child) in children[node])
            {
                int f = _fail[node];
                int next;
                while ((next = Step(f, c)) < 0)
                {
                    f = _fail[f];
                }

                _fail[child] = next == child ? 0 : next;
                _outputLink[child] = _nodePattern[child] >= 0 ? child : _outputLink[_fail[child]];
                queue.Enqueue(child);
            }
        }
    }

    public int PatternCount => _patternLength.Length;

    public int NodeCount => _fail.Length;

    /// <summary>Calls <paramref name="onMatch"/> with (start, end exclusive, pattern index) for every occurrence.</summary>
    public void FindAll<TState>(ReadOnlySpan<char> text, ref TState state, MatchHandler<TState> onMatch)
    {
        int node = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            int next;
            while ((next = Step(node, c)) < 0)
            {
                node = _fail[node];
            }

            node = next;
            for (int o = _outputLink[node]; o > 0; o = _outputLink[_fail[o]])
            {
                int p = _nodePattern[o];
                onMatch(ref state, i + 1 - _patternLength[p], i + 1, p);
            }
        }
    }

    /// <summary>The transition from <paramref name="node"/> on <paramref name="c"/>; -1 when there is none
    /// (the root always has one: to itself).</summary>
    private int Step(int node, char c)
    {
        if (node == 0)
        {
            return _rootNext[c];
        }

        int lo = _edgeStart[node];
        int count = _edgeCount[node];
        if (count <= 8)
        {
            for (int e = lo; e < lo + count; e++)
            {
                if (_edgeChars[e] == c)
                {
                    return _edgeTargets[e];
                }
            }

            return -1;
        }

        int index = Array.BinarySearch(_edgeChars, lo, count, c);
        return index >= 0 ? _edgeTargets[index] : -1;
    }
}

internal delegate void MatchHandler<TState>(ref TState state, int start, int end, int pattern);
