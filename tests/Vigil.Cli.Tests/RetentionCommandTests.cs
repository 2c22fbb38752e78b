using Microsoft.Data.Sqlite;
using Vigil.Core;
using Vigil.Storage.Content;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Tests;

public class RetentionCommandTests
{
    [Fact]
    public async Task A_dry_run_lists_what_a_run_then_deletes_once_and_audits()
    {
        using var temp = new TempFolder();
        string db = Path.Combine(temp.Path, "vigil.db");
        var now = DateTimeOffset.UtcNow;
        await using (var store = await SqliteVigilStore.OpenAsync(db, TimeProvider.System))
        {
            await using var unit = await store.BeginAsync(CancellationToken.None);
            var verdict = new Verdict(VerdictKind.Clear, [], new Dictionary<string, double>(), ContentContext.None, "en", [], [], "policy-1");
            var result = new ContentResult(verdict, [], ModerationAction.Allow, "default", null);
            await unit.Content.InsertAsync(new NewContent("old", null, null, null, "an old post about gardening", [], "key:test", result), now.AddDays(-100), CancellationToken.None);
            await unit.Content.InsertAsync(new NewContent("new", null, null, null, "a new post about gardening", [], "key:test", result), now.AddDays(-10), CancellationToken.None);
            await unit.CommitAsync(CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();

        var dry = VigilProcess.Run(temp.Path, "retention", "run", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.StartsWith("1\tkept_up_retention\t", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 item(s) would be deleted", dry.Stderr, StringComparison.Ordinal);

        var run = VigilProcess.Run(temp.Path, "retention", "run");
        Assert.Equal(dry.Stdout, run.Stdout);
        Assert.Contains("1 item(s) deleted", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 item(s) deleted", VigilProcess.Run(temp.Path, "retention", "run").Stderr, StringComparison.Ordinal); // idempotent
        Assert.StartsWith("2\tkept_up_retention\t", VigilProcess.Run(temp.Path, "retention", "run", "--dry-run", "--kept-up-days", "5").Stdout, StringComparison.Ordinal);
        Assert.Contains("content.purged", VigilProcess.Run(temp.Path, "audit", "list").Stdout, StringComparison.Ordinal);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "audit", "verify").ExitCode);

        await using (var store = await SqliteVigilStore.OpenAsync(db, TimeProvider.System))
        {
            Assert.Null((await store.Content.GetAsync(1, CancellationToken.None))!.Text);
            Assert.Equal("a new post about gardening", (await store.Content.GetAsync(2, CancellationToken.None))!.Text);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(2, VigilProcess.Run(temp.Path, "retention", "run", "--kept-up-days", "0").ExitCode);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "retention", "run", "--db", "missing.db").ExitCode);
    }
}
