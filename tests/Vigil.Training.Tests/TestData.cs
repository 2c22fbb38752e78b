using Vigil.Training.Data;

namespace Vigil.Training.Tests;

internal static class TestData
{
    /// <summary>The labelled datasets where vigil looks for them (<see cref="DatasetCatalogue.DefaultRoot"/>). Missing
    /// data is an error, never a silent skip.</summary>
    public static string SharedData { get; } = Directory.Exists(DatasetCatalogue.DefaultRoot())
        ? DatasetCatalogue.DefaultRoot()
        : throw new DirectoryNotFoundException($"The labelled datasets were not found at '{DatasetCatalogue.DefaultRoot()}'; set VIGIL_SHARED.");
}
