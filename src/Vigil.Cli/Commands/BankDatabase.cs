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
}
