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
    /// <param name="tsv">Tesseract's TSV.</param>
    /// <param name="rightToLeft">
    /// Null: the lines in Tesseract's order. Otherwise the lines are put in reading order by where they are on the page:
    /// lines side by side (their middles within each other's height) make one line, ordered right to left when true
    /// (Arabic), left to right when false; then top to bottom. Sparse text (<c>--psm 11</c>) finds pieces of one line
    /// as separate blocks, in no reading order.
    /// </param>
    public static TsvReading Parse(string tsv, bool? rightToLeft = null)
    {
        var lines = new List<Line>();
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
            var key = (fields[2], fields[3], fields[4]);
            if (lines.Count == 0 || lines[^1].Key != key)
            {
                lines.Add(new Line(key));
            }

            lines[^1].Add(word, Number(fields[6]), Number(fields[7]), Number(fields[8]), Number(fields[9]));
            if (double.TryParse(fields[10], NumberStyles.Float, CultureInfo.InvariantCulture, out var confidence) && confidence >= 0)
            {
                weighted += confidence * word.Length;
                characters += word.Length;
            }
        }

        return new TsvReading(rightToLeft is { } rtl ? ByPosition(lines, rtl) : InOrder(lines), characters == 0 ? 0 : weighted / characters);
    }

    private static string InOrder(List<Line> lines)
    {
        var text = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            if (i > 0)
            {
                var (block, paragraph, _) = lines[i - 1].Key;
                text.Append(block != lines[i].Key.Block || paragraph != lines[i].Key.Paragraph ? "\n\n" : "\n");
            }

            text.AppendJoin(' ', lines[i].Words);
        }

        return text.ToString();
    }

    private static string ByPosition(List<Line> lines, bool rightToLeft)
    {
        var rows = new List<List<Line>>();
        foreach (var line in lines.OrderBy(l => l.Top))
        {
            double middle = (line.Top + line.Bottom) / 2.0;
            var row = rows.FirstOrDefault(r => r.Any(other => middle >= other.Top && middle <= other.Bottom
                && (other.Top + other.Bottom) / 2.0 >= line.Top && (other.Top + other.Bottom) / 2.0 <= line.Bottom));
            if (row is null)
            {
                rows.Add([line]);
            }
            else
            {
                row.Add(line);
            }
        }

        return string.Join('\n', rows.Select(r => string.Join(' ', (rightToLeft ? r.OrderByDescending(l => l.Right) : r.OrderBy(l => l.Left)).Select(l => string.Join(' ', l.Words)))));
    }

    private static int Number(string field) => int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private sealed class Line((string Block, string Paragraph, string Line) key)
    {
        public (string Block, string Paragraph, string Line) Key { get; } = key;

        public List<string> Words { get; } = [];

        public int Left { get; private set; } = int.MaxValue;

        public int Right { get; private set; } = int.MinValue;

        public int Top { get; private set; } = int.MaxValue;

        public int Bottom { get; private set; } = int.MinValue;

        public void Add(string word, int left, int top, int width, int height)
        {
            Words.Add(word);
            Left = Math.Min(Left, left);
            Right = Math.Max(Right, left + width);
            Top = Math.Min(Top, top);
            Bottom = Math.Max(Bottom, top + height);
        }
    }
}
