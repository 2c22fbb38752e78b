using System.Text.Json;

namespace Vigil.Text.Data;

/// <summary>One labelled post of a dataset in <c>../shared/data</c> (JSON Lines: id, text, label, extra fields).</summary>
/// <param name="Set">The dataset's folder name, e.g. <c>stormfront</c>.</param>
/// <param name="Id">The row's id.</param>
/// <param name="Text">The post.</param>
/// <param name="Label">extremist, pro_isis_account, hate, offensive, news or none.</param>
/// <param name="MentionsTerrorism">For news rows: whether the article is about terrorism.</param>
public sealed record LabelledPost(string Set, string Id, string Text, string Label, bool MentionsTerrorism = false);

/// <summary>Reads the labelled datasets (see <c>../shared/data/README.md</c>).</summary>
public static class LabelledData
{
    public static readonly string[] KnownSets =
    [
        "isis-tweets-labelled", "isis-accounts", "stormfront", "davidson", "mlma-en", "mlma-fr", "mlma-ar", "l-hsab", "ag-news",
    ];

    /// <summary>Reads <c>{set}/{set}.{split}.jsonl</c> under <paramref name="dataRoot"/>.</summary>
    public static IReadOnlyList<LabelledPost> Load(string dataRoot, string set, string split)
    {
        string path = Path.Combine(dataRoot, set, $"{set}.{split}.jsonl");
        return ReadJsonl(path, set);
    }

    /// <summary>Reads any labelled JSON Lines file with at least <c>text</c> and <c>label</c>.</summary>
    public static IReadOnlyList<LabelledPost> ReadJsonl(string path, string set)
    {
        var rows = new List<LabelledPost>();
        int line = 0;
        foreach (var json in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(json))
            {
                continue;
            }

            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                string text = root.GetProperty("text").GetString() ?? "";
                string label = root.GetProperty("label").GetString() ?? "";
                string id = root.TryGetProperty("id", out var idElement) ? idElement.ToString() : $"{set}-{line}";
                bool mentions = root.TryGetProperty("mentions_terrorism", out var m) && m.ValueKind == JsonValueKind.True;
                rows.Add(new LabelledPost(set, id, text, label, mentions));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}:{line}: not a labelled post ({e.Message})", e);
            }
        }

        return rows;
    }
}
