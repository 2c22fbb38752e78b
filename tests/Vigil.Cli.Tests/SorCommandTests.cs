using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Hosting;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;

namespace Vigil.Cli.Tests;

/// <summary><c>vigil sor export</c> and <c>vigil sor submit</c> against a local stand-in of the Transparency Database.</summary>
public sealed class SorCommandTests
{
    private const string Author = "maria.example.1990";
    private const string Url = "https://social.example/@maria.example.1990/99";

    /// <summary>A database with one decided case (its statement <c>vigil-d1</c>), 149 more statements like it, and one
    /// stored by an older rule set that the database now refuses (<c>vigil-old-1</c>: no facts).</summary>
    internal static async Task SeedAsync(string path)
    {
        await using (var store = await VigilStorage.OpenAsync(path))
        {
            var verdict = new Verdict(VerdictKind.Violating, ["terrorism.propaganda"], Taxonomy.All.ToDictionary(c => c.Id, c => 0.9), ContentContext.None, "en", [], ["UK TA 2006 s.2"], "policy-1");
            long caseId;
            await using (var unit = await store.BeginAsync(default))
            {
                var item = await unit.Content.InsertAsync(
                    new NewContent("post-77", Author, Url, """{"email":"maria@example.org"}""", "a short neutral fixture", [], "key:test", new ContentResult(verdict, [], ModerationAction.Review, "default", null)),
                    DateTimeOffset.UtcNow,
                    default);
                caseId = (await unit.Cases.InsertAsync(new NewCase(item.Id, "default", 50, VerdictKind.Violating, ModerationAction.Review, ["terrorism.propaganda"], "en", false, "policy-1", DateTimeOffset.UtcNow), default)).Id;
                await unit.CommitAsync(default);
            }

            var workflow = new CaseWorkflow(store, TimeProvider.System);
            await workflow.ClaimAsync(caseId, "user:ann", TimeSpan.FromMinutes(5), default);
            Assert.Equal(DecideStatus.Decided, (await workflow.DecideAsync(new DecideCase(caseId, ReviewDecision.Remove, "Maria posted it", "user:ann", "policy-1"), default)).Status);

            var first = (await store.Statements.GetByPuidAsync("vigil-d1", default))!;
            var statement = StatementsOfReasons.Read(first);
            await using (var unit = await store.BeginAsync(default))
            {
                var content = (await unit.Content.GetAsync(first.ContentId, default))!;
                for (int i = 1; i <= 149; i++)
                {
                    await StatementsOfReasons.RecordAsync(unit, statement with { Puid = $"vigil-x{i}" }, null, content, DateTimeOffset.UtcNow, default);
                }

                string old = JsonSerializer.Serialize(statement with { Puid = "vigil-old-1", Facts = "" }, StatementJson.Options);
                await unit.Statements.InsertAsync(new NewStatement("vigil-old-1", null, content.Id, old, DateTimeOffset.UtcNow, null), default);
                await unit.CommitAsync(default);
            }
        }

        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Export_prints_valid_statements_without_personal_data_as_lines_or_batches()
    {
        using var temp = new TempFolder();
        await SeedAsync(Path.Combine(temp.Path, "vigil.db"));
        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var lines = VigilProcess.Run(temp.Path, "sor", "export", "--from", today, "--to", today);
        Assert.Equal(1, lines.ExitCode); // vigil-old-1 is left out, and named
        Assert.Contains("vigil-old-1", lines.Stderr, StringComparison.Ordinal);
        Assert.Contains("decision_facts", lines.Stderr, StringComparison.Ordinal);
        var statements = lines.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<TransparencyStatement>(l)!).ToList();
        Assert.Equal(150, statements.Count);
        Assert.All(statements, s => Assert.Empty(TransparencyValidator.Validate(s)));
        Assert.Equal("vigil-d1", statements[0].Puid);
        foreach (var personal in new[] { Author, "maria", "social.example", "post-77", "user:ann", "posted it" })
        {
            Assert.DoesNotContain(personal, lines.Stdout, StringComparison.OrdinalIgnoreCase);
        }

        var batches = VigilProcess.Run(temp.Path, "sor", "export", "--format", "batch");
        Assert.Equal([100, 50], batches.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("statements").GetArrayLength()));

        Assert.Equal("", VigilProcess.Run(temp.Path, "sor", "export", "--to", "2020-01-01").Stdout);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "sor", "export", "--from", "yesterday").ExitCode);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "sor", "export", "--format", "xml").ExitCode);
    }

    [Fact]
    public async Task Submit_sends_batches_of_100_retries_a_failing_endpoint_reports_a_422_and_takes_a_known_PUID_as_submitted()
    {
        using var temp = new TempFolder();
        string db = Path.Combine(temp.Path, "vigil.db");
        await SeedAsync(db);
        string tokenFile = temp.Write("token.txt", TransparencyTestServer.Token + "\n");
        await using var server = await TransparencyTestServer.StartAsync(known: ["vigil-x7"], failFirst: 1);

        var run = VigilProcess.Run(temp.Path, "sor", "submit", "--endpoint", server.Endpoint.ToString(), "--token-file", tokenFile);
        Assert.True(run.ExitCode == 1, run.Stderr); // one statement rejected
        Assert.Equal($"rejected\tvigil-old-1\tdecision_facts: The decision_facts field is required.\n", run.Stdout);
        Assert.Contains("149 submitted, 1 already in the database, 1 rejected, in 2 batches", run.Stderr, StringComparison.Ordinal);
        Assert.All(server.BatchSizes, size => Assert.InRange(size, 1, 100));
        Assert.Equal(150, server.Known.Count); // vigil-x7 was there; the 149 others came now
        Assert.DoesNotContain("vigil-old-1", server.Known);
        // The first batch of 100: a 503, retried whole; a 422 for vigil-x7, sent again without it (201). The second batch of
        // 51: a 422 for vigil-old-1, sent again without it (201).
        Assert.Equal(5, server.Requests);
        Assert.Equal([100, 99, 51, 50], server.BatchSizes);

        await using (var store = await VigilStorage.OpenAsync(db))
        {
            Assert.Equal(("submitted", (string?)null), ((await store.Statements.GetByPuidAsync("vigil-d1", default))!.SubmissionStatus, (await store.Statements.GetByPuidAsync("vigil-d1", default))!.SubmissionError));
            Assert.Equal("duplicate", (await store.Statements.GetByPuidAsync("vigil-x7", default))!.SubmissionStatus);
            var rejected = (await store.Statements.GetByPuidAsync("vigil-old-1", default))!;
            Assert.Equal("rejected", rejected.SubmissionStatus);
            Assert.Contains("decision_facts", rejected.SubmissionError, StringComparison.Ordinal);
        }

        SqliteConnection.ClearAllPools();
        var again = VigilProcess.Run(temp.Path, "sor", "submit", "--endpoint", server.Endpoint.ToString(), "--token-file", tokenFile);
        Assert.Contains("0 submitted, 0 already in the database, 1 rejected, in 1 batches", again.Stderr, StringComparison.Ordinal);

        string wrong = temp.Write("wrong.txt", "nope\n");
        var refused = VigilProcess.Run(temp.Path, "sor", "submit", "--endpoint", server.Endpoint.ToString(), "--token-file", wrong);
        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("HTTP 401", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "sor", "submit", "--endpoint", "ftp://x", "--token-file", tokenFile).ExitCode);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "sor", "submit", "--endpoint", server.Endpoint.ToString(), "--token-file", "missing.txt").ExitCode);
    }
}
