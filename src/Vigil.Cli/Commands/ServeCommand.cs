using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Vigil.Moderation.Hosting;
using Vigil.Server;
using Vigil.Storage;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil serve</c>: the moderation service (API, review UI, webhooks) on one database (SQLite, or PostgreSQL shared by several processes).</summary>
internal static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:8080";

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = $"Where to listen, ';'-separated (default: {DefaultUrls}).", DefaultValueFactory = _ => DefaultUrls };
        var db = Database.Option();
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();
        var embeddings = CommonOptions.Embeddings();
        var command = new Command("serve", "Run the moderation service: REST API under /v1, review UI, signed webhooks, audit log.") { urls, db, data, policy, embeddings };
        command.SetAction((result, cancellationToken) =>
        {
            // Given on the command line, --embeddings wins; otherwise the setting Vigil:Embeddings (Vigil__Embeddings in the
            // environment) or its default, cascade.
            var mode = result.GetResult(embeddings) is { Implicit: false } ? CommonOptions.ParseEmbeddings(result.GetValue(embeddings)!) : (Vigil.Text.EmbeddingMode?)null;
            return RunAsync(result.GetValue(urls)!, result.GetValue(db)!, result.GetValue(data), result.GetValue(policy), mode, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string urls, string db, string? data, string? policy, Vigil.Text.EmbeddingMode? embeddings, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        var args = new List<string> { $"--urls={urls}", $"--Vigil:Database={VigilStorage.Absolute(db)}" };
        if (embeddings is { } mode)
        {
            args.Add($"--Vigil:Embeddings={mode}");
        }

        if (data is not null)
        {
            args.Add($"--Vigil:Data={Path.GetFullPath(data)}");
        }

        if (policy is not null)
        {
            args.Add($"--Vigil:Policy={Path.GetFullPath(policy)}");
        }

        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = await VigilApp.BuildAsync([.. args], cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or System.Data.Common.DbException)
        {
            string where = e is System.Data.Common.DbException ? $"cannot open the database {VigilStorage.Describe(db)}: " : "";
            console.MarkupLineInterpolated($"[red]vigil serve:[/] {where}{e.Message}");
            return ExitCodes.Fatal;
        }

        await using (app)
        {
            var store = app.Services.GetService(typeof(IVigilStore)) as IVigilStore;
            // URLs and commands to copy are written unwrapped (Spectre.Console would wrap them at the console's width).
            if (store is not null && await store.Users.CountAsync(cancellationToken) == 0)
            {
                // A PostgreSQL connection string may hold a password: the hints do not repeat it.
                string dbHint = VigilStorage.IsPostgres(db) ? "\"CONNECTION\"" : ShellWord(db);
                console.Markup("[yellow]No users yet.[/] ");
                Console.Error.WriteLine("Create the first admin:");
                Console.Error.WriteLine($"  vigil user add NAME --role admin --db {dbHint}");
                Console.Error.WriteLine($"then sign in at {urls.Split(';')[0].TrimEnd('/')}/signin");
                Console.Error.WriteLine("and create an API key for your platform:");
                Console.Error.WriteLine($"  vigil key create --name NAME --scope ingest --db {dbHint}");
            }

            console.Markup("[green]vigil serve[/] ");
            Console.Error.WriteLine($"listening on {urls} (database {store?.Location ?? VigilStorage.Describe(db)}); Ctrl+C stops it.");
            try
            {
                await app.StartAsync(cancellationToken);
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary><paramref name="text"/> as one shell word: as it is when it needs no quoting, else in single quotes.</summary>
    internal static string ShellWord(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:=@,%".Contains(c, StringComparison.Ordinal))
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
