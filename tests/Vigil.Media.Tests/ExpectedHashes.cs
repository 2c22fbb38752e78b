namespace Vigil.Media.Tests;

/// <summary>Rows of expected/fullres.csv and expected/fullres-dihedral.csv.</summary>
internal static class ExpectedHashes
{
    public static IReadOnlyDictionary<string, (PdqHash Hash, int Quality)> FullRes { get; } =
        SharedData.Lines("expected/fullres.csv")
            .Select(l => l.Split(','))
            .ToDictionary(f => f[2], f => (PdqHash.Parse(f[0]), int.Parse(f[1])));

    public static IReadOnlyDictionary<string, (PdqHash[] Hashes, int Quality)> FullResDihedral { get; } =
        SharedData.Lines("expected/fullres-dihedral.csv")
            .Select(l => l.Split(','))
            .ToDictionary(f => f[9], f => (f[..8].Select(PdqHash.Parse).ToArray(), int.Parse(f[8])));
}
