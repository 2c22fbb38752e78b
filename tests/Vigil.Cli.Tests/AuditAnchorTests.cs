using Microsoft.Data.Sqlite;

namespace Vigil.Cli.Tests;

/// <summary>An anchor kept outside the database shows what the chain alone cannot: entries cut from its end.</summary>
public class AuditAnchorTests
{
    [Fact]
    public void A_tail_cut_from_a_copy_passes_the_chain_check_but_fails_against_the_anchor()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.RunWithInput(temp.Path, "a password of some length\n", "user", "add", "alice", "--role", "admin", "--password-stdin").ExitCode);
        foreach (var name in new[] { "acme", "bravo", "charlie" })
        {
            Assert.Equal(0, VigilProcess.Run(temp.Path, "key", "create", "--name", name, "--scope", "ingest").ExitCode);
        }

        var anchor = VigilProcess.Run(temp.Path, "audit", "anchor");
        Assert.Equal(0, anchor.ExitCode);
        string head = anchor.Stdout.Trim();
        Assert.Matches("^4:[0-9a-f]{64}$", head);
        Assert.Contains("verify --anchor", anchor.Stderr, StringComparison.Ordinal);
        var intact = VigilProcess.Run(temp.Path, "audit", "verify", "--anchor", head);
        Assert.True(intact.ExitCode == 0, intact.Stdout + intact.Stderr);
        Assert.Contains("entry 4 matches the anchor", intact.Stdout, StringComparison.Ordinal);

        // Someone who can write a copy of the database drops the append-only triggers and cuts the last two entries.
        string copy = Path.Combine(temp.Path, "copy.db");
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            if (File.Exists(Path.Combine(temp.Path, "vigil.db" + suffix)))
            {
                File.Copy(Path.Combine(temp.Path, "vigil.db" + suffix), copy + suffix);
            }
        }

        using (var connection = new SqliteConnection($"Data Source={copy};Pooling=False"))
        {
            connection.Open();
            using var cut = connection.CreateCommand();
            cut.CommandText = "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 2;";
            cut.ExecuteNonQuery();
        }

        var chainOnly = VigilProcess.Run(temp.Path, "audit", "verify", "--db", copy);
        Assert.Equal(0, chainOnly.ExitCode); // what is left still links up
        Assert.Contains("2 entries", chainOnly.Stdout, StringComparison.Ordinal);

        var anchored = VigilProcess.Run(temp.Path, "audit", "verify", "--db", copy, "--anchor", head);
        Assert.Equal(4, anchored.ExitCode);
        Assert.Contains("does NOT match the anchor", anchored.Stdout, StringComparison.Ordinal);
        Assert.Contains("entries 3-4", anchored.Stdout, StringComparison.Ordinal);
        Assert.Contains("cut from its end", anchored.Stdout, StringComparison.Ordinal);

        Assert.Equal(2, VigilProcess.Run(temp.Path, "audit", "verify", "--anchor", "four:abc").ExitCode);
    }
}
