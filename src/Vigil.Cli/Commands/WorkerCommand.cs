using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Spectre.Console;
using Vigil.Moderation.Hosting;
using Vigil.Queue.Nats;
using Vigil.Server.Queue;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil worker</c>: assesses what <c>vigil serve --queue</c> queued; <c>vigil worker status</c>: the queue's state.</summary>
internal static class WorkerCommand
{
    public static Option<string?> QueueOption(string description, bool required = false) => new("--queue")
    {
        Description = description,
        Required = required,
        HelpName = "URL",
    };

    public static Command Create()
    {
        var queue = QueueOption("The NATS JetStream server the service queues submissions on (nats://HOST:PORT).", required: true);
        var db = Database.Option();
        var data = CommonOptions.Data();
        var policy = CommonOptions.PolicyFile();
        var embeddings = CommonOptions.Embeddings();
        var parallel = new Option<int>("--parallel")
        {
            Description = "Items assessed at once (default: the number of cores).",
            HelpName = "N",
            DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
        };
        var attempts = new Option<int>("--max-attempts")
        {
            Description = "Deliveries of one item before it is given up as a dead letter.",
            HelpName = "N",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("worker", "Assess queued submissions (from `vigil serve --queue`) on the service's database; run as many as you like, on any machine.")
        {
            queue, db, data, policy, embeddings, parallel, attempts, Status(),
        };
        command.SetAction((result, cancellationToken) =>
        {
            if (result.GetValue(parallel) < 1 || result.GetValue(attempts) < 1)
            {
                CommonOptions.ErrorConsole().MarkupLine("[red]vigil worker:[/] --parallel and --max-attempts must be at least 1.");
                return Task.FromResult(ExitCodes.Usage);
            }

            var mode = result.GetResult(embeddings) is { Implicit: false } ? CommonOptions.ParseEmbeddings(result.GetValue(embeddings)!) : (Vigil.Text.EmbeddingMode?)null;
            var args = new List<string>
            {
                $"--Vigil:Database={VigilStorage.Absolute(result.GetValue(db)!)}",
                $"--Vigil:Queue={result.GetValue(queue)}",
                $"--Vigil:WorkerParallelism={result.GetValue(parallel)}",
                $"--Vigil:QueueMaxAttempts={result.GetValue(attempts)}",
            };
            if (mode is { } m)
            {
                args.Add($"--Vigil:Embeddings={m}");
            }

            if (result.GetValue(data) is { } folder)
            {
                args.Add($"--Vigil:Data={Path.GetFullPath(folder)}");
            }

            if (result.GetValue(policy) is { } file)
            {
                args.Add($"--Vigil:Policy={Path.GetFullPath(file)}");
            }

            return RunAsync([.. args], result.GetValue(db)!, result.GetValue(queue)!, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] args, string db, string queue, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        IHost host;
        try
        {
            host = await VigilWorker.BuildAsync(args, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or System.Data.Common.DbException)
        {
            string where = e is System.Data.Common.DbException ? $"cannot open the database {VigilStorage.Describe(db)}: " : "";
            console.MarkupLineInterpolated($"[red]vigil worker:[/] {where}{e.Message}");
            return ExitCodes.Fatal;
        }

        using (host)
        {
            console.Markup("[green]vigil worker[/] ");
            Console.Error.WriteLine($"taking work from {NatsWorkBroker.Describe(queue)} (database {VigilStorage.Describe(db)}); Ctrl+C stops it.");
            try
            {
                await host.StartAsync(cancellationToken);
                await host.WaitForShutdownAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitCodes.Ok;
    }

    private static Command Status()
    {
        var queue = QueueOption("The NATS JetStream server (nats://HOST:PORT).", required: true);
        var db = Database.Option();
        var name = new Option<string>("--queue-name")
        {
            Description = "The deployment's name on the NATS server (the setting Vigil:QueueName of serve and worker).",
            DefaultValueFactory = _ => "vigil",
            HelpName = "NAME",
        };
        var limit = new Option<int>("--limit") { Description = "Dead letters to list, newest first.", HelpName = "N", DefaultValueFactory = _ => 20 };
        var command = new Command("status", "The queue's state: items waiting, in progress, redelivered, given up (dead letters, the newest listed), and pending in the database. Exits 3 when the queue is unreachable.")
        {
            queue, name, db, limit,
        };
        command.SetAction((result, cancellationToken) =>
            StatusAsync(result.GetValue(queue)!, result.GetValue(name)!, result.GetValue(db)!, Math.Clamp(result.GetValue(limit), 0, 1000), cancellationToken));
        return command;
    }

    private static async Task<int> StatusAsync(string queue, string name, string db, int limit, CancellationToken cancellationToken)
    {
        NatsQueueOptions options;
        try
        {
            options = NatsQueueOptions.Named(queue, name);
        }
        catch (ArgumentException e)
        {
            CommonOptions.ErrorConsole().MarkupLineInterpolated($"[red]vigil worker status:[/] {e.Message}");
            return ExitCodes.Usage;
        }

        await using var broker = new NatsWorkBroker(options);
        var status = await broker.StatusAsync(cancellationToken);
        if (!status.Reachable)
        {
            CommonOptions.ErrorConsole().MarkupLineInterpolated($"[red]vigil worker status:[/] {NatsWorkBroker.Describe(queue)}: {status.Problem}");
            return ExitCodes.Fatal;
        }

        long? pending = null;
        if (db != Database.DefaultPath || File.Exists(db))
        {
            try
            {
                await using var store = await VigilStorage.OpenAsync(db, TimeProvider.System, cancellationToken);
                pending = await store.Content.CountPendingAsync(cancellationToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or IOException or InvalidDataException)
            {
                CommonOptions.ErrorConsole().MarkupLineInterpolated($"[yellow]vigil worker status:[/] cannot read the database {VigilStorage.Describe(db)}: {e.Message}");
            }
        }

        Console.WriteLine($"queue         {NatsWorkBroker.Describe(queue)}");
        Console.WriteLine($"waiting       {status.Waiting}");
        Console.WriteLine($"in progress   {status.InProgress}");
        Console.WriteLine($"redelivered   {status.Redelivered}");
        Console.WriteLine($"dead letters  {status.DeadLetters}");
        Console.WriteLine($"pulling       {status.Workers}");
        if (pending is { } count)
        {
            Console.WriteLine($"pending items {count} (in the database)");
        }

        if (limit > 0 && status.DeadLetters > 0)
        {
            Console.WriteLine();
            foreach (var letter in await broker.DeadLettersAsync(limit, cancellationToken))
            {
                string what = letter.ContentId is { } id ? $"content {id}" : "not a content id";
                Console.WriteLine($"#{letter.Sequence}  {letter.At:yyyy-MM-dd HH:mm:ss}Z  {what}  {letter.Deliveries} deliveries  {letter.Reason}");
            }
        }

        return ExitCodes.Ok;
    }
}
