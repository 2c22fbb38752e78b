using System.CommandLine;
using Spectre.Console;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Hosting;
using Vigil.Storage;
using Vigil.Storage.Banks;

namespace Vigil.Cli.Commands;

/// <summary>
/// Vigil's database for the commands that use one (serve, user, key, audit, bank, match, scan's hash banks):
/// <c>./vigil.db</c> unless <c>--db</c> says otherwise. Changes made here are audited with the actor <c>cli:USER</c>
/// (the operating-system user; <c>cli</c> when it is unknown).
/// </summary>
internal static class Database
{
    /// <summary>Vigil's database in the current folder (the default of <c>vigil serve</c> too).</summary>
    public const string DefaultPath = VigilStorage.DefaultConnection;

    public static Option<string> Option(bool recursive = false) => new("--db")
    {
        Description = $"Vigil's database: a SQLite file (default: {DefaultPath} in the current folder), or PostgreSQL: \"Host=…;Database=…;Username=…\" or a postgres:// URL.",
        DefaultValueFactory = _ => DefaultPath,
        Recursive = recursive,
    };

    /// <summary>The audit actor of changes made with the CLI: <c>cli:</c> and the operating-system user (<c>cli</c> when unknown).</summary>
    public static string Actor()
    {
        string user;
        try
        {
            user = Environment.UserName;
        }
        catch (InvalidOperationException)
        {
            user = "";
        }

        return user.Length is > 0 and <= 64 && !user.Any(char.IsControl) ? $"cli:{user}" : "cli";
    }

    /// <summary>Opens the store, or says why it cannot (on standard error, prefixed with <paramref name="command"/>) and
    /// returns null.</summary>
    public static async Task<IVigilStore?> OpenAsync(string path, IAnsiConsole console, string command, CancellationToken cancellationToken)
    {
        try
        {
            return await VigilStorage.OpenAsync(path, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Data.Common.DbException or InvalidDataException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] cannot open the database '{VigilStorage.Describe(path)}': {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Opens the database at <paramref name="path"/> and runs <paramref name="action"/> on it; a refused change (exit code
    /// <see cref="ExitCodes.Usage"/>), an unusable database (<see cref="ExitCodes.Fatal"/>) or cancellation
    /// (<see cref="ExitCodes.Cancelled"/>) becomes a message on standard error prefixed with <paramref name="command"/>.
    /// </summary>
    public static async Task<int> UseAsync(string path, string command, Func<IVigilStore, Task<int>> action, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var store = await VigilStorage.OpenAsync(path, cancellationToken: cancellationToken);
            return await action(store);
        }
        catch (Exception e) when (e is HashBankException or BankExistsException)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{command}: {e.Message.Split(" (Parameter", 2)[0]}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"{command}: the database {VigilStorage.Describe(path)} cannot be used: {e.Message}");
            return ExitCodes.Fatal;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{command}: cancelled");
            return ExitCodes.Cancelled;
        }
    }
}
