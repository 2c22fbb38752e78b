namespace Vigil.Media;

/// <summary>A PDQ hash and its quality (0-100). Upstream discards hashes with quality below 50.</summary>
public readonly record struct PdqResult(PdqHash Hash, int Quality);

/// <summary>
/// The PDQ hashes of the eight dihedral transforms of one image, derived from its DCT as the
/// reference does (no re-hashing of transformed pixels), plus the shared quality.
/// </summary>
public sealed record PdqDihedralResult(
    PdqHash Original,
    PdqHash Rotate90,
    PdqHash Rotate180,
    PdqHash Rotate270,
    PdqHash FlipX,
    PdqHash FlipY,
    PdqHash FlipPlus1,
    PdqHash FlipMinus1,
    int Quality)
{
    /// <summary>
    /// The eight hashes in the reference's order: original, rot90, rot180, rot270, flipx, flipy,
    /// flipplus1, flipminus1.
    /// </summary>
    public IReadOnlyList<PdqHash> All =>
        [Original, Rotate90, Rotate180, Rotate270, FlipX, FlipY, FlipPlus1, FlipMinus1];
}
