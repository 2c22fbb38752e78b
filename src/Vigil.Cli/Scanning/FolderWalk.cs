namespace Vigil.Cli.Scanning;

/// <summary>
/// The files below a folder, for <c>vigil scan</c>, <c>vigil hash</c> and <c>vigil match</c>: recursively, in ordinal
/// order of their paths, leaving out hidden entries (names starting with '.'). A symbolic link to a folder is not
/// entered unless asked (<c>--follow-symlinks</c>); then each real folder is entered once, so that a link to an
/// ancestor (a loop) or two links to one folder read nothing twice: the folders themselves first, then the links (in
/// order of their paths), so that a file is named by its path without a link where it has one. Links to files are read as files. Paths keep the
/// form they were given in (<c>posts/a/b.txt</c>), since they are the documents' ids.
/// </summary>
internal static class FolderWalk
{
    public static IEnumerable<string> Files(string folder, bool followSymlinks)
    {
        var files = new List<string>();
        var entered = new HashSet<string>(StringComparer.Ordinal) { RealPath(folder) };
        var pending = new Stack<(string Path, string Real)>();
        pending.Push((folder, RealPath(folder)));
        var links = new SortedSet<string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = 0 };
        while (pending.Count > 0 || links.Count > 0)
        {
            if (pending.Count == 0)
            {
                string link = links.Min!;
                links.Remove(link);
                if (LinkTarget(link) is { } target && entered.Add(target))
                {
                    pending.Push((link, target));
                }

                continue;
            }

            var (path, real) = pending.Pop();
            List<FileSystemInfo> entries;
            try
            {
                entries = [.. new DirectoryInfo(path).EnumerateFileSystemInfos("*", options).Where(e => !e.Name.StartsWith('.'))];
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var entry in entries)
            {
                string child = Path.Combine(path, entry.Name);
                if (entry is FileInfo)
                {
                    files.Add(child);
                }
                else if (entry.LinkTarget is not null)
                {
                    if (followSymlinks)
                    {
                        links.Add(child);
                    }
                }
                else if (entered.Add(Path.Combine(real, entry.Name)))
                {
                    pending.Push((child, Path.Combine(real, entry.Name)));
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>The folder's absolute path, through the link when it is one.</summary>
    private static string RealPath(string folder) => LinkTarget(folder) ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

    /// <summary>Where a link to a folder leads in the end, or null when it is no link or leads nowhere.</summary>
    private static string? LinkTarget(string path)
    {
        try
        {
            return Directory.ResolveLinkTarget(path, returnFinalTarget: true) is DirectoryInfo { Exists: true } target
                ? Path.TrimEndingDirectorySeparator(target.FullName)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
