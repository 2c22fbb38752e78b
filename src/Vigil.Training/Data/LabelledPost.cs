using System.Text.Json;

namespace Vigil.Training.Data;

/// <summary>One labelled post of a dataset in <c>../shared/data</c> (JSON Lines: id, text, label, extra fields).</summary>
/// <param name="Set">The dataset's folder name (<see cref="Dataset.Name"/>), or the name of another labelled file or sentence set.</param>
/// <param name="Id">The row's id.</param>
/// <param name="Text">The post.</param>
/// <param name="Label">extremist, pro_isis_account, hate, offensive, news or none (<see cref="DatasetLabels"/>).</param>
/// <param name="MentionsTerrorism">For news rows: whether the article is about terrorism.</param>
public sealed record LabelledPost(string Set, string Id, string Text, string Label, bool MentionsTerrorism = false);

/// <summary>Reads labelled JSON Lines files (see <c>../shared/data/README.md</c>; the sets themselves are in <see cref="DatasetCatalogue"/>).</summary>
public static class LabelledData
{
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
