namespace Vigil.Cli.Tests;

/// <summary><c>vigil user disable|enable|role|reset-password|sessions|signout</c>: each change audited, clear refusals.</summary>
public class UserLifecycleTests
{
    [Fact]
    public void An_admin_disables_enables_changes_the_role_of_resets_and_signs_out_a_user_each_audited()
    {
        using var temp = new TempFolder();
        Assert.Equal(0, VigilProcess.RunWithInput(temp.Path, "a password of some length\n", "user", "add", "alice", "--role", "admin", "--password-stdin").ExitCode);
        Assert.Equal(0, VigilProcess.RunWithInput(temp.Path, "a password of some length\n", "user", "add", "bob", "--role", "moderator", "--password-stdin").ExitCode);

        var disable = VigilProcess.Run(temp.Path, "user", "disable", "bob");
        Assert.Equal(0, disable.ExitCode);
        Assert.Contains("disabled bob", disable.Stderr, StringComparison.Ordinal);
        Assert.Contains("bob\tmoderator\t", VigilProcess.Run(temp.Path, "user", "list").Stdout, StringComparison.Ordinal);
        Assert.Contains("\tdisabled", VigilProcess.Run(temp.Path, "user", "list").Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing to change", VigilProcess.Run(temp.Path, "user", "disable", "bob").Stderr, StringComparison.Ordinal);
        Assert.Equal(0, VigilProcess.Run(temp.Path, "user", "enable", "bob").ExitCode);
        Assert.DoesNotContain("disabled", VigilProcess.Run(temp.Path, "user", "list").Stdout, StringComparison.Ordinal);

        Assert.Equal(0, VigilProcess.Run(temp.Path, "user", "role", "bob", "analyst").ExitCode);
        Assert.Contains("bob\tanalyst\t", VigilProcess.Run(temp.Path, "user", "list").Stdout, StringComparison.Ordinal);
        Assert.Equal(2, VigilProcess.Run(temp.Path, "user", "role", "bob", "boss").ExitCode);

        var reset = VigilProcess.Run(temp.Path, "user", "reset-password", "bob");
        Assert.Equal(0, reset.ExitCode);
        Assert.Matches("^[A-Za-z0-9]{20}$", reset.Stdout.Trim()); // the temporary password, on standard output only

        Assert.Equal(0, VigilProcess.Run(temp.Path, "user", "signout", "bob").ExitCode);
        var sessions = VigilProcess.Run(temp.Path, "user", "sessions", "bob");
        Assert.Equal(0, sessions.ExitCode);
        Assert.Equal("", sessions.Stdout);

        // The last enabled admin stays one; an unknown user is named.
        var last = VigilProcess.Run(temp.Path, "user", "disable", "alice");
        Assert.Equal(2, last.ExitCode);
        Assert.Contains("last enabled admin", last.Stderr, StringComparison.Ordinal);
        var unknown = VigilProcess.Run(temp.Path, "user", "signout", "carol");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no user 'carol'", unknown.Stderr, StringComparison.Ordinal);

        Assert.Equal(0, VigilProcess.Run(temp.Path, "audit", "verify").ExitCode);
        string audit = VigilProcess.Run(temp.Path, "audit", "list").Stdout;
        foreach (var action in new[] { "user.disabled", "user.enabled", "user.role_changed", "user.password_reset", "user.signed_out_everywhere" })
        {
            Assert.Contains($"\t{action}\tuser:bob\t", audit, StringComparison.Ordinal);
        }
    }
}
