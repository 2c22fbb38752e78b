using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

public class EvalCommandTests
{
    private static readonly string[] Sets =
        ["isis-tweets-labelled", "isis-accounts", "stormfront", "davidson", "mlma-en", "mlma-fr", "mlma-ar", "l-hsab", "ag-news"];

    private static readonly string[] TunedSets = ["isis-tweets-labelled", "stormfront", "davidson", "mlma-en", "mlma-fr", "mlma-ar", "l-hsab"];

    /// <summary>Every set's dev split as short neutral posts, one in four carrying the set's positive label.</summary>
    private static string NeutralDatasets(TempFolder temp)
    {
        string[] topics = ["the gardening club meets on day", "a bread recipe, version", "the chess evening moved to room", "photos of the river walk, part"];
        foreach (string set in Sets)
        {
            string positive = set switch { "isis-tweets-labelled" => "extremist", "isis-accounts" => "pro_isis_account", "ag-news" => "news", _ => "hate" };
            var lines = new StringBuilder();
            for (int i = 0; i < 60; i++)
            {
                string label = set == "ag-news" || i % 4 == 0 ? positive : "none";
                lines.Append(JsonSerializer.Serialize(new { id = $"{set}-{i}", text = $"{topics[i % topics.Length]} {i}", label, mentions_terrorism = set == "ag-news" && i % 3 == 0 })).Append('\n');
            }

            temp.Write(Path.Combine("data", set, $"{set}.dev.jsonl"), lines.ToString());
        }

        return Path.Combine(temp.Path, "data");
    }

    private static double Number(string cell) => double.Parse(cell.Trim(), CultureInfo.InvariantCulture);

    /// <summary>The rows of the markdown table that follows <paramref name="heading"/>, split into cells.</summary>
    private static List<string[]> Table(string markdown, string heading)
    {
        var lines = markdown[markdown.IndexOf(heading, StringComparison.Ordinal)..].Split('\n');
        return [.. lines.SkipWhile(l => !l.StartsWith('|')).Skip(2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())];
    }

    [Fact]
    public void Eval_writes_the_report_with_thresholds_tuned_on_other_posts_and_check_fails_on_missed_targets()
    {
        using var temp = new TempFolder();
        string datasets = NeutralDatasets(temp);
        string report = Path.Combine(temp.Path, "docs", "quality.md");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);

        var result = VigilProcess.Run(temp.Path, "eval", "--datasets", datasets, "--embeddings", "off", "--output", report, "--check", "--threads", "1");

        Assert.Equal(4, result.ExitCode); // a neutral fixture meets no F1 target
        Assert.Contains("missed", result.Stderr + result.Stdout, StringComparison.Ordinal);
        string markdown = File.ReadAllText(report);
        Assert.True(File.Exists(Path.Combine(temp.Path, "docs", "quality", "pr-terrorism.png")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "docs", "quality", "pr-hate.png")));

        var perSet = Table(markdown, "## Per set").ToDictionary(r => r[0], r => Number(r[6]));
        var crossFitted = Table(markdown, "## Thresholds tuned on other posts");
        Assert.Equal(TunedSets.Order(), crossFitted.Select(r => r[0]).Order());
        foreach (var row in crossFitted)
        {
            Assert.Equal(perSet[row[0]], Number(row[1])); // the first column is the shipped policy's own F1
            double[] range = [.. row[3].Split('–').Select(Number)];
            Assert.InRange(Number(row[2]), range[0], range[1]); // the mean lies in the range
            Assert.InRange(range[0], 0, 1);
            Assert.InRange(range[1], 0, 1);
        }

        // The shipped thresholds flag none of these neutral posts; tuned on the fixture's own labels, they flag some.
        Assert.Contains(crossFitted, r => Number(r[2]) > Number(r[1]));
        var tunings = Regex.Match(markdown, "threshold of the\\s+50 tunings ranged from ([0-9]+\\.[0-9]+) to ([0-9]+\\.[0-9]+)", RegexOptions.NonBacktracking);
        Assert.True(tunings.Success); // 10 cuts into 5 parts
        Assert.True(Number(tunings.Groups[1].Value) <= Number(tunings.Groups[2].Value));

        // Every audit sentence is scored; the per-term rows add up to the total flagged.
        var audit = Table(markdown, "## Neutral mentions of protected groups");
        Assert.Equal(24, audit.Count);
        var total = Regex.Match(markdown, "Flagged \\(review or violating\\): \\*\\*([0-9]+) of 288\\*\\*", RegexOptions.NonBacktracking);
        Assert.True(total.Success);
        Assert.Equal(int.Parse(total.Groups[1].Value, CultureInfo.InvariantCulture), audit.Sum(r => int.Parse(r[1].Split(" of ")[0], CultureInfo.InvariantCulture)));
        Assert.All(audit, r => Assert.EndsWith(" of 12", r[1], StringComparison.Ordinal));
        Assert.All(audit, r => Assert.InRange(Number(r[2]), 0, Number(r[3]))); // mean <= highest

        var expressions = Table(markdown, "## Everyday religious expressions");
        Assert.Equal(14, expressions.Count);
        Assert.Contains(expressions, r => r[0] == "Inshallah");
        Assert.All(expressions, r => Assert.EndsWith(" of 6", r[1], StringComparison.Ordinal));
        Assert.All(expressions, r => Assert.InRange(Number(r[2]), 0, Number(r[3])));
        var flaggedExpressions = Regex.Match(markdown, "Flagged \\(review or violating\\): \\*\\*([0-9]+) of 84\\*\\*", RegexOptions.NonBacktracking);
        Assert.True(flaggedExpressions.Success);
        Assert.Equal(int.Parse(flaggedExpressions.Groups[1].Value, CultureInfo.InvariantCulture), expressions.Sum(r => int.Parse(r[1].Split(" of ")[0], CultureInfo.InvariantCulture)));
    }
}
