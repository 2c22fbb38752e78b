using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary>The README's commands do all their set-up on a fresh machine: nothing it names is left for the reader to install.</summary>
public partial class ReadmeTests
{
    private static string Top => Repository.Root;

    private static string Readme => File.ReadAllText(Path.Combine(Top, "README.md"));

    /// <summary>The commands (not comments) of the first code block after <paramref name="heading"/>.</summary>
    private static List<string> FirstBlockAfter(string heading)
    {
        var text = Readme[Readme.IndexOf(heading, StringComparison.Ordinal)..];
        var block = CodeBlock().Match(text).Groups[1].Value;
        return [.. block.Split('\n').Select(l => l.Split(" #")[0].Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    [GeneratedRegex("```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void The_test_command_installs_every_debian_package_the_readme_names_and_runs_the_whole_suite()
    {
        var commands = FirstBlockAfter("## Two commands");
        Assert.Equal(2, commands.Count);
        Assert.StartsWith("dotnet run --project src/Vigil.Cli -c Release -- serve", commands[0], StringComparison.Ordinal); // dotnet run restores and builds
        string script = commands[1].Split(' ')[0];
        Assert.True(File.Exists(Path.Combine(Top, script)), $"the README's test command '{commands[1]}' is not a script of the repository");
        string body = File.ReadAllText(Path.Combine(Top, script));
        Assert.Contains("apt-get install", body, StringComparison.Ordinal);
        Assert.Contains("\ndotnet test Vigil.slnx -c Release \"$@\"", body, StringComparison.Ordinal); // not exec: the throw-away services stop after

        // Every Debian package of the README's paragraph is one the script installs, and CI runs the same script.
        var paragraph = Readme[Readme.IndexOf("Debian packages:", StringComparison.Ordinal)..];
        paragraph = paragraph[..paragraph.IndexOf("\n\n", StringComparison.Ordinal)];
        var named = InlineCode().Matches(paragraph).SelectMany(m => m.Groups[1].Value.Split(' ')).Where(p => !p.Contains('/', StringComparison.Ordinal) && !p.StartsWith('-')).ToList();
        Assert.Contains("chromium", named);
        Assert.All(named, package => Assert.Contains(package, body, StringComparison.Ordinal));
        Assert.Contains($"{script} --logger", File.ReadAllText(Path.Combine(Top, ".ci", "run")), StringComparison.Ordinal);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();

    [Fact]
    public async Task The_test_script_sets_up_without_error()
    {
        // Installs nothing where everything is there already (CI and any machine that has run it once).
        var start = new ProcessStartInfo("bash", ["tools/test.sh", "--setup-only"]) { WorkingDirectory = Top, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await output + await error);
    }

    [Fact]
    public void The_cli_tour_starts_with_how_to_get_a_vigil_binary()
    {
        var first = FirstBlockAfter("## A tour of the CLI")[0];
        Assert.StartsWith("tools/install.sh", first, StringComparison.Ordinal);
        string body = File.ReadAllText(Path.Combine(Top, "tools", "install.sh"));
        Assert.Contains("dotnet publish src/Vigil.Cli -c Release", body, StringComparison.Ordinal);
        Assert.Contains("$prefix/bin/vigil", body, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(Top, "tools", "install.sh")).HasFlag(UnixFileMode.UserExecute));
            Assert.True(File.GetUnixFileMode(Path.Combine(Top, "tools", "test.sh")).HasFlag(UnixFileMode.UserExecute));
        }
    }
}
