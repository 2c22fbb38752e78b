using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Vigil.Media;

/// <summary>
/// Decodes untrusted JPEG, PNG, GIF (first frame) and WebP bytes to RGB24 with ImageSharp, refusing
/// anything that cannot be decoded faithfully with a <see cref="MediaDecodeException"/>.
/// </summary>
/// <remarks>
/// <para>Order of checks: empty input; format by signature; header only (Image.Identify), so that a
/// declared size over <see cref="MaxPixels"/> is refused before any pixel buffer exists
/// (decompression bombs); container completeness (truncated JPEG/PNG/GIF/WebP, PNG CRCs); then the
/// decode itself.</para>
/// <para>EXIF orientation is not applied. Every PDQ reference (C++, Java, pdqhash-python, HMA) hashes
/// the stored pixel grid, and upstream's exif-rotn test images hash differently per orientation, so
/// applying it would break matching against hashes from other systems. The tag is reported in
/// <see cref="DecodedImage.ExifOrientation"/>; alpha is dropped and ICC profiles are ignored, also as
/// the references do.</para>
/// <para>Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class ImageDecoder
{
    /// <summary>Default pixel budget: 50 megapixels.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>Default limit on the encoded size read from a stream: 100 MiB.</summary>
    public const int DefaultMaxEncodedBytes = 100 * 1024 * 1024;

    private readonly Configuration _configuration;

    /// <summary>A decoder with the default budgets.</summary>
    public ImageDecoder()
        : this(DefaultMaxPixels)
    {
    }

    /// <param name="maxPixels">Largest width x height accepted.</param>
    /// <param name="maxEncodedBytes">Largest encoded input accepted.</param>
    public ImageDecoder(long maxPixels, int maxEncodedBytes = DefaultMaxEncodedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEncodedBytes, 1);
        MaxPixels = maxPixels;
        MaxEncodedBytes = maxEncodedBytes;
        _configuration = CreateConfiguration(maxPixels);
    }

    /// <summary>Largest width x height accepted.</summary>
    /// <summary>True when the first bytes are those of a JPEG, PNG, GIF or WebP file (the formats that are decoded).</summary>
    public static bool LooksLikeImage(ReadOnlySpan<byte> header) => ContainerCheck.Detect(header) != ContainerFormat.Unknown;

    public long MaxPixels { get; }

    /// <summary>Largest encoded input accepted.</summary>
    public int MaxEncodedBytes { get; }

    /// <summary>Reads the whole stream (up to <see cref="MaxEncodedBytes"/>) and decodes it.</summary>
    /// <exception cref="MediaDecodeException">The input is refused.</exception>
    public DecodedImage Decode(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxEncodedBytes)
            {
                throw new MediaDecodeException(
                    MediaDecodeFailure.TooLarge, $"The encoded image is larger than the {MaxEncodedBytes}-byte limit.");
            }

            buffer.Write(chunk, 0, read);
        }

        return Decode(new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Decodes encoded image bytes.</summary>
    /// <exception cref="MediaDecodeException">The input is refused.</exception>
    public DecodedImage Decode(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new MediaDecodeException(MediaDecodeFailure.Empty, "The input is empty.");
        }

        if (data.Length > MaxEncodedBytes)
        {
            throw new MediaDecodeException(
                MediaDecodeFailure.TooLarge, $"The encoded image is larger than the {MaxEncodedBytes}-byte limit.");
        }

        var format = ContainerCheck.Detect(data.Span);
        if (format == ContainerFormat.Unknown)
        {
            throw new MediaDecodeException(
                MediaDecodeFailure.UnsupportedFormat, "The input is not a JPEG, PNG, GIF or WebP image.");
        }

        var info = Guard(() =>
        {
            using var headerStream = AsStream(data);
            return Image.Identify(_configuration, headerStream);
        });
        if (info is null || info.Width <= 0 || info.Height <= 0)
        {
            throw new MediaDecodeException(MediaDecodeFailure.Corrupt, $"The {format} header could not be read.");
        }

        if ((long)info.Width * info.Height > MaxPixels)
        {
            throw new MediaDecodeException(
                MediaDecodeFailure.TooLarge,
                $"The image declares {info.Width}x{info.Height} pixels, over the budget of {MaxPixels}.");
        }

        var problem = Guard(() => ContainerCheck.Check(format, data.Span));
        if (problem is { } found)
        {
            throw new MediaDecodeException(found.Failure, found.Message);
        }

        return Guard(() =>
        {
            using var stream = AsStream(data);
            using var image = Image.Load<Rgb24>(_configuration, stream);
            if (image.Width != info.Width || image.Height != info.Height)
            {
                throw new MediaDecodeException(
                    MediaDecodeFailure.Corrupt, "The decoded size differs from the size in the header.");
            }

            var pixels = new byte[checked(image.Width * image.Height * 3)];
            image.CopyPixelDataTo(pixels);
            return new DecodedImage(image.Width, image.Height, pixels, format.ToString().ToUpperInvariant(), ExifOrientation(image.Metadata));
        });
    }

    private static int ExifOrientation(ImageMetadata metadata)
    {
        var value = metadata.ExifProfile?.GetValue(ExifTag.Orientation);
        return value is not null && value.Value is >= 1 and <= 8 ? value.Value : 1;
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    /// <summary>Maps the decoder's exceptions to <see cref="MediaDecodeException"/>.</summary>
    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (MediaDecodeException)
        {
            throw;
        }
        catch (UnknownImageFormatException e)
        {
            throw new MediaDecodeException(MediaDecodeFailure.UnsupportedFormat, e.Message, e);
        }
        catch (NotSupportedException e)
        {
            throw new MediaDecodeException(MediaDecodeFailure.UnsupportedFormat, e.Message, e);
        }
        catch (InvalidMemoryOperationException e)
        {
            throw new MediaDecodeException(MediaDecodeFailure.TooLarge, e.Message, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ImageFormatException (and its InvalidImageContentException) is the documented case;
            // anything else thrown while parsing hostile bytes is a decoder fault on malformed
            // input, reported the same way rather than escaping as a crash.
            throw new MediaDecodeException(MediaDecodeFailure.Corrupt, $"The image data is invalid: {e.Message}", e);
        }
    }

    private static Configuration CreateConfiguration(long maxPixels)
    {
        var configuration = new Configuration(
            new JpegConfigurationModule(),
            new PngConfigurationModule(),
            new GifConfigurationModule(),
            new WebpConfigurationModule());

        // One thread per decode: callers parallelise across images.
        configuration.MaxDegreeOfParallelism = 1;

        // Only the first frame of an animation is decoded (and hashed).
        configuration.ImageFormatsManager.SetDecoder(
            GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });

        // Second line of defence after the header check: no single buffer over 16 bytes a pixel.
        var limitMegabytes = (int)Math.Clamp(maxPixels * 16 / (1024 * 1024), 64, 16 * 1024);
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            AllocationLimitMegabytes = limitMegabytes,
        });
        return configuration;
    }
}
