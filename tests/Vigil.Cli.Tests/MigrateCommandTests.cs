namespace Vigil.Cli.Tests;

public class MigrateCommandTests
{
    [Fact]
    public void Copies_a_database_verifies_it_and_copies_nothing_twice()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "tvec").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "key", "create", "--name", "acme", "--scope", "ingest").ExitCode);

        var first = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("verified", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("audit                      2 copied, 0 already there", first.Stderr, StringComparison.Ordinal);
        var again = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("audit                      0 copied, 2 already there", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "audit", "verify", "--db", "copy.db").ExitCode);
        Assert.Contains("acme", VigilProcess.Run(temp.Path, "key", "list", "--db", "copy.db").Stdout, StringComparison.Ordinal);

        // A copy that went its own way is refused; so are a missing source and the same database twice.
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "only-in-copy", "--db", "copy.db").ExitCode);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "bank", "create", "only-in-source").ExitCode);
        var diverged = VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "copy.db");
        Assert.Equal(3, diverged.ExitCode);
        Assert.Contains("is not the one of", diverged.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, VigilProcess.Run(temp.Path, "migrate", "--from", "nothing.db", "--to", "copy.db").ExitCode);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "migrate", "--from", "vigil.db", "--to", "./vigil.db").ExitCode);
    }
}
