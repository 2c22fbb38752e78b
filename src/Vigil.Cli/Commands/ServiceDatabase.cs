using System.CommandLine;
using Spectre.Console;
using Vigil.Storage.Store;

namespace Vigil.Cli.Commands;

/// <summary>The moderation service's database (<c>./vigil.db</c> unless <c>--db</c> says otherwise), for serve, user, key and audit.</summary>
internal static class ServiceDatabase
{
    public const string DefaultPath = "vigil.db";

    public static Option<string> Option() => new("--db")
    {
        Description = $"Vigil's SQLite database (default: {DefaultPath} in the current folder).",
        DefaultValueFactory = _ => DefaultPath,
    };

    /// <summary>Opens the store, or reports why it cannot and returns null.</summary>
    public static async Task<SqliteVigilStore?> OpenAsync(string path, IAnsiConsole console, string command, CancellationToken cancellationToken)
    {
        try
        {
            return await SqliteVigilStore.OpenAsync(path, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            console.MarkupLineInterpolated($"[red]vigil {command}:[/] cannot open the database '{path}': {e.Message}");
            return null;
        }
    }
}
