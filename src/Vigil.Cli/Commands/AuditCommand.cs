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
        var anchorOption = new Option<string?>("--anchor") { Description = "SEQ:HASH from 'vigil audit anchor': also check that entry SEQ is still there with that hash (a cut or rewritten log fails, exit 4)." };
        var verify = new Command("verify", "Check every link of the audit log's SHA-256 chain; report the first broken one (exit 4).") { db, anchorOption };
        verify.SetAction((result, ct) => VerifyAsync(result.GetValue(db)!, result.GetValue(anchorOption), ct));

        var anchorDb = Database.Option();
        var anchor = new Command("anchor", "Print the chain's head as SEQ:HASH, to store somewhere else; 'vigil audit verify --anchor SEQ:HASH' then detects a cut or rewritten log.") { anchorDb };
        anchor.SetAction((result, ct) => AnchorAsync(result.GetValue(anchorDb)!, ct));

        var listDb = Database.Option();
        var limit = new Option<int>("--limit", "-n") { Description = "How many entries (1-1000).", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Print the latest entries, newest first: seq, time, actor, action, subject and details (JSON), tab-separated.") { limit, listDb };
        list.SetAction((result, ct) => ListAsync(result.GetValue(limit), result.GetValue(listDb)!, ct));
        return new Command("audit", "The append-only, hash-chained audit log.") { verify, anchor, list };
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

    private static async Task<int> AnchorAsync(string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (VigilStorage.IsMissing(db))
        {
            console.MarkupLineInterpolated($"[red]vigil audit anchor:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await Database.OpenAsync(db, console, "audit anchor", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var anchor = await new AuditTrail(store, TimeProvider.System).AnchorAsync(cancellationToken);
        Console.WriteLine(anchor.ToString());
        Console.Error.WriteLine($"Keep this anchor outside the database (a ticket, another machine, paper); later, 'vigil audit verify --anchor {anchor}' fails if entries up to {anchor.Seq} were cut or rewritten.");
        return ExitCodes.Ok;
    }

    private static async Task<int> VerifyAsync(string db, string? anchorText, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        AuditAnchor? anchor = null;
        if (anchorText is not null)
        {
            if (!AuditAnchor.TryParse(anchorText, out var parsed))
            {
                Console.Error.WriteLine($"vigil audit verify: --anchor is SEQ:HASH as 'vigil audit anchor' prints it (a number, ':', 64 hex digits), not '{anchorText}'.");
                return ExitCodes.Usage;
            }

            anchor = parsed;
        }

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

        var trail = new AuditTrail(store, TimeProvider.System);
        var checkedAgainst = anchor is null ? new AnchoredVerification(await trail.VerifyAsync(cancellationToken), null) : await trail.VerifyAsync(anchor, cancellationToken);
        var verification = checkedAgainst.Chain;
        if (!verification.Ok)
        {
            Console.WriteLine($"audit log BROKEN at entry {verification.BrokenAt}: {verification.Problem} ({verification.Entries} entries verified before it)");
            return ExitCodes.CheckFailed;
        }

        if (checkedAgainst.AnchorProblem is { } problem)
        {
            Console.WriteLine($"audit log does NOT match the anchor {anchor}: {problem} (the {verification.Entries} entries left link up)");
            return ExitCodes.CheckFailed;
        }

        Console.WriteLine($"audit log verified: {verification.Entries} entries, head {verification.HeadHash}" + (anchor is null ? "" : $"; entry {anchor.Seq} matches the anchor"));
        return ExitCodes.Ok;
    }
}
