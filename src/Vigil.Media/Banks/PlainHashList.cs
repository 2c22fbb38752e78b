namespace Vigil.Media.Banks;

/// <summary>
/// Plain hash lists: one hash a line. A line may also be <c>TYPE HASH</c> (python-threatexchange's local file
/// form, e.g. <c>pdq 3f0a...</c>) or <c>HASH,anything</c> (the output of <c>vigil hash</c> and the reference tool,
/// <c>hash,quality,path</c>: only the hash is taken). Blank lines and lines starting with <c>#</c> are skipped.
/// </summary>
internal static class PlainHashList
{
    public static IEnumerable<BankFileRow> Read(TextReader reader, BankImportOptions options)
    {
        using (reader)
        {
            long number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                var text = line.Trim();
                if (text.Length == 0 || text[0] == '#')
                {
                    continue;
                }

                yield return Parse(number, text, options);
            }
        }
    }

    private static BankFileRow Parse(long number, string text, BankImportOptions options)
    {
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return new BankFileRow(number, Problem: "undecodable bytes (not UTF-8)");
        }

        int comma = text.IndexOf(',', StringComparison.Ordinal);
        if (comma >= 0)
        {
            text = text[..comma].Trim();
        }

        BankSignalType? type = options.SignalType;
        int space = text.AsSpan().IndexOfAny(' ', '\t');
        if (space >= 0)
        {
            var name = text[..space];
            if (!BankSignalTypes.TryParse(name, out var named))
            {
                return new BankFileRow(number, Problem: $"unknown signal type '{Shorten(name)}' (pdq, md5, sha256)");
            }

            type = named;
            text = text[(space + 1)..].Trim();
        }

        type ??= text.Length == 32 ? BankSignalType.Md5 : BankSignalType.Pdq;
        return BankSignalTypes.Normalize(type.Value, text, out var value) is { } problem
            ? new BankFileRow(number, Problem: problem)
            : new BankFileRow(number, new BankEntry(type.Value, value));
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    /// <summary>Writes the <paramref name="type"/> hashes of <paramref name="entries"/>, one a line; returns how many.</summary>
    public static long Write(TextWriter writer, IEnumerable<BankEntry> entries, BankSignalType type)
    {
        long count = 0;
        foreach (var entry in entries.Where(e => e.SignalType == type))
        {
            writer.Write(entry.Value);
            writer.Write('\n');
            count++;
        }

        return count;
    }
}
