using System.CommandLine;
using Spectre.Console;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil user add|list|disable|enable|role|reset-password|sessions|signout|reset-two-factor</c>: reviewer accounts of the
/// review UI and their lifecycle (each change audited; one that takes access away ends the user's sessions).</summary>
internal static class UserCommand
{
    public const int MinPasswordLength = UserLifecycle.MinPasswordLength;

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The username (letters, digits, '.', '-', '_', '@'; at most 64)." };
        var role = new Option<string>("--role") { Description = "admin, moderator, analyst (read-only) or compliance (orders, holds, notices, reports).", Required = true };
        role.AcceptOnlyFromAmong([.. RoleNames.All]);
        var display = new Option<string?>("--display-name") { Description = "The name shown in the UI." };
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input (for scripts)." };
        var db = Database.Option();
        var add = new Command("add", "Create a user; asks for the password (at least 12 characters).") { name, role, display, stdin, db };
        add.SetAction((result, ct) => AddAsync(result.GetValue(name)!, result.GetValue(role)!, result.GetValue(display), result.GetValue(stdin), result.GetValue(db)!, ct));

        var listDb = Database.Option();
        var list = new Command("list", "List the users.") { listDb };
        list.SetAction((result, ct) => ListAsync(result.GetValue(listDb)!, ct));
        return new Command("user", "Reviewer accounts (roles admin, moderator, analyst, compliance) and their sessions.")
        {
            add,
            list,
            Change("disable", "Disable a user: they cannot sign in and their sessions end (their API keys stay).", (s, n, a, ct) => Lifecycle(s).DisableAsync(n, a, ct), "disabled"),
            Change("enable", "Enable a disabled user again.", (s, n, a, ct) => Lifecycle(s).EnableAsync(n, a, ct), "enabled"),
            RoleCommand(),
            ResetPasswordCommand(),
            SessionsCommand(),
            Change("signout", "Sign a user out everywhere: every session of theirs ends at once.", (s, n, a, ct) => Lifecycle(s).SignOutEverywhereAsync(n, a, ct), "signed out everywhere:"),
            Change(
                "reset-two-factor",
                "Switch a user's two-factor sign-in off (a lost device): they set it up again at next sign-in; their sessions end.",
                (s, n, a, ct) => new TwoFactor(s, Cache(), TimeProvider.System).ResetAsync(n, a, ct),
                "two-factor reset for"),
        };
    }

    private static Argument<string> NameArgument() => new("name") { Description = "The username." };

    /// <summary>A command that makes one change to a user (<see cref="UserLifecycle"/>).</summary>
    private static Command Change(string verb, string description, Func<Vigil.Storage.IVigilStore, string, string, CancellationToken, Task<UserChangeStatus>> change, string done)
    {
        var name = NameArgument();
        var db = Database.Option();
        var command = new Command(verb, description) { name, db };
        command.SetAction((result, ct) => WithStoreAsync(result.GetValue(db)!, $"user {verb}", async (store, console) =>
        {
            string user = result.GetValue(name)!;
            var status = await change(store, user, Database.Actor(), ct);
            return Report(console, $"user {verb}", user, status, $"[green]{done}[/] {Markup.Escape(user)}");
        }, ct));
        return command;
    }

    private static Command RoleCommand()
    {
        var name = NameArgument();
        var role = new Argument<string>("role") { Description = "admin, moderator, analyst or compliance." };
        role.AcceptOnlyFromAmong([.. RoleNames.All]);
        var db = Database.Option();
        var command = new Command("role", "Change a user's role; their sessions end (they sign in again with the new role).") { name, role, db };
        command.SetAction((result, ct) => WithStoreAsync(result.GetValue(db)!, "user role", async (store, console) =>
        {
            string user = result.GetValue(name)!;
            _ = RoleNames.TryParse(result.GetValue(role), out var newRole);
            var status = await Lifecycle(store).SetRoleAsync(user, newRole, Database.Actor(), ct);
            return Report(console, "user role", user, status, $"[green]{Markup.Escape(user)}[/] is now {newRole.ToWire()}");
        }, ct));
        return command;
    }

    private static Command ResetPasswordCommand()
    {
        var name = NameArgument();
        var db = Database.Option();
        var command = new Command("reset-password", "Give a user a temporary password (printed once) to replace at next sign-in; their sessions end.") { name, db };
        command.SetAction((result, ct) => WithStoreAsync(result.GetValue(db)!, "user reset-password", async (store, console) =>
        {
            string user = result.GetValue(name)!;
            var (status, temporary) = await Lifecycle(store).ResetPasswordAsync(user, Database.Actor(), ct);
            int code = Report(console, "user reset-password", user, status, $"[green]reset[/] the password of {Markup.Escape(user)}; hand them this temporary password (not shown again):");
            if (temporary is not null)
            {
                Console.WriteLine(temporary);
            }

            return code;
        }, ct));
        return command;
    }

    private static Command SessionsCommand()
    {
        var name = NameArgument();
        var db = Database.Option();
        var command = new Command("sessions", "List a user's live sessions: id, started, expires, how, address.") { name, db };
        command.SetAction((result, ct) => WithStoreAsync(result.GetValue(db)!, "user sessions", async (store, console) =>
        {
            string user = result.GetValue(name)!;
            if (await Lifecycle(store).ListSessionsAsync(user, ct) is not { } sessions)
            {
                return Report(console, "user sessions", user, UserChangeStatus.NotFound, "");
            }

            foreach (var s in sessions)
            {
                Console.WriteLine($"{s.Id}\t{s.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}\t{s.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}\t{s.Via}\t{s.Address ?? "-"}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    /// <summary>Opens the database (a clear error and <see cref="ExitCodes.Fatal"/> when it cannot be) and runs the command on it.</summary>
    private static async Task<int> WithStoreAsync(string db, string command, Func<Vigil.Storage.IVigilStore, IAnsiConsole, Task<int>> run, CancellationToken cancellationToken)
    {
        var console = CommonOptions.ErrorConsole();
        await using var store = await Database.OpenAsync(db, console, command, cancellationToken);
        return store is null ? ExitCodes.Fatal : await run(store, console);
    }

    private static UserLifecycle Lifecycle(Vigil.Storage.IVigilStore store) => new(store, Cache(), TimeProvider.System);

    /// <summary>A command's own session cache (empty: the servers see the change within their check interval).</summary>
    private static SessionCache Cache() => new(new SessionSettings(), TimeProvider.System);

    private static int Report(IAnsiConsole console, string command, string user, UserChangeStatus status, string done)
    {
        switch (status)
        {
            case UserChangeStatus.Changed:
                console.MarkupLine(done);
                return ExitCodes.Ok;
            case UserChangeStatus.Unchanged:
                console.MarkupLineInterpolated($"{user}: nothing to change");
                return ExitCodes.Ok;
            case UserChangeStatus.LastAdmin:
                console.MarkupLineInterpolated($"[red]vigil {command}:[/] {user} is the last enabled admin; make another user admin first.");
                return ExitCodes.Usage;
            default:
                console.MarkupLineInterpolated($"[red]vigil {command}:[/] there is no user '{user}'.");
                return ExitCodes.Usage;
        }
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
