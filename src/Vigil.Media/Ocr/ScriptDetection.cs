using System.Globalization;

namespace Vigil.Media.Ocr;

/// <summary>
/// What Tesseract's orientation and script detection (<c>--psm 0</c>, the <c>osd</c> model) says about an image: the
/// script and its confidence, and Tesseract's estimate of the resolution from the height of the text.
/// </summary>
/// <param name="Script">e.g. <c>Latin</c> or <c>Arabic</c>; null when there was too little text to tell.</param>
/// <param name="Confidence">Tesseract's script confidence (0 when none).</param>
/// <param name="EstimatedResolution">
/// "Estimating resolution as N": Tesseract's guess of the dots per inch, from the size of the letters (about 12 times
/// the font size in pixels for ordinary text); null when it was not printed.
/// </param>
internal sealed record ScriptDetection(string? Script, double Confidence, int? EstimatedResolution)
{
    /// <summary>Reads the report of <c>tesseract stdin stdout --psm 0</c> (standard output, then standard error).</summary>
    public static ScriptDetection Parse(string stdout, string stderr)
    {
        string? script = null;
        double confidence = 0;
        int? resolution = null;
        foreach (var line in (stdout + "\n" + stderr).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (Value(line, "Script:") is { Length: > 0 } name)
            {
                script = name;
            }
            else if (Value(line, "Script confidence:") is { } c && double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                confidence = parsed;
            }
            else if (Value(line, "Estimating resolution as") is { } r && int.TryParse(r, NumberStyles.Integer, CultureInfo.InvariantCulture, out var dpi))
            {
                resolution ??= dpi;
            }
        }

        return new ScriptDetection(script, confidence, resolution);
    }

    private static string? Value(string line, string prefix) =>
        line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..].Trim() : null;
}
