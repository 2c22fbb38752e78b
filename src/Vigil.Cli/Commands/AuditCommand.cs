using System.CommandLine;
using Spectre.Console;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil audit verify|list</c>: checks the audit log's hash chain; prints its latest entries.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = Database.Option();
        var verify = new Command("verify", "Check every link of the audit log's SHA-256 chain; report the first broken one (exit 4).") { db };
        verify.SetAction((result, ct) => VerifyAsync(result.GetValue(db)!, ct));

        var listDb = Database.Option();
        var limit = new Option<int>("--limit", "-n") { Description = "How many entries (1-1000).", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Print the latest entries, newest first: seq, time, actor, action, subject and details (JSON), tab-separated.") { limit, listDb };
        list.SetAction((result, ct) => ListAsync(result.GetValue(limit), result.GetValue(listDb)!, ct));
        return new Command("audit", "The append-only, hash-chained audit log.") { verify, list };
    }

    private static async Task<int> ListAsync(int limit, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (limit is < 1 or > 1000)
        {
            console.MarkupLine("[red]vigil audit list:[/] --limit is 1-1000.");
            return ExitCodes.Usage;
        }

        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil audit list:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await Database.OpenAsync(db, console, "audit list", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        foreach (var entry in await store.Audit.ListAsync(limit, null, cancellationToken))
        {
            Console.WriteLine($"{entry.Seq}\t{entry.At:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\t{entry.Actor}\t{entry.Action}\t{entry.Subject}\t{entry.DetailsJson}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyAsync(string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil audit verify:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await Database.OpenAsync(db, console, "audit verify", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var verification = await new AuditTrail(store, TimeProvider.System).VerifyAsync(cancellationToken);
        if (!verification.Ok)
        {
            Console.WriteLine($"audit log BROKEN at entry {verification.BrokenAt}: {verification.Problem} ({verification.Entries} entries verified before it)");
            return ExitCodes.CheckFailed;
        }

        Console.WriteLine($"audit log verified: {verification.Entries} entries, head {verification.HeadHash}");
        return ExitCodes.Ok;
    }
}
