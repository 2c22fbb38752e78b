namespace Vigil.Cli.Tests;

public sealed class TrainCommandTests
{
    [Theory]
    [InlineData("--no-embeddings")]
    [InlineData("--encoder-from", "tuned.onnx")]
    public void Tuning_the_encoder_refuses_options_that_contradict_it(params string[] other)
    {
        string folder = Path.Combine(Path.GetTempPath(), $"vigil-train-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var result = VigilProcess.Run(folder, ["train", "--tune-encoder", "-o", folder, .. other]);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--tune-encoder cannot be combined", result.Stderr.ReplaceLineEndings(" "), StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(folder)); // nothing trained, nothing written
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
