using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Vigil.Cli.Tests;

/// <summary>
/// <c>vigil scan</c>'s output is a contract: on a sample of every labelled dev split (the first posts of each) and on
/// <c>examples/posts.jsonl</c>, the contract fields of every record are the same as the release they were recorded from
/// (<c>Golden/scan-sample.sha256</c>: one SHA-256 per record of those fields; new fields may be added). To record them
/// from a release: build it, then run this test with <c>VIGIL_GOLDEN_FROM</c> set to that build's <c>vigil.dll</c> (see
/// tools/scan-compat/README.md); the full dev splits are compared by tools/scan-compat.
/// </summary>
public sealed class ScanCompatibilityTests
{
    private const int PostsPerSet = 100;
    private static readonly string[] ContractFields = ["id", "verdict", "labels", "scores", "context", "language", "evidence", "legal_basis", "error", "source"];

    private static string Repository
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("the repository was not found above the test's folder");
        }
    }

    private static string GoldenPath => Path.Combine(Repository, "tests", "Vigil.Cli.Tests", "Golden", "scan-sample.sha256");

    [Fact]
    public void The_scan_contract_is_unchanged_on_a_sample_of_every_dev_split_and_the_examples()
    {
        using var temp = new TempFolder();
        var sets = WriteSample(temp.Path);
        File.Copy(Path.Combine(Repository, "examples", "posts.jsonl"), Path.Combine(temp.Path, "examples.jsonl"));
        sets.Add(("examples", 5));

        string? from = Environment.GetEnvironmentVariable("VIGIL_GOLDEN_FROM");
        string[] args = ["scan", "sample.jsonl", "examples.jsonl", "--quiet", "--db", "no-banks.db"];
        var result = from is { Length: > 0 } ? VigilProcess.RunProgram(from, temp.Path, args) : VigilProcess.Run(temp.Path, args);
        Assert.True(result.ExitCode is 0 or 1, result.Stderr);
        var digests = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Digest).ToList();
        var labels = sets.SelectMany(s => Enumerable.Range(1, s.Count).Select(i => $"{s.Name}:{i}")).ToList();
        Assert.Equal(labels.Count, digests.Count);

        if (from is { Length: > 0 })
        {
            File.WriteAllLines(GoldenPath, [$"# vigil scan contract digests, recorded from {from}", .. labels.Zip(digests, (l, d) => $"{l}\t{d}")]);
            return;
        }

        var golden = File.ReadAllLines(GoldenPath).Where(l => !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.Equal(golden.Select(g => g[0]), labels);
        var differ = labels.Where((_, i) => golden[i][1] != digests[i]).ToList();
        Assert.True(differ.Count == 0, $"{differ.Count} of {labels.Count} records changed their contract fields, first: {string.Join(", ", differ.Take(10))}");
    }

    /// <summary>The first posts of every dev split, in one JSON Lines file; returns each set's name and count.</summary>
    private static List<(string Name, int Count)> WriteSample(string folder)
    {
        string data = Path.Combine(Path.GetDirectoryName(MediaTestData.Pdq)!, "data");
        var sets = new List<(string, int)>();
        using var sample = new StreamWriter(Path.Combine(folder, "sample.jsonl"), false, new UTF8Encoding(false)) { NewLine = "\n" };
        foreach (var file in Directory.EnumerateFiles(data, "*.dev.jsonl", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var lines = File.ReadLines(file).Where(l => l.Length > 0).Take(PostsPerSet).ToList();
            lines.ForEach(sample.WriteLine);
            sets.Add((Path.GetFileName(file)[..^".dev.jsonl".Length], lines.Count));
        }

        return sets;
    }

    /// <summary>SHA-256 of the record's contract fields, in the contract's order, as compact JSON.</summary>
    private static string Digest(string line)
    {
        var record = JsonNode.Parse(line)!.AsObject();
        var contract = new JsonObject();
        foreach (var field in ContractFields)
        {
            if (record.TryGetPropertyValue(field, out var value))
            {
                contract[field] = value?.DeepClone();
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(contract.ToJsonString())));
    }
}
