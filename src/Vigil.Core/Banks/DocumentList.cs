using Vigil.Core.Content;
using Vigil.Core.Signals;

namespace Vigil.Core.Banks;

/// <summary>
/// Known texts to bank (statements, leaflets, "manifestos"): each document is hashed with every registered signal type
/// of text parts (<c>text_sha256</c> for exact re-posts, <c>text_minhash</c> for edited ones), one entry per hash; the
/// text itself is never kept, and problems name the line, never the text.
/// </summary>
internal static class DocumentList
{
    /// <summary>One document a line; blank lines are skipped.</summary>
    public static IEnumerable<BankFileRow> Read(TextReader reader, BankImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using (reader)
        {
            long number = 0;
            while (reader.ReadLine() is { } line)
            {
                number++;
                if (!string.IsNullOrWhiteSpace(line))
                {
                    foreach (var row in Rows(number, line, options))
                    {
                        yield return row;
                    }
                }
            }
        }
    }

    /// <summary>The rows of one document: an entry per hash, or a problem when no text type hashes it.</summary>
    /// <param name="line">Where the document is (its line, or its number among files).</param>
    public static IEnumerable<BankFileRow> Rows(long line, string text, BankImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (text.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return [new BankFileRow(line, Problem: "undecodable bytes (not UTF-8)")];
        }

        var part = new PartView(ContentPart.FromText(text));
        var rows = options.Types.ForPartType(PartTypes.Text)
            .SelectMany(type => type.Hash(part))
            .Select(hash => new BankFileRow(line, new BankEntry(hash.SignalType, hash.Value)))
            .ToList();
        return rows.Count > 0 ? rows : [new BankFileRow(line, Problem: "no words to hash")];
    }
}
