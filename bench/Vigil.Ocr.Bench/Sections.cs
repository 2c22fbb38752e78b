namespace Vigil.Ocr.Bench;

/// <summary>A block of docs/quality/ocr.md that one mode of the benchmark owns, between HTML comments (invisible once rendered).</summary>
/// <param name="Name">Its markers: <c>&lt;!-- NAME:begin --&gt;</c> and <c>&lt;!-- NAME:end --&gt;</c>.</param>
/// <param name="InSummary">Where a new block goes: at the end of the "## Summary" section (true), else at the end of the file.</param>
internal sealed record Block(string Name, bool InSummary)
{
    public string Begin => $"<!-- {Name}:begin -->";

    public string End => $"<!-- {Name}:end -->";
}

/// <summary>
/// Puts the blocks of one mode into the report the other writes: <c>bench/ocr.sh posts</c> writes its blocks into
/// docs/quality/ocr.md without touching the rest, and <c>bench/ocr.sh</c> (the neutral leaflets) carries them over when it
/// writes the file again.
/// </summary>
internal static class Sections
{
    /// <summary><paramref name="document"/> with <paramref name="block"/>'s content replaced by <paramref name="content"/>
    /// (markers included), or the block added where it goes.</summary>
    public static string Put(string document, Block block, string content)
    {
        string wrapped = $"{block.Begin}\n{content.TrimEnd('\n')}\n{block.End}\n";
        int begin = document.IndexOf(block.Begin, StringComparison.Ordinal);
        int end = begin < 0 ? -1 : document.IndexOf(block.End, begin, StringComparison.Ordinal);
        if (begin >= 0 && end >= 0)
        {
            int after = end + block.End.Length;
            if (after < document.Length && document[after] == '\n')
            {
                after++;
            }

            return document[..begin] + wrapped + document[after..];
        }

        if (block.InSummary)
        {
            int summary = document.IndexOf("\n## Summary\n", StringComparison.Ordinal);
            int next = summary < 0 ? -1 : document.IndexOf("\n## ", summary + 1, StringComparison.Ordinal);
            if (next >= 0)
            {
                return document[..(next + 1)] + wrapped + "\n" + document[(next + 1)..];
            }
        }

        return document.Length == 0 ? wrapped : document.TrimEnd('\n') + "\n\n" + wrapped;
    }

    /// <summary>The content of <paramref name="block"/> in <paramref name="document"/> (markers excluded), or null.</summary>
    public static string? Get(string document, Block block)
    {
        int begin = document.IndexOf(block.Begin, StringComparison.Ordinal);
        int end = begin < 0 ? -1 : document.IndexOf(block.End, begin, StringComparison.Ordinal);
        return begin < 0 || end < 0 ? null : document[(begin + block.Begin.Length)..end].Trim('\n');
    }

    /// <summary><paramref name="written"/> with each of <paramref name="blocks"/> that <paramref name="previous"/> holds.</summary>
    public static string Carry(string previous, string written, params Block[] blocks)
    {
        foreach (var block in blocks)
        {
            if (Get(previous, block) is { } content)
            {
                written = Put(written, block, content);
            }
        }

        return written;
    }
}
