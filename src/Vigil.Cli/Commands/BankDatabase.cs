using System.CommandLine;
using Vigil.Storage.Banks;
using Vigil.Storage.Sqlite;

namespace Vigil.Cli.Commands;

/// <summary>The database that holds the hash banks: <c>./vigil.db</c> unless <c>--db</c> says otherwise.</summary>
internal static class BankDatabase
{
    /// <summary>Vigil's database in the current folder (the default of <c>vigil serve</c> too).</summary>
    public const string DefaultPath = "vigil.db";

    public static Option<string> Option() => new("--db")
    {
        Description = $"Vigil's SQLite database, which holds the hash banks (default: {DefaultPath} in the current folder).",
        DefaultValueFactory = _ => DefaultPath,
        Recursive = true,
    };

    /// <summary>The audit actor of bank changes made here: <c>cli:</c> and the operating-system user (<c>cli</c> when unknown).</summary>
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

    /// <summary>Opens (creating and migrating) the database.</summary>
    public static async Task<SqliteHashBankStore> OpenAsync(string path, CancellationToken cancellationToken) =>
        new(await SqliteDatabase.OpenAsync(path, cancellationToken));

    /// <summary>
    /// Opens the database at <paramref name="path"/> and runs <paramref name="action"/> on its bank store; a store error
    /// (exit code <see cref="ExitCodes.Usage"/>), an unusable database (<see cref="ExitCodes.Fatal"/>) or cancellation
    /// (<see cref="ExitCodes.Cancelled"/>) becomes a message on standard error prefixed with <paramref name="command"/>.
    /// </summary>
    public static async Task<int> UseAsync(string path, string command, Func<IHashBankStore, Task<int>> action, CancellationToken cancellationToken = default)
    {
        try
        {
            var store = await OpenAsync(path, cancellationToken);
            return await action(store);
        }
        catch (HashBankException e)
        {
            Console.Error.WriteLine($"{command}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{command}: the database {path} cannot be used: {e.Message}");
            return ExitCodes.Fatal;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"{command}: cancelled");
            return ExitCodes.Cancelled;
        }
    }
}
