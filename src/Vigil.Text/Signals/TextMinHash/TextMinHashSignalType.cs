using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Core.Signals;

namespace Vigil.Text.Signals;

/// <summary>A bank's <c>text_minhash</c> settings.</summary>
/// <param name="Threshold">The least similarity (estimated Jaccard similarity of the canonical texts' character 4-grams,
/// 0.2-1) that is a match; default 0.5, which finds 97% of typically edited copies of banked posts with a precision of
/// 0.9999 (docs/quality.md).</param>
public sealed record TextMinHashSettings(double Threshold = TextMinHash.DefaultThreshold) : SignalSettings
{
    public override JsonObject ToJson() => new() { ["threshold"] = Threshold };
}

/// <summary>
/// <c>text_minhash</c>: a MinHash signature of a text's canonical form (128 one-byte values of its character 4-grams, 256
/// hex digits), matched by similarity: a known statement or leaflet re-posted with words inserted, removed or changed,
/// sentences reordered, or evasions. A bank stores signatures, never texts. Texts of fewer than five words have none.
/// The index is MinHash LSH (banding chosen for the lowest threshold of the banks that use it), so a lookup in a million
/// entries compares a handful of candidates.
/// </summary>
public sealed class TextMinHashSignalType : SignalType
{
    public override string Name => TextMinHash.Name;

    public override string Description => "MinHash of a text's character 4-grams (256 hex digits), matched by similarity (near-duplicates).";

    public override IReadOnlyList<string> PartTypes { get; } = [Core.Content.PartTypes.Text];

    public override SignalSettings DefaultSettings { get; } = new TextMinHashSettings();

    public override string? Normalize(string? value, out string normalized) => MinHashSignature.Normalize(value, out normalized);

    public override IEnumerable<ContentHash> Hash(PartView part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return part.Part.Text is { } text && TextMinHash.Compute(text) is { } signature ? [new ContentHash(Name, signature.ToHex())] : [];
    }

    public override SignalSettings ParseSettings(JsonObject? json)
    {
        if (json is null)
        {
            return DefaultSettings;
        }

        double threshold = TextMinHash.DefaultThreshold;
        foreach (var (key, value) in json)
        {
            if (key != "threshold")
            {
                throw new FormatException($"text_minhash has no setting '{key}' (threshold).");
            }

            threshold = value is JsonValue v && v.TryGetValue(out double t) && t >= MinHashLshIndex.MinSupportedThreshold && t <= 1
                ? t
                : throw new FormatException($"the text_minhash setting threshold must be a number {MinHashLshIndex.MinSupportedThreshold}-1, not {value?.ToJsonString() ?? "null"}");
        }

        return new TextMinHashSettings(threshold);
    }

    public override ISignalIndex CreateIndex(IReadOnlyList<string> values, IReadOnlyCollection<SignalSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(settings);
        var signatures = new MinHashSignature[values.Count];
        var ids = new long[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            signatures[i] = MinHashSignature.Parse(values[i]);
            ids[i] = i;
        }

        double lowest = settings.Count == 0 ? TextMinHash.DefaultThreshold : settings.Min(s => ((TextMinHashSettings)s).Threshold);
        return new Index(MinHashLshIndex.Build(signatures, ids, lowest));
    }

    /// <summary>The distance of a hit is 1 - similarity.</summary>
    public override bool Accepts(double distance, SignalSettings settings) => 1 - distance >= ((TextMinHashSettings)settings).Threshold - 1e-9;

    /// <summary>1 for identical signatures, falling linearly to 0.5 at the bank's threshold.</summary>
    public override double Closeness(double distance, SignalSettings settings)
    {
        double threshold = ((TextMinHashSettings)settings).Threshold;
        return threshold >= 1 ? 1 : Math.Clamp(1 - (0.5 * distance / (1 - threshold)), 0.5, 1);
    }

    public override string DescribeMatch(double distance, SignalSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"text_minhash similarity {1 - distance:0.00} (threshold {((TextMinHashSettings)settings).Threshold:0.00})");

    private sealed class Index(MinHashLshIndex index) : ISignalIndex
    {
        [ThreadStatic]
        private static List<MinHashMatch>? t_matches;

        public int Count => index.Count;

        public void Search(ContentHash query, List<IndexHit> hits)
        {
            if (!MinHashSignature.TryParse(query.Value, out var signature))
            {
                return;
            }

            var matches = t_matches ??= [];
            matches.Clear();
            index.Search(signature, index.MinThreshold, matches);
            foreach (var match in matches)
            {
                hits.Add(new IndexHit((int)match.Id, 1 - match.Similarity));
            }
        }
    }
}
