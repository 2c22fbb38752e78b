using System.Buffers.Binary;

namespace Vigil.Media;

/// <summary>The image containers <see cref="ImageDecoder"/> accepts.</summary>
internal enum ContainerFormat
{
    Unknown,
    Jpeg,
    Png,
    Gif,
    Webp,
}

/// <summary>
/// Cheap structural checks run before decoding. ImageSharp decodes a truncated JPEG or PNG
/// without complaint and fills the missing part with black, which would give a plausible-looking
/// but wrong hash; these walks find the end of the image data or report why it is missing.
/// </summary>
internal static class ContainerCheck
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static ContainerFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ContainerFormat.Jpeg;
        }

        if (data.StartsWith(PngSignature))
        {
            return ContainerFormat.Png;
        }

        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return ContainerFormat.Gif;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ContainerFormat.Webp;
        }

        return ContainerFormat.Unknown;
    }

    /// <summary>Null when the container is complete, else the failure and a message.</summary>
    public static (MediaDecodeFailure Failure, string Message)? Check(ContainerFormat format, ReadOnlySpan<byte> data) => format switch
    {
        ContainerFormat.Jpeg => CheckJpeg(data),
        ContainerFormat.Png => CheckPng(data),
        ContainerFormat.Gif => CheckGif(data),
        ContainerFormat.Webp => CheckWebp(data),
        _ => (MediaDecodeFailure.UnsupportedFormat, "Unknown container."),
    };

    /// <summary>Walks the marker segments and entropy-coded scans up to EOI.</summary>
    private static (MediaDecodeFailure, string)? CheckJpeg(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        while (true)
        {
            // Skip anything up to the next marker prefix, then fill bytes.
            var next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0)
            {
                return Truncated("JPEG ends before its EOI marker.");
            }

            pos += next;
            while (pos < data.Length && data[pos] == 0xFF)
            {
                pos++;
            }

            if (pos >= data.Length)
            {
                return Truncated("JPEG ends before its EOI marker.");
            }

            var marker = data[pos++];
            if (marker == 0xD9)
            {
                return null;
            }

            if (marker is 0x01 or 0xD8 or (>= 0xD0 and <= 0xD7))
            {
                continue; // markers without a length
            }

            if (marker == 0x00)
            {
                return Corrupt("JPEG has a stuffed zero byte outside entropy-coded data.");
            }

            if (pos + 2 > data.Length)
            {
                return Truncated("JPEG ends inside a segment header.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            if (length < 2)
            {
                return Corrupt($"JPEG segment 0xFF{marker:X2} has an invalid length {length}.");
            }

            if (pos + length > data.Length)
            {
                return Truncated($"JPEG ends inside segment 0xFF{marker:X2}.");
            }

            pos += length;
            if (marker == 0xDA && SkipEntropyCodedData(data, ref pos) is { } failure)
            {
                return failure;
            }
        }
    }

    /// <summary>Advances past scan data: 0xFF is followed by 0x00 (stuffing) or RSTn inside it.</summary>
    private static (MediaDecodeFailure, string)? SkipEntropyCodedData(ReadOnlySpan<byte> data, ref int pos)
    {
        while (true)
        {
            var next = data[pos..].IndexOf((byte)0xFF);
            if (next < 0 || pos + next + 1 >= data.Length)
            {
                return Truncated("JPEG ends inside entropy-coded scan data.");
            }

            pos += next;
            var following = data[pos + 1];
            if (following == 0x00 || following is >= 0xD0 and <= 0xD7)
            {
                pos += 2;
                continue;
            }

            return null; // a real marker: the scan ends here
        }
    }

    /// <summary>Walks the chunks, checking each CRC, up to IEND.</summary>
    private static (MediaDecodeFailure, string)? CheckPng(ReadOnlySpan<byte> data)
    {
        var pos = PngSignature.Length;
        var sawData = false;
        while (true)
        {
            if (pos + 8 > data.Length)
            {
                return Truncated("PNG ends before its IEND chunk.");
            }

            var length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            if (length > int.MaxValue)
            {
                return Corrupt("PNG chunk length is out of range.");
            }

            var type = data.Slice(pos + 4, 4);
            if ((long)pos + 12 + length > data.Length)
            {
                return Truncated($"PNG ends inside a {System.Text.Encoding.ASCII.GetString(type)} chunk.");
            }

            var crc = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            if (Crc32.Compute(data.Slice(pos + 4, 4 + (int)length)) != crc)
            {
                return Corrupt($"PNG {System.Text.Encoding.ASCII.GetString(type)} chunk fails its CRC check.");
            }

            if (type.SequenceEqual("IDAT"u8))
            {
                sawData = true;
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return sawData ? null : Corrupt("PNG has no image data.");
            }

            pos += 12 + (int)length;
        }
    }

    /// <summary>Walks the blocks until the first image's data is complete.</summary>
    private static (MediaDecodeFailure, string)? CheckGif(ReadOnlySpan<byte> data)
    {
        const int headerAndScreen = 13;
        if (data.Length < headerAndScreen)
        {
            return Truncated("GIF ends inside its header.");
        }

        var pos = headerAndScreen + ColorTableSize(data[10]);
        while (true)
        {
            if (pos >= data.Length)
            {
                return Truncated("GIF ends before its first image is complete.");
            }

            switch (data[pos++])
            {
                case 0x21: // extension: label, then sub-blocks
                    pos++;
                    if (!SkipSubBlocks(data, ref pos))
                    {
                        return Truncated("GIF ends inside an extension block.");
                    }

                    break;
                case 0x2C: // image descriptor, optional local colour table, LZW code size, sub-blocks
                    if (pos + 9 > data.Length)
                    {
                        return Truncated("GIF ends inside an image descriptor.");
                    }

                    pos += 9 + ColorTableSize(data[pos + 8]) + 1;
                    return SkipSubBlocks(data, ref pos) ? null : Truncated("GIF ends inside its image data.");
                case 0x3B:
                    return Corrupt("GIF has no image before its trailer.");
                default:
                    return Corrupt("GIF has an unknown block type.");
            }
        }
    }

    private static int ColorTableSize(byte flags) => (flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0;

    private static bool SkipSubBlocks(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length)
        {
            var size = data[pos++];
            if (size == 0)
            {
                return true;
            }

            pos += size;
        }

        return false;
    }

    private static (MediaDecodeFailure, string)? CheckWebp(ReadOnlySpan<byte> data)
    {
        var riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (riffSize < 4)
        {
            return Corrupt("WebP RIFF size is invalid.");
        }

        return 8L + riffSize > data.Length ? Truncated("WebP ends before the size its RIFF header declares.") : null;
    }

    private static (MediaDecodeFailure, string) Truncated(string message) => (MediaDecodeFailure.Truncated, message);

    private static (MediaDecodeFailure, string) Corrupt(string message) => (MediaDecodeFailure.Corrupt, message);
}
