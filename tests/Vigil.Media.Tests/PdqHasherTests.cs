using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Vigil.Media.Tests;

public sealed class PdqHasherTests
{
    [Theory]
    [InlineData(4, 100)]
    [InlineData(100, 4)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    [InlineData(4, 4)]
    public void Images_under_5_pixels_hash_to_zero_with_quality_zero(int width, int height)
    {
        var random = new Random(width * 1000 + height);
        var rgb = new byte[width * height * 3];
        random.NextBytes(rgb);
        foreach (var (_, hasher) in PdqConformanceTests.Hashers())
        {
            var result = hasher.Hash(rgb, width, height);
            Assert.True(result.Hash.IsZero);
            Assert.Equal(0, result.Quality);
            var dihedral = hasher.HashDihedral(rgb, width, height);
            Assert.All(dihedral.All, h => Assert.True(h.IsZero));
            Assert.Equal(0, dihedral.Quality);
        }
    }

    [Fact]
    public void Five_pixels_is_the_smallest_hashed_size()
    {
        var random = new Random(5);
        var luma = Enumerable.Range(0, 25).Select(_ => (float)random.Next(256)).ToArray();
        var result = new PdqHasher().Hash(luma, 5, 5);
        Assert.False(result.Hash.IsZero);
        Assert.Equal(128, result.Hash.PopCount);
    }

    public static TheoryData<int, int> Sizes() => new()
    {
        { 5, 5 }, { 5, 1000 }, { 1000, 5 }, { 7, 9 }, { 8, 8 }, { 13, 17 }, { 63, 65 }, { 64, 64 }, { 65, 64 },
        { 100, 37 }, { 127, 129 }, { 128, 128 }, { 255, 257 }, { 333, 211 }, { 512, 384 }, { 1001, 777 },
    };

    [SkippableAvx2Theory]
    [MemberData(nameof(Sizes))]
    public void Vectorised_path_equals_the_plain_reference_path_on_random_images(int width, int height)
    {
        var random = new Random((width * 7919) + height);
        var rgb = new byte[width * height * 3];
        random.NextBytes(rgb);

        // Smooth content too: random noise alone gives near-median DCT values everywhere.
        for (var i = 0; i < rgb.Length; i++)
        {
            var pixel = i / 3;
            rgb[i] = (byte)(rgb[i] / 4 + (int)(96 + 90 * Math.Sin(pixel % width / 9.0) * Math.Cos(pixel / width / 13.0)));
        }

        var luma = new float[width * height];
        for (var i = 0; i < luma.Length; i++)
        {
            luma[i] = (float)(random.NextDouble() * 255);
        }

        var vector = new PdqHasher(vectorized: true);
        var scalar = new PdqHasher(vectorized: false);
        Assert.Equal(scalar.Hash(rgb, width, height), vector.Hash(rgb, width, height));
        Assert.Equal(scalar.Hash(luma, width, height), vector.Hash(luma, width, height));
        Assert.Equal(scalar.HashDihedral(rgb, width, height), vector.HashDihedral(rgb, width, height));

        // The same hasher reused for another size still agrees (buffers are resized, not stale).
        var other = Enumerable.Range(0, 9 * 7).Select(i => luma[i % luma.Length]).ToArray();
        Assert.Equal(scalar.Hash(other, 9, 7), vector.Hash(other, 9, 7));
    }

    [SkippableAvx2Fact]
    public void Vectorised_downsample_equals_reference_64x64_buffer_exactly()
    {
        var random = new Random(42);
        const int width = 777, height = 333;
        var luma = Enumerable.Range(0, width * height).Select(_ => (float)random.Next(256)).ToArray();
        var a = new float[64 * 64];
        var b = new float[64 * 64];
        new StripDownsampler().Downsample(new FloatLumaSource(luma, width, height), a);
        new ScalarDownsampler().Downsample(new FloatLumaSource(luma, width, height), b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Rgb_luma_uses_the_reference_float32_weights()
    {
        // intermediates: bridge-1 luma[0][0..3] = 46.0499992 46.0499992 44.8110008 43.8110008 (%.9g).
        var image = new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf("decoded/bridge-1-original.1600x1004.png")));
        var rgb = image.Rgb24.Span;
        var luma = new float[image.Width];
        new Rgb24LumaSource(rgb, image.Width, image.Height).FillRow(0, luma);
        var expected = Intermediates.Load("bridge-1-original.1600x1004.png.fullres.txt").LumaStart;
        Assert.Equal(expected, luma[..4]);

        var plain = new float[image.Width];
        for (var j = 0; j < plain.Length; j++)
        {
            plain[j] = (0.299f * rgb[3 * j]) + (0.587f * rgb[(3 * j) + 1]) + (0.114f * rgb[(3 * j) + 2]);
        }

        Assert.Equal(plain, luma);
    }

    [Theory]
    [InlineData("bridge-1-original.1600x1004.png.fullres.txt", "decoded/bridge-1-original.1600x1004.png")]
    [InlineData("pen-and-coaster.png.fullres.txt", "images/reg-test-input/pen-and-coaster.png")]
    public void Intermediate_buffers_match_the_reference_dump(string dump, string image)
    {
        var expected = Intermediates.Load(dump);
        var decoded = new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf(image)));
        Assert.Equal(expected.RowWindow, PdqTransform.JaroszWindowSize(decoded.Width));
        Assert.Equal(expected.ColumnWindow, PdqTransform.JaroszWindowSize(decoded.Height));

        var buffers = new List<float[]>();
        var scalar = new float[64 * 64];
        new ScalarDownsampler().Downsample(new Rgb24LumaSource(decoded.Rgb24.Span, decoded.Width, decoded.Height), scalar);
        buffers.Add(scalar);
        if (Avx2.IsSupported)
        {
            var vector = new float[64 * 64];
            new StripDownsampler().Downsample(new Rgb24LumaSource(decoded.Rgb24.Span, decoded.Width, decoded.Height), vector);
            buffers.Add(vector);
        }

