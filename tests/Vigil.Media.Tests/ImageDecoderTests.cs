using System.Buffers.Binary;
using System.Text;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Vigil.Media.Tests;

public sealed class ImageDecoderTests
{
    private static readonly string BridgeJpeg = SharedData.PathOf("images/reg-test-input/dih/bridge-1-original.jpg");
    private static readonly string PenPng = SharedData.PathOf("images/reg-test-input/pen-and-coaster.png");

    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Decodes_jpeg_and_png_to_rgb24_at_stored_size()
    {
        var jpeg = _decoder.Decode(File.ReadAllBytes(BridgeJpeg));
        Assert.Equal((1600, 1004, "JPEG"), (jpeg.Width, jpeg.Height, jpeg.Format));
        Assert.Equal(1600 * 1004 * 3, jpeg.Rgb24.Length);

        var png = _decoder.Decode(File.ReadAllBytes(PenPng));
        Assert.Equal((924, 735, "PNG", 1), (png.Width, png.Height, png.Format, png.ExifOrientation));
    }

    [Fact]
    public void Png_pixels_are_exact_and_alpha_is_dropped()
    {
        // pen-and-coaster.png is RGBA: the RGB channels are kept as stored, alpha is dropped.
        var png = _decoder.Decode(File.ReadAllBytes(PenPng));
        using var reference = Image.Load<Rgba32>(PenPng);
        foreach (var (x, y) in new[] { (0, 0), (17, 5), (923, 734), (400, 300) })
        {
            var pixel = reference[x, y];
            Assert.Equal(255, pixel.A);
            Assert.Equal([pixel.R, pixel.G, pixel.B], png.Rgb24.Slice(((y * 924) + x) * 3, 3).ToArray());
        }
    }

    [Fact]
    public void Stream_and_bytes_give_the_same_image()
    {
        var bytes = File.ReadAllBytes(PenPng);
        using var stream = new MemoryStream(bytes);
        var fromStream = _decoder.Decode(stream);
        var fromBytes = _decoder.Decode(bytes);
        Assert.True(fromStream.Rgb24.Span.SequenceEqual(fromBytes.Rgb24.Span));
    }

    [Fact]
    public void Empty_input_is_refused()
    {
        AssertRefused(MediaDecodeFailure.Empty, []);
        using var empty = new MemoryStream();
        Assert.Equal(MediaDecodeFailure.Empty, Assert.Throws<MediaDecodeException>(() => _decoder.Decode(empty)).Failure);
    }

    [Theory]
    [InlineData("This is a text file, not an image. It is long enough to look at.")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")]
    [InlineData("P6 10 10 255 ")]
    public void Non_images_are_refused_as_unsupported(string text) =>
        AssertRefused(MediaDecodeFailure.UnsupportedFormat, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Random_bytes_are_refused()
    {
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0x42; // not a signature byte of any supported format
        AssertRefused(MediaDecodeFailure.UnsupportedFormat, bytes);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.1)]
    public void Truncated_jpeg_is_refused(double keep)
    {
        var bytes = File.ReadAllBytes(BridgeJpeg);
        AssertRefused(MediaDecodeFailure.Truncated, bytes[..(int)(bytes.Length * keep)]);
    }

    [Fact]
    public void Jpeg_missing_only_its_end_marker_is_refused()
    {
        var bytes = File.ReadAllBytes(BridgeJpeg);
        Assert.Equal([0xFF, 0xD9], bytes[^2..]);
        AssertRefused(MediaDecodeFailure.Truncated, bytes[..^2]);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.02)]
    public void Truncated_png_is_refused(double keep)
    {
        var bytes = File.ReadAllBytes(PenPng);
        AssertRefused(MediaDecodeFailure.Truncated, bytes[..(int)(bytes.Length * keep)]);
    }

