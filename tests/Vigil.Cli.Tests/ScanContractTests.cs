using System.Text;
using System.Text.Json;
using Vigil.Cli.Commands;
using Vigil.Core;

namespace Vigil.Cli.Tests;

public class ScanContractTests
{
    private static readonly string[] ContractFields = ["id", "verdict", "labels", "scores", "context", "language", "evidence", "legal_basis"];

    /// <summary>A JSON Lines file of <paramref name="count"/> neutral posts, ids post-0, post-1, ...</summary>
    private static string NeutralPosts(TempFolder temp, int count)
    {
        var input = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            input.Append(JsonSerializer.Serialize(new { id = $"post-{i}", text = $"the gardening club meets on day {i}" })).Append('\n');
        }

        return temp.Write("posts.jsonl", input.ToString());
    }

    private static List<JsonElement> Lines(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void Without_the_embedding_stage_the_policy_s_own_thresholds_for_it_decide()
    {
        using var temp = new TempFolder();
        string posts = NeutralPosts(temp, 3);
        // Nothing reaches review with the embedding stage; everything does without it (hate's review threshold 0).
        var never = Taxonomy.All.ToDictionary(c => c.Id, _ => new { review = 1, violating = 1 });
        string policy = temp.Write("policy.json", JsonSerializer.Serialize(new
        {
            version = "two-sets",
            categories = never,
            without_embeddings = new { categories = new { hate = new { review = 0, violating = 1 } } },
        }));

        var off = VigilProcess.Run(temp.Path, "scan", posts, "--policy", policy, "--embeddings", "off", "--quiet");
        var cascade = VigilProcess.Run(temp.Path, "scan", posts, "--policy", policy, "--quiet");

        Assert.Equal(0, off.ExitCode);
        Assert.Equal(0, cascade.ExitCode);
        Assert.All(Lines(off.Stdout), line => Assert.Equal(("review", "hate"), (line.GetProperty("verdict").GetString(), line.GetProperty("labels")[0].GetString())));
        Assert.All(Lines(cascade.Stdout), line => Assert.Equal("clear", line.GetProperty("verdict").GetString()));
        Assert.Equal(3, Lines(off.Stdout).Count);
        Assert.Equal(3, Lines(cascade.Stdout).Count);
    }

    [Fact]
    public void Jsonl_output_keeps_the_contract_fields_and_input_order()
    {
        using var temp = new TempFolder();
        var input = new StringBuilder();
        for (int i = 0; i < 600; i++)
        {
            input.Append(JsonSerializer.Serialize(new { id = $"post-{i}", text = i % 3 == 0 ? "new release from amaq, share it" : $"gardening club meets on day {i}" })).Append('\n');
        }

        string file = temp.Write("posts.jsonl", input.ToString());
        var result = VigilProcess.Run(temp.Path, "scan", file, "--threads", "2", "--quiet");

        Assert.Equal(0, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(600, lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            Assert.Equal($"post-{i}", line.GetProperty("id").GetString());
            Assert.Equal(ContractFields, line.EnumerateObject().Select(p => p.Name));
            Assert.Equal(Taxonomy.All.Select(c => c.Id), line.GetProperty("scores").EnumerateObject().Select(p => p.Name));
            Assert.Contains(line.GetProperty("verdict").GetString(), new[] { "violating", "review", "clear" });
        }

        var flagged = lines[0];
        Assert.Equal("review", flagged.GetProperty("verdict").GetString());
        Assert.Contains("terrorism.propaganda", flagged.GetProperty("labels").EnumerateArray().Select(e => e.GetString()));
        var evidence = flagged.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "lexicon");
        Assert.Equal("amaq", "new release from amaq, share it"[evidence.GetProperty("start").GetInt32()..evidence.GetProperty("end").GetInt32()]);
        Assert.Equal("UK TA 2006 s.2", flagged.GetProperty("legal_basis")[0].GetString());
        Assert.Equal("clear", lines[1].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Bad_lines_become_error_records_and_set_the_exit_code_without_losing_others()
    {
        using var temp = new TempFolder();
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"a\",\"text\":\"hello there\"}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("{not json}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"c\"}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"d\",\"text\":\"bad "));
        bytes.AddRange([0xFF, 0xFE, 0xC3]);
        bytes.AddRange(Encoding.UTF8.GetBytes("\"}\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("{\"id\":\"e\",\"text\":\"last one\"}\n"));
        string file = temp.WriteBytes("mixed.jsonl", [.. bytes]);
        string empty = temp.Write("empty.jsonl", "");

        var result = VigilProcess.Run(temp.Path, "scan", file, empty, "--quiet");

        Assert.Equal(1, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(6, lines.Count);
        Assert.Equal("clear", lines[0].GetProperty("verdict").GetString());
        Assert.StartsWith("invalid JSON", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("mixed.jsonl:2", lines[1].GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal("c", lines[2].GetProperty("id").GetString());
        Assert.Contains("missing field", lines[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("undecodable", lines[3].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("e", lines[4].GetProperty("id").GetString());
        Assert.Equal("clear", lines[4].GetProperty("verdict").GetString());
        Assert.Contains("empty file", lines[5].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_csv_with_quoted_newlines_and_other_delimiters()
    {
        using var temp = new TempFolder();
        string comma = temp.Write("a.csv", "id,text,other\n1,\"first line\nsecond line, with comma\",x\n2,\"she said \"\"hi\"\"\",y\n");
        string semi = temp.Write("b.txtcsv.csv", "id;text\n3;\"semi; colon\"\n");

        var result = VigilProcess.Run(temp.Path, "scan", comma, "--quiet");
        Assert.Equal(0, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.Equal(["1", "2"], lines.Select(l => l.GetProperty("id").GetString()));

        var semicolon = VigilProcess.Run(temp.Path, "scan", semi, "--delimiter", ";", "--quiet");
        Assert.Equal(0, semicolon.ExitCode);
        Assert.Equal("3", Lines(semicolon.Stdout).Single().GetProperty("id").GetString());

        var wrong = VigilProcess.Run(temp.Path, "scan", semi, "--quiet");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("no column", Lines(wrong.Stdout).Single().GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_text_files_and_folders_are_one_document_per_file()
    {
        using var temp = new TempFolder();
        temp.Write("docs/one.txt", "A short note about the allotment.");
        temp.Write("docs/two.md", "Another note, about bees.");
        temp.WriteBytes("docs/three.txt", [0x41, 0xFF, 0xFE, 0x42]);

        var result = VigilProcess.Run(temp.Path, "scan", Path.Combine(temp.Path, "docs"), "--quiet", "--format", "txt");
        Assert.Equal(1, result.ExitCode);
        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.Contains(rows, r => r.EndsWith("three.txt\terror\tundecodable bytes (not UTF-8 or UTF-16 with a byte order mark)", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("one.txt\tclear", StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_output_has_a_column_per_category()
    {
        using var temp = new TempFolder();
        string file = temp.Write("p.jsonl", "{\"id\":\"x\",\"text\":\"hello\"}\n");
        var result = VigilProcess.Run(temp.Path, "scan", file, "--quiet", "--format", "csv", "--output", Path.Combine(temp.Path, "out.csv"));
        Assert.Equal(0, result.ExitCode);
        var csv = File.ReadAllLines(Path.Combine(temp.Path, "out.csv"));
        Assert.Equal("id,verdict,labels,context,language," + string.Join(',', Taxonomy.All.Select(c => c.Id)) + ",legal_basis,evidence,error", csv[0]);
        Assert.StartsWith("x,clear,", csv[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_standard_input_and_reports_usage_errors()
    {
        using var temp = new TempFolder();
        var result = VigilProcess.RunWithInput(temp.Path, "{\"id\":\"s\",\"text\":\"from a pipe\"}\n", "scan", "-", "--quiet");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("s", Lines(result.Stdout).Single().GetProperty("id").GetString());

        var usage = VigilProcess.Run(temp.Path, "scan", "-", "--format", "xml");
        Assert.NotEqual(0, usage.ExitCode);
        var missing = VigilProcess.Run(temp.Path, "scan", Path.Combine(temp.Path, "nope.jsonl"), "--quiet");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no such file", missing.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void An_output_that_cannot_be_written_is_a_clear_error_not_a_crash(string threads)
    {
        using var temp = new TempFolder();
        string file = NeutralPosts(temp, 3_000);
        // /dev/full: Linux's device on which every write fails with "no space left on device".
        var result = VigilProcess.Run(temp.Path, "scan", file, "--threads", threads, "--embeddings", "off", "--quiet", "--output", "/dev/full");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("cannot write the results to /dev/full", result.Stderr + result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void Ctrl_c_stops_a_scan_cleanly_with_whole_records(string threads)
    {
        using var temp = new TempFolder();
        string file = NeutralPosts(temp, 400_000);
        string output = Path.Combine(temp.Path, "out.jsonl");
        bool Started() => File.Exists(output) && new FileInfo(output).Length > 0;
        var result = VigilProcess.RunAndInterrupt(temp.Path, Started, "scan", file, "--threads", threads, "--embeddings", "off", "--quiet", "--output", output);

        Assert.Equal(ExitCodes.Cancelled, result.ExitCode);
        Assert.Contains("cancelled", result.Stderr + result.Stdout, StringComparison.Ordinal);
        string written = File.ReadAllText(output);
        Assert.EndsWith("\n", written, StringComparison.Ordinal);
        var lines = Lines(written);
        Assert.InRange(lines.Count, 1, 399_999);
        Assert.Equal(Enumerable.Range(0, lines.Count).Select(i => $"post-{i}"), lines.Select(l => l.GetProperty("id").GetString()));
    }
}
