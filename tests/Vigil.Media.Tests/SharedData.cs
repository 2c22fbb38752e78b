namespace Vigil.Media.Tests;

/// <summary>Locates the shared PDQ reference data: $VIGIL_SHARED/pdq, else ../shared/pdq beside the repository
/// root, else /work/shared/pdq.</summary>
internal static class SharedData
{
    private static readonly Lazy<string> PdqRoot = new(FindPdqRoot);

    public static string Pdq => PdqRoot.Value;

    public static string PathOf(string relative) => Path.Combine(Pdq, relative);

    public static string[] Lines(string relative) =>
        File.ReadAllLines(PathOf(relative)).Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();

    private static string FindPdqRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
        {
            dir = dir.Parent;
        }

        if (dir is null)
        {
            throw new InvalidOperationException(
                $"Could not find the repository root (a folder containing Vigil.slnx) above {AppContext.BaseDirectory}.");
        }

        string shared = Environment.GetEnvironmentVariable("VIGIL_SHARED") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Directory.Exists(Path.Combine(dir.FullName, "..", "shared")) ? Path.Combine(dir.FullName, "..", "shared") : "/work/shared";
        var pdq = Path.GetFullPath(Path.Combine(shared, "pdq"));
        if (!Directory.Exists(pdq) || !File.Exists(Path.Combine(pdq, "expected", "fullres.csv")))
        {
            throw new InvalidOperationException(
                $"The shared PDQ test data is missing: expected it at {pdq} (../shared/pdq relative to the repository root {dir.FullName}).");
        }

        return pdq;
    }
}