    [Fact]
    public void Png_with_a_corrupted_data_byte_is_refused()
    {
        var bytes = File.ReadAllBytes(PenPng);
        bytes[bytes.Length / 2] ^= 0x5A;
        AssertRefused(MediaDecodeFailure.Corrupt, bytes);
    }

    [Fact]
    public void Jpeg_with_garbage_after_the_signature_is_refused()
    {
        var bytes = new byte[2000];
        new Random(9).NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        var failure = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(bytes)).Failure;
        Assert.Contains(failure, new[] { MediaDecodeFailure.Corrupt, MediaDecodeFailure.Truncated });
    }

    [Fact]
    public void Jpeg_with_a_broken_frame_header_is_refused()
    {
        var bytes = File.ReadAllBytes(BridgeJpeg);
        var sof = FindMarker(bytes, 0xC0, 0xC2);
        bytes[sof + 9] = 0; // component count: a frame with no components
        AssertRefused(MediaDecodeFailure.Corrupt, bytes);
    }

    [Fact]
    public void Png_declaring_a_huge_size_is_refused_before_allocating_pixels()
    {
        var bomb = CraftPng(100_000, 100_000);
        _ = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(bomb)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(bomb));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(MediaDecodeFailure.TooLarge, error.Failure);
        Assert.Contains("100000x100000", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 1_000_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Jpeg_declaring_a_huge_size_is_refused()
    {
        var bytes = File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/labelme-subset/q0122.jpg"));
        var sof = FindMarker(bytes, 0xC0, 0xC2);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5), 65000); // height
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 7), 65000); // width
        AssertRefused(MediaDecodeFailure.TooLarge, bytes);
    }

    [Fact]
    public void The_pixel_budget_is_configurable()
    {
        var small = new ImageDecoder(maxPixels: 256 * 255);
        var bytes = File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/labelme-subset/q0122.jpg"));
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => small.Decode(bytes)).Failure);
        Assert.Equal(256, new ImageDecoder(maxPixels: 256 * 256).Decode(bytes).Width);
    }

    [Fact]
    public void Streams_over_the_encoded_size_limit_are_refused()
    {
        var decoder = new ImageDecoder(ImageDecoder.DefaultMaxPixels, maxEncodedBytes: 10_000);
        using var stream = new MemoryStream(File.ReadAllBytes(PenPng));
        Assert.Equal(MediaDecodeFailure.TooLarge, Assert.Throws<MediaDecodeException>(() => decoder.Decode(stream)).Failure);
    }

    [Fact]
    public void Crafted_png_helper_writes_valid_crcs()
    {
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
        var real = File.ReadAllBytes(PenPng);
        var ihdrCrc = BinaryPrimitives.ReadUInt32BigEndian(real.AsSpan(8 + 8 + 13));
        Assert.Equal(ihdrCrc, Crc32.Compute(real.AsSpan(12, 4 + 13)));

        // A small image built the same way decodes, so the bomb above is refused for its size only.
        var tiny = _decoder.Decode(CraftPng(3, 2));
        Assert.Equal((3, 2), (tiny.Width, tiny.Height));
        Assert.All(tiny.Rgb24.ToArray(), b => Assert.Equal(0x80, b));
    }

    public static TheoryData<string> EncodedFormats() => ["gif", "png", "webp", "jpeg"];

    [Theory]
    [MemberData(nameof(EncodedFormats))]
    public void Other_formats_decode_and_refuse_truncation(string format)
    {
        var bytes = Encode(format, 64, 48);
        var image = _decoder.Decode(bytes);
        Assert.Equal((64, 48), (image.Width, image.Height));
        Assert.Equal(format.ToUpperInvariant(), image.Format);

        var hash = new PdqHasher().Hash(image);
        Assert.False(hash.Hash.IsZero);

        AssertRefused(MediaDecodeFailure.Truncated, bytes[..(bytes.Length * 2 / 3)]);
    }

    [Fact]
    public void Exif_orientation_is_reported_but_not_applied()
    {
        using var image = new Image<Rgb24>(40, 20, new Rgb24(200, 10, 10));
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var stream = new MemoryStream();
        image.SaveAsJpeg(stream);

        var decoded = _decoder.Decode(stream.ToArray());
        Assert.Equal(6, decoded.ExifOrientation);
        Assert.Equal((40, 20), (decoded.Width, decoded.Height));
    }

    [Theory]
    [MemberData(nameof(EncodedFormats))]
    public void Mangled_inputs_decode_or_are_refused_but_never_throw_anything_else(string format)
    {
        // Seeded fuzzing: byte flips, overwritten runs and cuts of a valid file.
        var original = format == "jpeg"
            ? File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/labelme-subset/q0122.jpg"))
            : Encode(format, 64, 48);
        var random = new Random(format.Length * 7919);
        var outcomes = new Dictionary<string, int>();
        for (var round = 0; round < 150; round++)
        {
            var bytes = (byte[])original.Clone();
            switch (round % 3)
            {
                case 0:
                    for (var k = 0; k < 1 + random.Next(8); k++)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 1:
                    var at = random.Next(bytes.Length);
                    random.NextBytes(bytes.AsSpan(at, Math.Min(bytes.Length - at, 1 + random.Next(64))));
                    break;
                default:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
            }

            string outcome;
            try
            {
                var image = _decoder.Decode(bytes);
                Assert.Equal(image.Width * image.Height * 3, image.Rgb24.Length);
                outcome = "decoded";
            }
            catch (MediaDecodeException e)
            {
                outcome = e.Failure.ToString();
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Every cut is refused: the third of the rounds that truncate.
        Assert.True(outcomes.GetValueOrDefault("Truncated") + outcomes.GetValueOrDefault("Empty") + outcomes.GetValueOrDefault("UnsupportedFormat") + outcomes.GetValueOrDefault("Corrupt") >= 50,
            string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}")));
    }

    private void AssertRefused(MediaDecodeFailure expected, byte[] bytes)
    {
        var error = Assert.Throws<MediaDecodeException>(() => _decoder.Decode(bytes));
        Assert.True(expected == error.Failure, $"expected {expected}, got {error.Failure}: {error.Message}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    /// <summary>Offset of the first marker 0xFF with one of the given codes (a start-of-frame).</summary>
    private static int FindMarker(byte[] bytes, params byte[] codes)
    {
        for (var i = 2; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == 0xFF && codes.Contains(bytes[i + 1]))
            {
                return i;
            }
        }

        throw new InvalidOperationException("marker not found");
    }

    /// <summary>A grey 8-bit RGB PNG whose IHDR declares the given size, with one tiny IDAT of uniform rows.</summary>
    private static byte[] CraftPng(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // colour type: RGB
        WriteChunk(output, "IHDR", ihdr);

        // Small images get real data; the huge one only a token IDAT (it must never be inflated).
        var raw = (long)width * height <= 1_000_000 ? new byte[height * (1 + (3 * width))] : new byte[16];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = (long)width * height <= 1_000_000 && i % (1 + (3 * width)) != 0 ? (byte)0x80 : (byte)0;
        }

        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Compute(typeAndData));
        output.Write(word);
    }

    private static byte[] Encode(string format, int width, int height)
    {
        using var image = new Image<Rgb24>(width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                image[x, y] = new Rgb24((byte)(x * 4), (byte)(y * 5), (byte)((x * y) % 256));
            }
        }

        using var stream = new MemoryStream();
        switch (format)
        {
            case "gif":
                image.SaveAsGif(stream, new GifEncoder());
                break;
            case "png":
                image.SaveAsPng(stream, new PngEncoder());
                break;
            case "webp":
                image.SaveAsWebp(stream, new WebpEncoder());
                break;
            default:
                image.SaveAsJpeg(stream, new JpegEncoder());
                break;
        }

        return stream.ToArray();
    }
}