        foreach (var buffer64 in buffers)
        {
            Assert.Equal(expected.Buffer64, buffer64);
            Assert.Equal(expected.Quality, PdqTransform.Quality(buffer64));
            var dct = new float[256];
            PdqTransform.Dct64To16(buffer64, new float[16 * 64], dct);
            Assert.Equal(expected.Dct, dct);
            var scalarDct = new float[256];
            PdqTransform.Dct64To16Scalar(buffer64, new float[16 * 64], scalarDct);
            Assert.Equal(expected.Dct, scalarDct);
            Assert.Equal(expected.Median, dct.Order().ElementAt(127));
            Assert.Equal(expected.Hash, PdqTransform.ToHash(dct));
        }
    }

    [Fact]
    public void A_64x64_input_is_used_without_blur_by_Hash_but_blurred_by_HashDihedral()
    {
        // As the reference: pdqFloat256FromFloatLuma copies a 64x64 input, the dihedral entry point does not.
        var random = new Random(64);
        var luma = Enumerable.Range(0, 64 * 64).Select(i => (float)((i % 64 * 3) + random.Next(40))).ToArray();
        var dct = new float[256];
        PdqTransform.Dct64To16Scalar(luma, new float[16 * 64], dct);
        var direct = new PdqResult(PdqTransform.ToHash(dct), PdqTransform.Quality(luma));

        var blurred64 = new float[64 * 64];
        new ScalarDownsampler().Downsample(new FloatLumaSource(luma, 64, 64), blurred64);
        PdqTransform.Dct64To16Scalar(blurred64, new float[16 * 64], dct);
        var blurred = PdqTransform.ToHash(dct);

        foreach (var (_, hasher) in PdqConformanceTests.Hashers())
        {
            Assert.Equal(direct, hasher.Hash(luma, 64, 64));
            Assert.Equal(blurred, hasher.HashDihedral(luma, 64, 64).Original);
        }
    }

    [Fact]
    public void Dihedral_original_equals_plain_hash()
    {
        var pnm = Pnm.Read(SharedData.PathOf("decoded/q0122.ppm"));
        var hasher = new PdqHasher();
        var plain = hasher.Hash(pnm.Rgb24(), pnm.Width, pnm.Height);
        var dihedral = hasher.HashDihedral(pnm.Rgb24(), pnm.Width, pnm.Height);
        Assert.Equal(plain.Hash, dihedral.Original);
        Assert.Equal(plain.Quality, dihedral.Quality);
        Assert.Equal(8, dihedral.All.Distinct().Count());
    }

    [Fact]
    public void Wrong_buffer_sizes_are_rejected()
    {
        var hasher = new PdqHasher();
        Assert.Throws<ArgumentException>(() => hasher.Hash(new byte[10 * 10 * 3 - 1], 10, 10));
        Assert.Throws<ArgumentException>(() => hasher.Hash(new float[10 * 10 + 1], 10, 10));
        Assert.Throws<ArgumentException>(() => hasher.HashDihedral(new byte[30], 10, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => hasher.Hash(new float[10], -1, 10));
    }

    [Fact]
    public void Non_finite_luma_is_rejected_rather_than_hashed()
    {
        var luma = Enumerable.Repeat(10f, 32 * 32).ToArray();
        luma[100] = float.NaN;
        Assert.Throws<ArgumentException>(() => new PdqHasher().Hash(luma, 32, 32));
    }

    /// <summary>A reference dump in expected/intermediates/.</summary>
    private sealed record Intermediates(
        float[] LumaStart, int RowWindow, int ColumnWindow, int Quality, float[] Buffer64, float[] Dct, float Median, PdqHash Hash)
    {
        public static Intermediates Load(string name)
        {
            var lines = File.ReadAllLines(SharedData.PathOf("expected/intermediates/" + name));
            float[] Floats(IEnumerable<string> rows) =>
                rows.SelectMany(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            int Section(string header) => Array.FindIndex(lines, l => l.StartsWith(header, StringComparison.Ordinal));

            var luma = lines[0][(lines[0].IndexOf('=', StringComparison.Ordinal) + 1)..];
            var windows = lines[Section("# jarosz")].Split(' ');
            var buffer = Section("# buffer64x64");
            var dct = Section("# dct16x16");
            return new Intermediates(
                Floats([luma]),
                int.Parse(windows[4].Split('=')[1]),
                int.Parse(windows[6].Split('=')[1]),
                int.Parse(lines[Section("# quality")].Split(' ')[2]),
                Floats(lines[(buffer + 1)..(buffer + 65)]),
                Floats(lines[(dct + 1)..(dct + 17)]),
                float.Parse(lines[Section("# median")].Split(' ')[2], CultureInfo.InvariantCulture),
                PdqHash.Parse(lines[Section("# hash")].Split(' ')[2]));
        }
    }
}

/// <summary>A fact that is skipped (with a reason) where the processor has no AVX2.</summary>
public sealed class SkippableAvx2FactAttribute : FactAttribute
{
    public SkippableAvx2FactAttribute()
    {
        if (!Avx2.IsSupported)
        {
            Skip = "The vectorised path needs AVX2; this processor has none.";
        }
    }
}

/// <summary>A theory that is skipped (with a reason) where the processor has no AVX2.</summary>
public sealed class SkippableAvx2TheoryAttribute : TheoryAttribute
{
    public SkippableAvx2TheoryAttribute()
    {
        if (!Avx2.IsSupported)
        {
            Skip = "The vectorised path needs AVX2; this processor has none.";
        }
    }
}
