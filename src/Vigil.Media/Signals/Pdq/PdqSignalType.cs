using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Core.Signals;

namespace Vigil.Media.Signals.Pdq;

/// <summary>A bank's PDQ settings.</summary>
/// <param name="Threshold">Largest Hamming distance that is a match (0-63; default 31, upstream's).</param>
/// <param name="MinQuality">Images whose PDQ quality is under this (0-100; default 50, where upstream discards hashes)
/// are not matched against the bank's PDQ entries.</param>
public sealed record PdqSettings(int Threshold = PdqSettings.DefaultThreshold, int MinQuality = PdqSettings.DefaultMinQuality) : SignalSettings
{
    /// <summary>Upstream's PDQ match threshold.</summary>
    public const int DefaultThreshold = PdqIndex.DefaultMaxDistance;

    /// <summary>Upstream discards PDQ hashes with quality under 50.</summary>
    public const int DefaultMinQuality = 50;

    public override JsonObject ToJson() => new() { ["threshold"] = Threshold, ["min_quality"] = MinQuality };
}

/// <summary>
/// PDQ, Meta's perceptual hash of images (256 bits, 64 hex digits), matched within a Hamming distance: re-encoded,
/// resized or slightly edited copies of an image stay close. Hashes the decoded pixels of image parts; an image that
/// does not decode has no PDQ hash. An all-zero hash (what images under 5 pixels hash to) is refused: it would match
/// every such image.
/// </summary>
public sealed class PdqSignalType : SignalType
{
    [ThreadStatic]
    private static PdqHasher? t_hasher;

    public override string Name => "pdq";

    public override string Description => "PDQ perceptual hash of an image (64 hex digits), matched within a Hamming distance.";

    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Image];

    public override SignalSettings DefaultSettings { get; } = new PdqSettings();

    public override string? Normalize(string? value, out string normalized)
    {
        if (NormalizeHex(value, PdqHash.HexLength, out normalized) is { } problem)
        {
            return problem;
        }

        if (normalized.AsSpan().IndexOfAnyExcept('0') < 0)
        {
            normalized = "";
            return "an all-zero PDQ hash carries no signal";
        }

        return null;
    }

    public override IEnumerable<ContentHash> Hash(PartView part)
    {
        ArgumentNullException.ThrowIfNull(part);
        if (part.Feature<DecodedImage>() is not { } image)
        {
            return [];
        }

        var result = (t_hasher ??= new PdqHasher()).Hash(image);
        return result.Hash.IsZero ? [] : [new ContentHash(Name, result.Hash.ToString(), result.Quality)];
    }

    public override SignalSettings ParseSettings(JsonObject? json)
    {
        if (json is null)
        {
            return DefaultSettings;
        }

        int threshold = PdqSettings.DefaultThreshold, minQuality = PdqSettings.DefaultMinQuality;
        foreach (var (key, value) in json)
        {
            switch (key)
            {
                case "threshold":
                    threshold = Integer(value, key, 0, PdqIndex.MaxSupportedDistance);
                    break;
                case "min_quality":
                    minQuality = Integer(value, key, 0, 100);
                    break;
                default:
                    throw new FormatException($"pdq has no setting '{key}' (threshold, min_quality).");
            }
        }

        return new PdqSettings(threshold, minQuality);
    }

    public override ISignalIndex CreateIndex(IReadOnlyList<string> values, IReadOnlyCollection<SignalSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(settings);
        var hashes = new PdqHash[values.Count];
        var ids = new long[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            hashes[i] = PdqHash.Parse(values[i]);
            ids[i] = i;
        }

        int maxDistance = settings.Count == 0 ? 0 : settings.Max(s => ((PdqSettings)s).Threshold);
        return new Index(PdqIndex.Build(hashes, ids, maxDistance));
    }

    public override string? Skip(ContentHash query, SignalSettings settings)
    {
        var pdq = (PdqSettings)settings;
        return query.Quality is { } quality && quality < pdq.MinQuality
            ? $"PDQ quality {quality} is under the bank's minimum {pdq.MinQuality}"
            : null;
    }

    public override bool Accepts(double distance, SignalSettings settings) => distance <= ((PdqSettings)settings).Threshold;

    /// <summary>1 at distance 0, falling linearly to 0.5 just past the bank's threshold <c>T</c>: <c>1 - 0.5 d / (T + 1)</c>.</summary>
    public override double Closeness(double distance, SignalSettings settings) => 1 - (0.5 * distance / (((PdqSettings)settings).Threshold + 1));

    public override string DescribeMatch(double distance, SignalSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"pdq distance {distance} of {((PdqSettings)settings).Threshold}");

    private static int Integer(JsonNode? value, string key, int min, int max) =>
        value is JsonValue v && v.TryGetValue(out int n) && n >= min && n <= max
            ? n
            : throw new FormatException($"the pdq setting {key} must be a whole number {min}-{max}, not {value?.ToJsonString() ?? "null"}");

    private sealed class Index(PdqIndex index) : ISignalIndex
    {
        [ThreadStatic]
        private static List<PdqMatch>? t_matches;

        public int Count => index.Count;

        public void Search(ContentHash query, List<IndexHit> hits)
        {
            if (!PdqHash.TryParse(query.Value, out var hash))
            {
                return;
            }

            var matches = t_matches ??= [];
            matches.Clear();
            index.Search(hash, index.MaxDistance, matches);
            foreach (var match in matches)
            {
                hits.Add(new IndexHit((int)match.Id, match.Distance));
            }
        }
    }
}
