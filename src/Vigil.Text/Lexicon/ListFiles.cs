using Vigil.Core;
using Vigil.Core.Formats;

namespace Vigil.Text.Lexicon;

/// <summary>
/// Reads and writes Vigil's list files: CSV with a header row. Designation lists have the columns
/// <c>name,aliases,kind,reference,listed_on,list,source_url,as_of,notes</c> (only <c>name</c> and <c>list</c> are
/// required); coded-term lists have <c>term,variants,category,strength,lang,note,source</c>. Several values in
/// one field are separated by <c>" | "</c>.
/// </summary>
public static class ListFiles
{
    public static readonly string[] DesignationColumns = ["name", "aliases", "kind", "reference", "listed_on", "list", "source_url", "as_of", "notes"];

    /// <summary>Reads a designation list. Rows without a name are reported in <paramref name="problems"/> and skipped.</summary>
    public static IReadOnlyList<LexiconEntry> ReadDesignations(TextReader reader, string fileName, List<string> problems)
    {
        var entries = new List<LexiconEntry>();
        foreach (var (line, row) in ReadRows(reader, fileName, problems))
        {
            string name = row.GetValueOrDefault("name", "").Trim();
            string list = row.GetValueOrDefault("list", "").Trim();
            if (name.Length == 0 || list.Length == 0)
            {
                problems.Add($"{fileName}:{line}: a row needs a name and a list; skipped");
                continue;
            }

            var forms = new List<string> { name };
            forms.AddRange(SplitMulti(row.GetValueOrDefault("aliases")));
            string kind = row.GetValueOrDefault("kind") is { Length: > 0 } k ? k.Trim() : "entity";
            entries.Add(new LexiconEntry(
                name,
                forms,
                list,
                kind,
                Taxonomy.TerrorismSupport.Id,
                TermStrength.Strong,
                Reference: Blank(row.GetValueOrDefault("reference")),
                ListedOn: Blank(row.GetValueOrDefault("listed_on")),
                Source: Blank(row.GetValueOrDefault("source_url")),
                Note: Blank(row.GetValueOrDefault("notes"))));
        }

        return entries;
    }

    /// <summary>Reads a coded-terms list. Rows with an unknown category or strength are reported and skipped.</summary>
    public static IReadOnlyList<LexiconEntry> ReadCodedTerms(TextReader reader, string fileName, List<string> problems)
    {
        var entries = new List<LexiconEntry>();
        foreach (var (line, row) in ReadRows(reader, fileName, problems))
        {
            string term = row.GetValueOrDefault("term", "").Trim();
            string category = row.GetValueOrDefault("category", "").Trim();
            string strength = row.GetValueOrDefault("strength", "").Trim();
            if (term.Length == 0 || !Taxonomy.TryGet(category, out _) || strength is not ("strong" or "weak"))
            {
                problems.Add($"{fileName}:{line}: a coded term needs a term, a known category and a strength of strong or weak; skipped");
                continue;
            }

            var forms = new List<string> { term };
            forms.AddRange(SplitMulti(row.GetValueOrDefault("variants")));
            entries.Add(new LexiconEntry(
                term,
                forms,
                "vigil-coded-terms",
                "coded_term",
                category,
                strength == "strong" ? TermStrength.Strong : TermStrength.Weak,
                Source: Blank(row.GetValueOrDefault("source")),
                Note: Blank(row.GetValueOrDefault("note"))));
        }

        return entries;
    }

    public static void WriteDesignations(TextWriter writer, IEnumerable<DesignationRow> rows)
    {
        var csv = new CsvWriter(writer);
        csv.WriteRecord(DesignationColumns);
        foreach (var r in rows)
        {
            csv.WriteRecord([r.Name, string.Join(" | ", r.Aliases), r.Kind, r.Reference, r.ListedOn, r.List, r.SourceUrl, r.AsOf, r.Notes]);
        }
    }

    private static IEnumerable<(long Line, Dictionary<string, string> Row)> ReadRows(TextReader reader, string fileName, List<string> problems)
    {
        var csv = new CsvReader(reader);
        string[]? header = null;
        foreach (var record in csv.ReadAll())
        {
            if (record.Error is not null)
            {
                problems.Add($"{fileName}:{record.Line}: {record.Error}; skipped");
                continue;
            }

            if (header is null)
            {
                header = [.. record.Fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant())];
                continue;
            }

            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < header.Length && i < record.Fields.Count; i++)
            {
                row[header[i]] = record.Fields[i];
            }

            yield return (record.Line, row);
        }
    }

    private static string[] SplitMulti(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One row of a designation list file.</summary>
public sealed record DesignationRow(
    string Name,
    IReadOnlyList<string> Aliases,
    string Kind,
    string? Reference,
    string? ListedOn,
    string List,
    string? SourceUrl,
    string? AsOf,
    string? Notes);
