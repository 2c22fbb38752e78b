using Vigil.Cli.Scanning;

namespace Vigil.Cli.Tests;

/// <summary>Folders are read without following links to folders unless asked, and then without loops.</summary>
public class FolderWalkTests
{
    [Fact]
    public void Links_to_folders_are_left_out_unless_asked_and_then_each_real_folder_is_read_once()
    {
        using var temp = new TempFolder();
        temp.Write("posts/a.txt", "Lovely weather in Leeds");
        temp.Write("posts/sub/b.txt", "The bake sale is at noon");
        temp.Write("elsewhere/c.txt", "Garden club meets on Friday");
        string posts = Path.Combine(temp.Path, "posts");
        Directory.CreateSymbolicLink(Path.Combine(posts, "sub", "loop"), posts);                   // a loop to an ancestor
        Directory.CreateSymbolicLink(Path.Combine(posts, "out"), Path.Combine(temp.Path, "elsewhere")); // a folder outside
        Directory.CreateSymbolicLink(Path.Combine(posts, "out2"), Path.Combine(temp.Path, "elsewhere")); // the same one again
        File.CreateSymbolicLink(Path.Combine(posts, "link.txt"), Path.Combine(temp.Path, "elsewhere", "c.txt")); // a link to a file

        string Relative(string p) => Path.GetRelativePath(temp.Path, p).Replace('\\', '/');
        Assert.Equal(["posts/a.txt", "posts/link.txt", "posts/sub/b.txt"], FolderWalk.Files(posts, followSymlinks: false).Select(Relative));
        Assert.Equal(["posts/a.txt", "posts/link.txt", "posts/out/c.txt", "posts/sub/b.txt"], FolderWalk.Files(posts, followSymlinks: true).Select(Relative));

        // The command: by default the links are not followed; with --follow-symlinks once, and the scan ends.
        var plain = VigilProcess.Run(temp.Path, "scan", "posts", "--quiet", "--no-language", "--embeddings", "off");
        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.Equal(3, plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var followed = VigilProcess.Run(temp.Path, "scan", "posts", "--follow-symlinks", "--quiet", "--no-language", "--embeddings", "off");
        Assert.True(followed.ExitCode == 0, followed.Stderr);
        Assert.Contains("posts/out/c.txt", followed.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, followed.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
