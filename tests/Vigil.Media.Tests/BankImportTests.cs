using System.Text;
using Vigil.Core.Banks;
using Vigil.Core.Signals;
using Vigil.Moderation;

namespace Vigil.Media.Tests;

public class BankImportTests
{
    private const string Pdq1 = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22";
    private const string Pdq2 = "30a10efd71c83f429013d48d0ffffc52e34e0e17ada952a9d29685211ea9e5af";
    private const string Md5 = "0123456789abcdef0123456789abcdef";
    private const string Sha = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";

    private static readonly SignalTypeRegistry Types = VigilSignalTypes.Default;

    private static List<BankFileRow> Read(string text, BankFileFormat format, BankImportOptions? options = null) =>
        [.. BankImporter.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), format, options ?? new BankImportOptions(Types))];

    [Fact]
    public void Plain_lists_skip_bad_lines_with_their_numbers_and_keep_the_rest()
    {
        var rows = Read(
            $"# a comment\n{Pdq1}\n\nnot-a-hash\n{Pdq2.ToUpperInvariant()}\n{Pdq1[..60]}\n{new string('0', 64)}\nmd5 {Md5}\nsha1 {Md5}\n{Pdq2},87,images/x.jpg\n{Md5}\n",
            BankFileFormat.Plain);

        var entries = rows.Where(r => r.Entry is not null).Select(r => (r.Line, r.Entry!.SignalType, r.Entry.Value)).ToList();
        Assert.Equal(
            [(2, "pdq", Pdq1), (5, "pdq", Pdq2), (8, "md5", Md5), (10, "pdq", Pdq2), (11, "md5", Md5)],
            entries.Select(e => ((int)e.Line, e.SignalType, e.Value)));
        var problems = rows.Where(r => r.Problem is not null).ToDictionary(r => r.Line, r => r.Problem!);
        Assert.Equal([4L, 6, 7, 9], problems.Keys.Order());
        Assert.Contains("64 hex digits", problems[6], StringComparison.Ordinal);
        Assert.Contains("all-zero", problems[7], StringComparison.Ordinal);
        Assert.Contains("unknown signal type 'sha1'", problems[9], StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_lists_take_the_signal_type_and_default_labels_from_the_options()
    {
        var options = new BankImportOptions(Types, Types.Get("sha256"), new BankLabels(Category: "terrorism.emblem", Organisation: "Example Org"), "list-2024");
        var rows = Read($"{Sha}\n", BankFileFormat.Plain, options);
        var entry = Assert.Single(rows).Entry!;
        Assert.Equal("sha256", entry.SignalType);
        Assert.Equal("terrorism.emblem", entry.LabelsOrNone.Category);
        Assert.Equal("Example Org", entry.LabelsOrNone.Organisation);
        Assert.Equal("list-2024", entry.Source);
    }

    [Fact]
    public void Default_labels_with_an_unknown_category_make_every_row_bad()
    {
        var rows = Read($"{Pdq1}\n", BankFileFormat.Plain, new BankImportOptions(Types, Labels: new BankLabels(Category: "no.such")));
        Assert.Contains("unknown category 'no.such'", Assert.Single(rows).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Needles_file_imports_whole()
    {
        using var stream = File.OpenRead(SharedData.PathOf("hash-lists/needles.txt"));
        var rows = BankImporter.Read(stream, BankFileFormat.Plain, new BankImportOptions(Types)).ToList();
        Assert.Equal(SharedData.Lines("hash-lists/needles.txt").Length, rows.Count);
        Assert.All(rows, r => Assert.Null(r.Problem));
    }

    [Fact]
    public void ThreatExchange_csv_reads_python_threatexchange_columns_and_reports_bad_rows()
    {
        var csv = new StringBuilder()
            .Append("signal_type,signal_str,collab,category,tags\n")
            .Append($"pdq,{Pdq1},Sample Collab,TRUE_POSITIVE,terrorism.emblem flag\n")
            .Append($"video_md5,{Md5},Sample Collab,WORTH_INVESTIGATING,\n")
            .Append($"url,https://example.com,Sample Collab,TRUE_POSITIVE,\n")
            .Append($"pdq,{Pdq2},Sample Collab,MAYBE,\n")
            .Append($"pdq,\"{Pdq2}\",\"Collab, with comma\",FALSE_POSITIVE,\"meme\"\n")
            .Append($"pdq,\"{Pdq1}\"x,broken,TRUE_POSITIVE,\n")
            .Append($"pdq,{Pdq1[..10]},short,,\n")
            .ToString();

        var rows = Read(csv, BankFileFormat.ThreatExchangeCsv);

        var good = rows.Where(r => r.Entry is not null).ToList();
        Assert.Equal([2L, 3, 6], good.Select(r => r.Line));
        var first = good[0].Entry!;
        Assert.Equal("pdq", first.SignalType);
        Assert.Equal("terrorism.emblem", first.LabelsOrNone.Category);
        Assert.Equal(["flag"], first.LabelsOrNone.TagList);
        Assert.Equal("Sample Collab", first.Source);
        Assert.Equal(BankOpinion.Investigate, good[1].Entry!.Opinion);
        Assert.Equal("md5", good[1].Entry!.SignalType);
        Assert.Equal(BankOpinion.FalsePositive, good[2].Entry!.Opinion);
        Assert.Equal("Collab, with comma", good[2].Entry!.Source);

        var bad = rows.Where(r => r.Problem is not null).ToDictionary(r => r.Line, r => r.Problem!);
        Assert.Equal([4L, 5, 7, 8], bad.Keys.Order());
        Assert.Contains("unknown signal type 'url'", bad[4], StringComparison.Ordinal);
        Assert.Contains("unknown category 'MAYBE'", bad[5], StringComparison.Ordinal);
        Assert.Contains("closing quote", bad[7], StringComparison.Ordinal);
    }

    [Fact]
    public void ThreatExchange_csv_without_the_required_header_is_one_problem()
    {
        var rows = Read($"type,hash\npdq,{Pdq1}\n", BankFileFormat.ThreatExchangeCsv);
        var row = Assert.Single(rows);
        Assert.Equal(1, row.Line);
        Assert.Contains("signal_type and signal_str", row.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Tat_json_reads_entries_deletions_and_dates_and_reports_bad_records_by_line()
    {
        var json = $$"""
            [
              {"hash_digest": "{{Pdq1}}", "algorithm": "PDQ", "ideology": "far-right", "file_type": "jpg", "deleted": false,
               "created_on": "2025-03-03 23:05:22,587", "updated_on": 1704901040.222779, "id": 2819},
              {"hash_digest": "{{Md5}}", "algorithm": "MD5", "ideology": "islamist", "file_type": "mp4", "deleted": true, "id": 2820},
              {"hash_digest": "{{Md5}}", "algorithm": "TMK", "deleted": false},
              "not an object",
              {"algorithm": "PDQ"},
              {"hash_digest": "{{Sha}}", "algorithm": "SHA256", "created_on": "yesterday"},
              {"hash_digest": "{{Sha}}", "algorithm": "sha256", "created_on": "2024-01-02T03:04:05Z"}
            ]
            """;

        var rows = Read(json, BankFileFormat.TatJson);

        Assert.Equal(7, rows.Count);
        var first = rows[0].Entry!;
        Assert.Equal(2, rows[0].Line);
        Assert.Equal("pdq", first.SignalType);
        Assert.Equal("far-right", first.LabelsOrNone.Ideology);
        Assert.Equal("jpg", first.FileType);
        Assert.Equal("2819", first.ExternalId);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 23, 5, 22, 587, TimeSpan.Zero), first.CreatedOn);
        Assert.Equal(1704901040223L, first.UpdatedOn!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(new BankEntryKey("md5", Md5), rows[1].Deletion);
        Assert.Equal(4, rows[1].Line);
        Assert.Contains("'TMK' is not supported", rows[2].Problem, StringComparison.Ordinal);
        Assert.Equal(5, rows[2].Line);
        Assert.Contains("JSON object", rows[3].Problem, StringComparison.Ordinal);
        Assert.Equal(6, rows[3].Line);
        Assert.Contains("hash_digest", rows[4].Problem, StringComparison.Ordinal);
        Assert.Contains("created_on", rows[5].Problem, StringComparison.Ordinal);
        Assert.Equal(8, rows[5].Line);
        Assert.Equal("sha256", rows[6].Entry!.SignalType);
    }

    [Fact]
    public void Tat_json_reads_api_pages_and_json_lines_and_stops_at_broken_json_keeping_what_came_before()
    {
        var page = $$"""{"count": 2, "next": null, "checkpoint": "1,2", "results": [{"hash_digest": "{{Pdq1}}", "algorithm": "PDQ"}, {"hash_digest": "{{Pdq2}}", "algorithm": "PDQ"}]}""";
        Assert.Equal(2, Read(page, BankFileFormat.TatJson).Count(r => r.Entry is not null));

        var lines = $"{{\"hash_digest\": \"{Pdq1}\", \"algorithm\": \"PDQ\"}}\n{{\"hash_digest\": \"{Md5}\", \"algorithm\": \"MD5\"}}\n{{\"hash_digest\": ";
        var rows = Read(lines, BankFileFormat.TatJson);
        Assert.Equal(2, rows.Count(r => r.Entry is not null));
        var broken = rows.Single(r => r.Problem is not null);
        Assert.Equal(3, broken.Line);
        Assert.Contains("invalid JSON", broken.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BankFileFormat.ThreatExchangeCsv)]
    [InlineData(BankFileFormat.TatJson)]
    public void Export_then_import_keeps_every_field(BankFileFormat format)
    {
        var entries = new[]
        {
            new BankEntry("pdq", Pdq1, new BankLabels("Example Org", "islamist", "terrorism.propaganda", ["poster", "v2"]), "Collab \"A\", east", "77",
                BankOpinion.Investigate, 0.75, "png", new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), new DateTimeOffset(2024, 6, 1, 0, 0, 0, 500, TimeSpan.Zero)),
            new BankEntry("md5", Md5, Opinion: BankOpinion.FalsePositive),
            new BankEntry("sha256", Sha, new BankLabels(Category: "hate")),
        };
        using var buffer = new MemoryStream();
        Assert.Equal(3, BankExporter.Write(buffer, entries, format, Types));

        var rows = BankImporter.Read(new MemoryStream(buffer.ToArray()), format, new BankImportOptions(Types)).ToList();

        Assert.All(rows, r => Assert.Null(r.Problem));
        var back = rows.Select(r => r.Entry!).ToList();
        for (int i = 0; i < entries.Length; i++)
        {
            Assert.Equal(entries[i] with { Labels = null }, back[i] with { Labels = null });
            Assert.Equal(entries[i].LabelsOrNone.ToString(), back[i].LabelsOrNone.ToString());
        }
    }

    [Fact]
    public void Plain_export_writes_one_signal_type()
    {
        using var buffer = new MemoryStream();
        long n = BankExporter.Write(buffer, [new BankEntry("pdq", Pdq1), new BankEntry("md5", Md5), new BankEntry("pdq", Pdq2)], BankFileFormat.Plain, Types);
        Assert.Equal(2, n);
        Assert.Equal($"{Pdq1}\n{Pdq2}\n", Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
