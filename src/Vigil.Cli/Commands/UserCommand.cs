using System.CommandLine;
using Spectre.Console;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil user add|list</c>: reviewer accounts of the review UI.</summary>
internal static class UserCommand
{
    public const int MinPasswordLength = 12;

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The username (letters, digits, '.', '-', '_', '@'; at most 64)." };
        var role = new Option<string>("--role") { Description = "admin, moderator or analyst (read-only).", Required = true };
        role.AcceptOnlyFromAmong([.. RoleNames.All]);
        var display = new Option<string?>("--display-name") { Description = "The name shown in the UI." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (for scripts)." };
        var db = Database.Option();
        var add = new Command("add", "Create a user; asks for the password (at least 12 characters).") { name, role, display, stdin, db };
        add.SetAction((result, ct) => AddAsync(result.GetValue(name)!, result.GetValue(role)!, result.GetValue(display), result.GetValue(stdin), result.GetValue(db)!, ct));

        var listDb = Database.Option();
        var list = new Command("list", "List the users.") { listDb };
        list.SetAction((result, ct) => ListAsync(result.GetValue(listDb)!, ct));
        return new Command("user", "Reviewer accounts (roles admin, moderator, analyst).") { add, list };
    }

    private static async Task<int> AddAsync(string name, string roleName, string? displayName, bool passwordFromStdin, string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        if (name.Length is 0 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            console.MarkupLine("[red]vigil user add:[/] a username is 1-64 letters, digits, '.', '-', '_' or '@'.");
            return ExitCodes.Usage;
        }

        _ = RoleNames.TryParse(roleName, out var role);
        string? password;
        if (passwordFromStdin)
        {
            password = await Console.In.ReadLineAsync(cancellationToken);
        }
        else if (!Console.IsInputRedirected)
        {
            password = console.Prompt(new TextPrompt<string>($"Password for {name}:").Secret());
            string again = console.Prompt(new TextPrompt<string>("Again:").Secret());
            if (password != again)
            {
                console.MarkupLine("[red]vigil user add:[/] the passwords differ.");
                return ExitCodes.Usage;
            }
        }
        else
        {
            console.MarkupLine("[red]vigil user add:[/] no terminal to ask for the password on; pass --password-stdin and pipe it in.");
            return ExitCodes.Usage;
        }

        if (password is null || password.Length < MinPasswordLength)
        {
            console.MarkupLineInterpolated($"[red]vigil user add:[/] the password needs at least {MinPasswordLength} characters.");
            return ExitCodes.Usage;
        }

        await using var store = await Database.OpenAsync(db, console, "user add", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        bool added = await new UserAccounts(store, TimeProvider.System).AddAsync(name, displayName, role, password, Database.Actor(), cancellationToken);
        if (!added)
        {
            console.MarkupLineInterpolated($"[red]vigil user add:[/] there is already a user '{name}'.");
            return ExitCodes.Usage;
        }

        console.MarkupLineInterpolated($"[green]added[/] {name} ({role.ToWire()}) to {store.Location}");
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(string db, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        await using var store = await Database.OpenAsync(db, console, "user list", cancellationToken);
        if (store is null)
        {
            return ExitCodes.Fatal;
        }

        foreach (var user in await store.Users.ListAsync(cancellationToken))
        {
            Console.WriteLine($"{user.Username}\t{user.Role.ToWire()}\t{user.CreatedAt:yyyy-MM-dd}{(user.Disabled ? "\tdisabled" : "")}");
        }

        return ExitCodes.Ok;
    }
}
