using System.CommandLine;
using Spectre.Console;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil key create|list|revoke</c>: API keys for platforms.</summary>
internal static class KeyCommand
{
    public static Command Create()
    {
        var name = new Option<string>("--name") { Description = "Who or what uses the key (e.g. the platform's name).", Required = true };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "ingest (submit, classify), review (cases), admin (keys, webhooks, audit); repeat or comma-separate.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var db = Database.Option();
        var create = new Command("create", "Create an API key; prints it once (only its hash is kept).") { name, scopes, db };
        create.SetAction((result, ct) => CreateAsync(result.GetValue(name)!, result.GetValue(scopes)!, result.GetValue(db)!, ct));

        var listDb = Database.Option();
        var list = new Command("list", "List the keys (never their secrets).") { listDb };
        list.SetAction((result, ct) => ListAsync(result.GetValue(listDb)!, ct));

        var id = new Argument<string>("id") { Description = "The key's id (the part after vgl_)." };
        var revokeDb = Database.Option();
        var revoke = new Command("revoke", "Revoke a key.") { id, revokeDb };
        revoke.SetAction((result, ct) => RevokeAsync(result.GetValue(id)!, result.GetValue(revokeDb)!, ct));
        return new Command("key", "API keys with scopes ingest, review, admin.") { create, list, revoke };
    }

    private static async Task<int> CreateAsync(string name, string[] scopeNames, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        var names = scopeNames.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (!ApiScopeNames.TryParse(names, out var scopes))
        {
            console.MarkupLineInterpolated($"[red]vigil key create:[/] scopes are {string.Join(", ", ApiScopeNames.All)}.");
            return ExitCodes.Usage;
        }

        if (name.Trim().Length is 0 or > 100)
        {
            console.MarkupLine("[red]vigil key create:[/] --name needs 1-100 characters.");
            return ExitCodes.Usage;
        }

        await using var store = await Database.OpenAsync(db, console, "key create", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        var (key, secret) = await new ApiKeys(store, TimeProvider.System).CreateAsync(name.Trim(), scopes, Database.Actor(), cancellationToken);
        console.MarkupLineInterpolated($"[green]created[/] key {key.Id} ({string.Join(", ", scopes.ToWire())}) for {key.Name}. Store it now: it is not shown again.");
        Console.WriteLine(secret);
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        await using var store = await Database.OpenAsync(db, console, "key list", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        foreach (var key in await store.ApiKeys.ListAsync(cancellationToken))
        {
            Console.WriteLine($"{key.Id}\t{key.Name}\t{string.Join(',', key.Scopes.ToWire())}\t{key.CreatedAt:yyyy-MM-dd}\t{(key.RevokedAt is null ? "live" : "revoked")}");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> RevokeAsync(string id, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        await using var store = await Database.OpenAsync(db, console, "key revoke", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        if (!await new ApiKeys(store, TimeProvider.System).RevokeAsync(id, Database.Actor(), cancellationToken))
        {
            console.MarkupLineInterpolated($"[red]vigil key revoke:[/] there is no live key '{id}'.");
            return ExitCodes.Usage;
        }

        console.MarkupLineInterpolated($"[green]revoked[/] {id}");
        return ExitCodes.Ok;
    }
}
