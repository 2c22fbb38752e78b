using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Vigil.Moderation.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil migrate --from vigil.db --to CONNECTION</c>: copies a deployment's database into another
/// (<see cref="StoreMigration"/>), then verifies the counts and the audit chain; safe to run again.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var from = new Option<string>("--from") { Description = "The database to copy: a SQLite file (or any --db Vigil takes).", Required = true };
        var to = new Option<string>("--to") { Description = "Where to copy it: \"Host=…;Database=…;Username=…\" or a postgres:// URL (or any --db Vigil takes).", Required = true };
        var command = new Command(
            "migrate",
            "Copy a deployment (content, cases, decisions, banks, users with their sessions and two-factor state, keys, webhooks, outbox, policies, " +
            "removal orders, preservations and holds, statements of reasons, notices, complaints, the audit log with its chain) into another database, " +
            "e.g. SQLite into PostgreSQL; then verify the counts and the chain (exit 4 when they do not hold). Run it again to copy what is new: " +
            "rows already copied are skipped. Stop 'vigil serve' on the source first.") { from, to };
        command.SetAction((result, ct) => RunAsync(result.GetValue(from)!, result.GetValue(to)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(string from, string to, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (VigilStorage.IsMissing(from))
        {
            console.MarkupLineInterpolated($"[red]vigil migrate:[/] there is no database '{from}' to copy.");
            return ExitCodes.Fatal;
        }

        if (string.Equals(VigilStorage.Absolute(from), VigilStorage.Absolute(to), StringComparison.Ordinal))
        {
            console.MarkupLine("[red]vigil migrate:[/] --from and --to name the same database.");
            return ExitCodes.Usage;
        }

        await using var source = await Database.OpenAsync(from, console, "migrate", cancellationToken);
        if (source is null)
        {
            return ExitCodes.Fatal;
        }

        await using var target = await Database.OpenAsync(to, console, "migrate", cancellationToken);
        if (target is null)
        {
            return ExitCodes.Fatal;
        }

        console.MarkupLineInterpolated($"copying {source.Location} into {target.Location}");
        StoreMigrationResult result;
        try
        {
            result = await new StoreMigration(source, target).RunAsync(
                step => console.MarkupLineInterpolated($"  {step.Kind,-18} {step.Copied,9:N0} copied, {step.AlreadyThere:N0} already there"),
                cancellationToken);
        }
        catch (StoreMigrationException e)
        {
            console.MarkupLineInterpolated($"[red]vigil migrate:[/] {e.Message}");
            return ExitCodes.Fatal;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]vigil migrate:[/] stopped: {e.Message} What was copied stays; run it again to go on.");
            return ExitCodes.Fatal;
        }

        var table = new Table().AddColumns("rows", "source", "target");
        foreach (var ((kind, inSource), (_, inTarget)) in result.Source.All.Zip(result.Target.All))
        {
            table.AddRow(kind, inSource.ToString("N0", CultureInfo.InvariantCulture), inTarget.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        if (!result.Ok)
        {
            foreach (string problem in result.Problems)
            {
                console.MarkupLineInterpolated($"[red]vigil migrate:[/] {problem}");
            }

            return ExitCodes.CheckFailed;
        }

        console.MarkupLineInterpolated($"[green]verified[/]: every count holds; the audit log ({result.TargetAudit.Entries} entries, head {result.TargetAudit.HeadHash}) is whole on {target.Location}.");
        return ExitCodes.Ok;
    }
}
