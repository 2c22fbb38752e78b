using Vigil.Media.Banks;
using Vigil.Media.Ocr;

namespace Vigil.Media;

/// <summary>Everything found in one image, before the text detectors and the policy.</summary>
/// <param name="Width">Width in pixels (as stored).</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Format">e.g. JPEG.</param>
/// <param name="Content">MD5 and SHA-256 of the bytes.</param>
/// <param name="Pdq">The PDQ hash and quality.</param>
/// <param name="Banks">Bank matches.</param>
/// <param name="Ocr">The text read, or null when OCR was not asked for.</param>
public sealed record ImageAnalysis(int Width, int Height, string Format, ContentHashes Content, PdqResult Pdq, BankMatchResult Banks, OcrResult? Ocr);

/// <summary>
/// Runs the media detectors on one image: decoding (<see cref="ImageDecoder"/>), MD5/SHA-256 and PDQ hashes,
/// hash-bank matching and OCR. It does not look at the text it reads: callers pass <see cref="OcrResult.Text"/>
/// to the text detectors and combine both with <see cref="MediaAssessment.Combine"/>. Thread-safe.
/// </summary>
public sealed class MediaAnalyzer(ImageDecoder decoder, BankMatcher? banks = null, IOcrEngine? ocr = null)
{
    [ThreadStatic]
    private static PdqHasher? t_hasher;

    /// <summary>The decoder and its budgets.</summary>
    public ImageDecoder Decoder => decoder;

    /// <summary>Analyses encoded image bytes.</summary>
    /// <exception cref="MediaDecodeException">The bytes are not an image that can be decoded faithfully.</exception>
    public async Task<ImageAnalysis> AnalyzeAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var content = ContentHashes.Compute(data.Span);
        var image = decoder.Decode(data);
        var pdq = (t_hasher ??= new PdqHasher()).Hash(image);
        var matches = banks?.Match(content, pdq) ?? BankMatchResult.None;
        var text = ocr is null ? null : await ocr.ReadAsync(image, cancellationToken);
        return new ImageAnalysis(image.Width, image.Height, image.Format, content, pdq, matches, text);
    }

    /// <summary>True when the first bytes are those of a JPEG, PNG, GIF or WebP file (the formats that are decoded).</summary>
    public static bool LooksLikeImage(ReadOnlySpan<byte> header) => ContainerCheck.Detect(header) != ContainerFormat.Unknown;
}
