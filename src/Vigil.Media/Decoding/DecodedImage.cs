namespace Vigil.Media;

/// <summary>
/// A decoded still image as packed 8-bit RGB (3 bytes a pixel, row-major, no padding). Alpha is
/// dropped and no colour profile is applied, as the PDQ references do.
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="Rgb24">Width x Height x 3 bytes.</param>
/// <param name="Format">Container format, e.g. "JPEG" or "PNG".</param>
/// <param name="ExifOrientation">
/// EXIF orientation tag (1-8; 1 when absent). It is reported, not applied: every PDQ reference
/// hashes the stored pixels and ignores it.
/// </param>
public sealed record DecodedImage(int Width, int Height, ReadOnlyMemory<byte> Rgb24, string Format, int ExifOrientation);
