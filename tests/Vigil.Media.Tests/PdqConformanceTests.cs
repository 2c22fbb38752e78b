using System.Runtime.Intrinsics.X86;

namespace Vigil.Media.Tests;

/// <summary>Rule (1) of upstream's acceptance: given the reference's decoded pixels, the hash is exact.</summary>
public sealed class PdqConformanceTests
{
    public static TheoryData<string> DecodedFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(SharedData.PathOf("decoded")).Select(Path.GetFileName).Order())
        {
            // The 512x512 files are cpp-tool inputs (after its resize); fullres.csv leaves them out.
            if (ExpectedHashes.FullRes.ContainsKey("decoded/" + file))
            {
                data.Add(file!);
            }
        }

        return data;
    }

    /// <summary>Every hasher path available on this machine: vectorised (AVX2) and plain.</summary>
    internal static IEnumerable<(string Name, PdqHasher Hasher)> Hashers()
    {
        yield return ("scalar", new PdqHasher(vectorized: false));
        if (Avx2.IsSupported)
        {
            yield return ("avx2", new PdqHasher(vectorized: true));
        }
    }

    [Fact]
    public void Every_decoded_file_except_cpp_tool_inputs_has_an_expected_row()
    {
        var files = Directory.GetFiles(SharedData.PathOf("decoded")).Select(Path.GetFileName).ToArray();
        Assert.Equal(14, DecodedFiles().Count);
        Assert.All(files.Where(f => !f!.Contains(".512x512.", StringComparison.Ordinal)),
            f => Assert.True(ExpectedHashes.FullRes.ContainsKey("decoded/" + f), f));
    }

    [Theory]
    [MemberData(nameof(DecodedFiles))]
    public void Hash_and_quality_match_the_reference_bit_for_bit(string file)
    {
        var (expectedHash, expectedQuality) = ExpectedHashes.FullRes["decoded/" + file];
        foreach (var (name, hasher) in Hashers())
        {
            foreach (var (input, result) in HashAllWays(hasher, file))
            {
                Assert.True(expectedHash == result.Hash,
                    $"{file} via {name}/{input}: expected {expectedHash}, got {result.Hash} (distance {expectedHash.Distance(result.Hash)})");
                Assert.Equal(expectedQuality, result.Quality);
            }
        }
    }

    [Theory]
    [MemberData(nameof(DecodedFiles))]
    public void Dihedral_hashes_match_the_reference_bit_for_bit(string file)
    {
        var (expected, expectedQuality) = ExpectedHashes.FullResDihedral["decoded/" + file];
        foreach (var (name, hasher) in Hashers())
        {
            var result = HashDihedral(hasher, file);
            Assert.Equal(expectedQuality, result.Quality);
            for (var i = 0; i < 8; i++)
            {
                Assert.True(expected[i] == result.All[i], $"{file} via {name}, transform {i}: expected {expected[i]}, got {result.All[i]}");
            }
        }
    }

    [Fact]
    public void Opaque_png_images_match_exactly_after_dropping_alpha()
    {
        // README: their RGB equals ImageMagick's output byte for byte.
        foreach (var file in new[] { "images/reg-test-input/pen-and-coaster.png", "images/misc-images/c.png" })
        {
            var image = new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf(file)));
            foreach (var (name, hasher) in Hashers())
            {
                var result = hasher.Hash(image);
                Assert.True(ExpectedHashes.FullRes[file].Hash == result.Hash, $"{file} via {name}: got {result.Hash}");
                Assert.Equal(ExpectedHashes.FullRes[file].Quality, result.Quality);
                var dihedral = hasher.HashDihedral(image);
                Assert.Equal(ExpectedHashes.FullResDihedral[file].Hashes, dihedral.All);
            }
        }
    }

    [Fact]
    public void Java_reference_values_and_distances_hold()
    {
        // upstream-expected/java-PDQHasherTest.csv and its distance assertions.
        var java = SharedData.Lines("upstream-expected/java-PDQHasherTest.csv")
            .Select(l => l.Split(','))
            .ToDictionary(f => f[1], f => PdqHash.Parse(f[0]));
        var bridge1 = ExpectedHashes.FullRes["images/reg-test-input/dih/bridge-1-original.jpg"].Hash;
        var bridge2 = ExpectedHashes.FullRes["images/reg-test-input/dih/bridge-2-rotate-90.jpg"].Hash;
        Assert.Equal(java["reg-test-input/dih/bridge-1-original.jpg"], bridge1);
        Assert.Equal(java["reg-test-input/dih/bridge-2-rotate-90.jpg"], bridge2);

        var hasher = new PdqHasher();
        var decoded = hasher.Hash(new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf("decoded/bridge-1-original.1600x1004.png"))));
        var pen = hasher.Hash(new ImageDecoder().Decode(File.ReadAllBytes(SharedData.PathOf("images/reg-test-input/pen-and-coaster.png"))));
        Assert.Equal(bridge1, decoded.Hash);
        Assert.Equal(120, decoded.Hash.Distance(bridge2));
        Assert.Equal(138, decoded.Hash.Distance(pen.Hash));
    }

    private static IEnumerable<(string Input, PdqResult Result)> HashAllWays(PdqHasher hasher, string file)
    {
        var path = SharedData.PathOf("decoded/" + file);
        if (file.EndsWith(".png", StringComparison.Ordinal))
        {
            var image = new ImageDecoder().Decode(File.ReadAllBytes(path));
            yield return ("rgb24", hasher.Hash(image));
            yield break;
        }

        var pnm = Pnm.Read(path);
        yield return ("luma", hasher.Hash(pnm.Luma(), pnm.Width, pnm.Height));
        if (!pnm.IsGrey)
        {
            // For grey files the reference used luma = v, so only the float path is exact by definition.
            yield return ("rgb24", hasher.Hash(pnm.Rgb24(), pnm.Width, pnm.Height));
        }
    }

    private static PdqDihedralResult HashDihedral(PdqHasher hasher, string file)
    {
        var path = SharedData.PathOf("decoded/" + file);
        if (file.EndsWith(".png", StringComparison.Ordinal))
        {
            return hasher.HashDihedral(new ImageDecoder().Decode(File.ReadAllBytes(path)));
        }

        var pnm = Pnm.Read(path);
        return hasher.HashDihedral(pnm.Luma(), pnm.Width, pnm.Height);
    }
}
