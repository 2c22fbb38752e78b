using System.Globalization;
using System.Text;

namespace Vigil.Media.Ocr;

/// <summary>
/// A reading from Tesseract's TSV output (<c>tesseract ... tsv</c>): the words as text, and Tesseract's confidence in
/// them, so that two readings of one page can be compared.
/// </summary>
/// <param name="Text">The words: a space between words of a line, a line break between lines, a blank line between paragraphs (as Tesseract's text output).</param>
/// <param name="Confidence">Mean word confidence (0-100), each word weighted by its length; 0 without words.</param>
internal sealed record TsvReading(string Text, double Confidence)
{
    /// <summary>Reads the TSV (columns level, page_num, block_num, par_num, line_num, word_num, left, top, width, height, conf, text).</summary>
    public static TsvReading Parse(string tsv)
    {
        var text = new StringBuilder();
        (string Block, string Paragraph, string Line)? previous = null;
        double weighted = 0;
        int characters = 0;
        foreach (var row in tsv.Split('\n'))
        {
            var fields = row.TrimEnd('\r').Split('\t');
            if (fields.Length < 12 || fields[0] != "5" || string.IsNullOrWhiteSpace(fields[11]))
            {
                continue;
            }

            string word = fields[11].Trim();
            var position = (fields[2], fields[3], fields[4]);
            text.Append(previous switch
            {
                null => "",
                var (block, paragraph, _) when block != position.Item1 || paragraph != position.Item2 => "\n\n",
                var (_, _, line) when line != position.Item3 => "\n",
                _ => " ",
            });
            text.Append(word);
            previous = position;
            if (double.TryParse(fields[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) && confidence >= 0)
            {
                weighted += confidence * word.Length;
                characters += word.Length;
            }
        }

        return new TsvReading(text.ToString(), characters == 0 ? 0 : weighted / characters);
    }
}
