using Vigil.Training.Evaluation;

namespace Vigil.Training.Tests;

public sealed class MeasuredElsewhereTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vigil-quality-{Guid.NewGuid():N}");

    [Fact]
    public void Each_reports_summary_comes_with_its_title_links_relative_to_docs_and_a_link_to_the_whole()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "b-second.md"), "# Second\n\n## Summary\n\nNo figures.\n");
        File.WriteAllText(Path.Combine(_folder, "a-first.md"), """
            # First report

            Intro, not summed up.

            ## Summary

            | figure | value |
            |---|---|
            | recall | 0.97 |

            ![curve](curve.png) and [speed](../benchmarks.md), [elsewhere](https://example.org/x)

            ## Details

            Not summed up either.
            """);
        File.WriteAllText(Path.Combine(_folder, "no-summary.md"), "# Nothing to sum up\n");

        string md = MeasuredElsewhere.Render(_folder);

        Assert.StartsWith("\n## First report\n\n| figure | value |", md, StringComparison.Ordinal);
        Assert.Contains("![curve](quality/curve.png) and [speed](benchmarks.md), [elsewhere](https://example.org/x)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("not summed up", md, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[quality/a-first.md](quality/a-first.md)", md, StringComparison.Ordinal);
        Assert.True(md.IndexOf("## First report", StringComparison.Ordinal) < md.IndexOf("## Second", StringComparison.Ordinal));
        Assert.DoesNotContain("Nothing to sum up", md, StringComparison.Ordinal);
        Assert.Equal("", MeasuredElsewhere.Render(Path.Combine(_folder, "missing")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
