namespace Vigil.Bench;

/// <summary>Where the benchmarks find the repository and the labelled datasets.</summary>
internal static class BenchPaths
{
    /// <summary>The labelled datasets: $VIGIL_SHARED/data, else ../shared/data next to the repository.</summary>
    public static string Datasets => Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } shared
        ? Path.Combine(shared, "data")
        : InRepository(Path.Combine("..", "shared", "data"));

    /// <summary>A path relative to the repository's root (the folder with Vigil.slnx above the running program).</summary>
    public static string InRepository(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, relative));
            }
        }

        throw new DirectoryNotFoundException(relative);
    }
}
