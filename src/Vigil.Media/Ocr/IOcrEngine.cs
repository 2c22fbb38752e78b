namespace Vigil.Media.Ocr;

/// <summary>Reads the text in images (leaflets, screenshots, memes). Implementations are thread-safe.</summary>
public interface IOcrEngine
{
    /// <summary>Whether the engine can run here, and what it is (checked once, then remembered).</summary>
    Task<OcrAvailability> CheckAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the text of a decoded image. Never throws for a problem with one image: see <see cref="OcrResult.Status"/>.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<OcrResult> ReadAsync(DecodedImage image, CancellationToken cancellationToken = default);
}

/// <summary>Whether an OCR engine can run, and a description: its name, version and languages, or why not.</summary>
public sealed record OcrAvailability(bool Available, string Description);

/// <summary>Outcome of reading one image.</summary>
public enum OcrStatus
{
    /// <summary>The engine ran; <see cref="OcrResult.Text"/> may still be empty (no text in the image).</summary>
    Read,

    /// <summary>No OCR engine here (see <see cref="OcrResult.Problem"/>).</summary>
    Unavailable,

    /// <summary>The engine failed on this image (timeout, crash).</summary>
    Failed,
}

/// <summary>Text read from one image.</summary>
/// <param name="Status">Whether it was read.</param>
/// <param name="Text">
/// The text: the engine's output with form feeds removed, trailing spaces of every line and blank lines at the
/// start and end trimmed; lines end with <c>\n</c>. Evidence spans of text found in it are UTF-16 offsets into
/// exactly this string.
/// </param>
/// <param name="Engine">e.g. <c>tesseract 5.3.0 (eng+ara+fra)</c>.</param>
/// <param name="Problem">Why nothing was read, for <see cref="OcrStatus.Unavailable"/> and <see cref="OcrStatus.Failed"/>.</param>
public sealed record OcrResult(OcrStatus Status, string Text = "", string Engine = "", string? Problem = null)
{
    /// <summary>True when text was read.</summary>
    public bool HasText => Status == OcrStatus.Read && !string.IsNullOrWhiteSpace(Text);

    /// <summary>Tidies raw engine output as <see cref="Text"/> describes.</summary>
    public static string Clean(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var lines = raw.Replace("\f", "", StringComparison.Ordinal).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return string.Join('\n', lines.Select(l => l.TrimEnd())).Trim('\n');
    }
}
