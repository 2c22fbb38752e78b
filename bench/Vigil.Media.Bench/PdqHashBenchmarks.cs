using BenchmarkDotNet.Attributes;

namespace Vigil.Media.Bench;

/// <summary>PDQ on one core at three sizes, from RGB pixels and from JPEG bytes.</summary>
[MemoryDiagnoser]
public class PdqHashBenchmarks
{
    private readonly PdqHasher _hasher = new();
    private readonly ImageDecoder _decoder = new();
    private byte[] _rgb = [];
    private byte[] _jpeg = [];
    private int _width;
    private int _height;

    [Params("512x512", "1600x1004", "4032x3024")]
    public string Size { get; set; } = "512x512";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x');
        (_width, _height) = (int.Parse(parts[0]), int.Parse(parts[1]));
        (_rgb, _jpeg) = BenchData.Image(_width, _height);
    }

    [Benchmark(Baseline = true, Description = "PDQ hash (decode excluded)")]
    public PdqHash Hash() => _hasher.Hash(_rgb, _width, _height).Hash;

    [Benchmark(Description = "8 dihedral hashes (decode excluded)")]
    public PdqHash HashDihedral() => _hasher.HashDihedral(_rgb, _width, _height).Rotate90;

    [Benchmark(Description = "JPEG decode + PDQ hash")]
    public PdqHash DecodeAndHash() => _hasher.Hash(_decoder.Decode(_jpeg)).Hash;
}
