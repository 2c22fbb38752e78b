using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil retention run [--dry-run]</c>: deletes (or lists) what may no longer be kept, as the service's
/// background job does.</summary>
internal static class RetentionCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be deleted now; delete nothing." };
        var keptUp = new Option<int>("--kept-up-days")
        {
            Description = "Days content kept up or never flagged is kept after receipt (the service's Vigil:Compliance:KeptUpRetention; default 90).",
            DefaultValueFactory = _ => (int)new ComplianceSettings().KeptUpRetention.TotalDays,
        };
        var db = Database.Option();
        var run = new Command(
            "run",
            "Delete the text and bytes of removed content whose six months of preservation (and holds) ended, and of content kept up "
            + "or never flagged older than --kept-up-days; hashes, decisions and audit entries stay. Prints content id, rule and since when, tab-separated.")
        {
            dryRun, keptUp, db,
        };
        run.SetAction((result, ct) => RunAsync(result.GetValue(dryRun), result.GetValue(keptUp), result.GetValue(db)!, ct));
        return new Command("retention", "Preservation and deletion of stored content (TCO Art 6; retention settings).") { run };
    }

    private static async Task<int> RunAsync(bool dryRun, int keptUpDays, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (keptUpDays < 1)
        {
            console.MarkupLine("[red]vigil retention run:[/] --kept-up-days is at least 1.");
            return ExitCodes.Usage;
        }

        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil retention run:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await Database.OpenAsync(db, console, "retention run", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var settings = new ComplianceSettings { KeptUpRetention = TimeSpan.FromDays(keptUpDays) };
        var run = await new Retention(store, TimeProvider.System, settings).RunAsync(dryRun, Database.Actor(), cancellationToken);
        foreach (var item in run.Items)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{item.ContentId}\t{item.Rule}\t{item.Since:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
        }

        console.MarkupLineInterpolated($"{run.Items.Count} item(s) {(dryRun ? "would be deleted (dry run: nothing deleted)" : "deleted")}.");
        return ExitCodes.Ok;
    }
}
