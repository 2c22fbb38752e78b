using System.CommandLine;
using Spectre.Console;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil audit verify</c>: checks the audit log's hash chain.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var db = ServiceDatabase.Option();
        var verify = new Command("verify", "Check every link of the audit log's SHA-256 chain; report the first broken one (exit 4).") { db };
        verify.SetAction((result, ct) => VerifyAsync(result.GetValue(db)!, ct));
        return new Command("audit", "The append-only, hash-chained audit log.") { verify };
    }

    private static async Task<int> VerifyAsync(string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (!File.Exists(db))
        {
            console.MarkupLineInterpolated($"[red]vigil audit verify:[/] there is no database '{db}'.");
            return ExitCodes.Fatal;
        }

        await using var store = await ServiceDatabase.OpenAsync(db, console, "audit verify", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var verification = await store.Audit.VerifyAsync(cancellationToken);
        if (!verification.Ok)
        {
            Console.WriteLine($"audit log BROKEN at entry {verification.BrokenAt}: {verification.Problem} ({verification.Entries} entries verified before it)");
            return ExitCodes.CheckFailed;
        }

        Console.WriteLine($"audit log verified: {verification.Entries} entries, head {verification.HeadHash}");
        return ExitCodes.Ok;
    }
}
