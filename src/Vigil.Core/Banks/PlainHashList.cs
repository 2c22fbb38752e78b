using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>
/// Plain hash lists: one hash a line. A line may also be <c>TYPE HASH</c> (python-threatexchange's local file
/// form, e.g. <c>pdq 3f0a...</c>) or <c>HASH,anything</c> (the output of <c>vigil hash</c> and the reference tool,
/// <c>hash,quality,path</c>: only the hash is taken). Blank lines and lines starting with <c>#</c> are skipped.
/// A bare hash is of the type the import names, else of the one type whose values it looks like (64 hex digits are
/// taken as pdq).
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

        SignalType? type = options.SignalType;
        int space = text.AsSpan().IndexOfAny(' ', '\t');
        if (space >= 0)
        {
            var name = text[..space];
            if (!options.TryType(name, out var named))
            {
                return new BankFileRow(number, Problem: options.UnknownType(name));
            }

            type = named;
            text = text[(space + 1)..].Trim();
        }

        type ??= Guess(text, options.Types);
        if (type is null)
        {
            return new BankFileRow(number, Problem: $"'{Shorten(text)}' is not a hash of any signal type ({options.Types.Names}); name the type on the line ('pdq HASH') or for the whole list");
        }

        return type.Normalize(text, out var value) is { } problem
            ? new BankFileRow(number, Problem: problem)
            : new BankFileRow(number, new BankEntry(type.Name, value));
    }

    /// <summary>The type of a bare hash: 64 characters are a PDQ hash unless the list says otherwise (as upstream's lists
    /// are); anything else is of the one registered type that accepts it. Failing both, the pdq type, whose error then
    /// explains the value (null when there is no pdq type).</summary>
    private static SignalType? Guess(string text, SignalTypeRegistry types)
    {
        types.TryGet("pdq", out var pdq);
        if (text.Length == 64 && pdq is not null)
        {
            return pdq;
        }

        var accepting = types.All.Where(t => t.Normalize(text, out _) is null).ToList();
        return accepting.Count == 1 ? accepting[0] : pdq ?? accepting.FirstOrDefault();
    }

    internal static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    /// <summary>Writes the <paramref name="type"/> hashes of <paramref name="entries"/>, one a line; returns how many.</summary>
    public static long Write(TextWriter writer, IEnumerable<BankEntry> entries, string type)
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
