using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vigil.Cli.Tests;

/// <summary>
/// The fuzzing set-up stays whole (the harnesses run under afl++ through tools/fuzz.sh, outside the tests): every target
/// of fuzz/Vigil.Fuzz has small seeds and an instrumentation list in the script, and the script refuses wrong usage.
/// </summary>
public partial class FuzzSetupTests
{
    private static string Top => Repository.Root;

    [GeneratedRegex("""new\("([a-z-]+)", """)]
    private static partial Regex TargetName();

    private static List<string> Targets() =>
        [.. TargetName().Matches(File.ReadAllText(Path.Combine(Top, "fuzz", "Vigil.Fuzz", "FuzzTargets.cs"))).Select(m => m.Groups[1].Value)];

    [Fact]
    public void Every_target_has_small_seeds_and_an_instrumentation_list()
    {
        var targets = Targets();
        Assert.Contains("image", targets);
        Assert.Contains("submission", targets);
        string script = File.ReadAllText(Path.Combine(Top, "tools", "fuzz.sh"));
        foreach (var target in targets)
        {
            var seeds = Directory.GetFiles(Path.Combine(Top, "fuzz", "corpus", target));
            Assert.NotEmpty(seeds);
            Assert.All(seeds, seed => Assert.True(new FileInfo(seed).Length <= 4096, $"{seed} is over 4 KB: seeds stay small"));
            Assert.Matches($@"(^|[ |]){Regex.Escape(target)}( \||\))", script);
        }

        var folders = Directory.GetDirectories(Path.Combine(Top, "fuzz", "corpus")).Select(d => Path.GetFileName(d)!).Order().ToList();
        Assert.Equal(targets.Order().ToList(), folders);
    }

    [Theory]
    [InlineData("nope", "10", "unknown target 'nope'")]
    [InlineData("image", "0", "SECONDS must be a positive whole number")]
    [InlineData("image", "", "usage: tools/fuzz.sh TARGET SECONDS")]
    public async Task The_script_refuses_wrong_usage_with_exit_2(string target, string seconds, string message)
    {
        string[] arguments = seconds.Length == 0 ? ["tools/fuzz.sh", target] : ["tools/fuzz.sh", target, seconds];
        var start = new ProcessStartInfo("bash", arguments) { WorkingDirectory = Top, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(message, await error, StringComparison.Ordinal);
    }
}
