using Vigil.Media;

namespace Vigil.Cli.Scanning;

/// <summary>Finding and reading image files for <c>vigil hash</c>, <c>vigil match</c> and <c>vigil scan</c>.</summary>
internal static class MediaFiles
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase) { ".jpg", ".jpeg", ".png", ".gif", ".webp" };

    /// <summary>True for the extensions of the decoded formats (JPEG, PNG, GIF, WebP).</summary>
    public static bool HasImageExtension(string path) => ImageExtensions.Contains(Path.GetExtension(path));

    /// <summary>True when the file starts like a JPEG, PNG, GIF or WebP file (false when it cannot be read).</summary>
    public static bool StartsLikeImage(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> header = stackalloc byte[16];
            int n = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
            return ImageDecoder.LooksLikeImage(header[..n]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>True when the file is treated as an image: by its extension, else by its first bytes.</summary>
    public static bool IsImage(string path) => HasImageExtension(path) || StartsLikeImage(path);

    /// <summary>Files as given; folders (recursively, hidden files left out) to the images in them, in name order.</summary>
    public static IEnumerable<string> ExpandImages(IEnumerable<string> paths) => Expand(paths, IsImage);

    /// <summary>True for a plain text file (<c>.txt</c>), which <c>vigil match</c> matches against text banks.</summary>
    public static bool IsText(string path) => string.Equals(Path.GetExtension(path), ".txt", StringComparison.OrdinalIgnoreCase);

    /// <summary>Files as given; folders to the images and text files in them, in name order.</summary>
    public static IEnumerable<string> ExpandImagesAndTexts(IEnumerable<string> paths) => Expand(paths, p => IsText(p) || IsImage(p));

    private static IEnumerable<string> Expand(IEnumerable<string> paths, Func<string, bool> wanted)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .Order(StringComparer.Ordinal)
                    .Where(wanted))
                {
                    yield return file;
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    /// <summary>The bytes of a file, refusing files over the decoder's encoded-size limit before reading them.</summary>
    /// <exception cref="MediaDecodeException">The file is larger than <see cref="ImageDecoder.MaxEncodedBytes"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public static async Task<byte[]> ReadAsync(string path, ImageDecoder decoder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new IOException("is a folder");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no such file", path);
        }

        long length = new FileInfo(path).Length;
        if (length > decoder.MaxEncodedBytes)
        {
            throw new MediaDecodeException(MediaDecodeFailure.TooLarge, $"The file is larger than the {decoder.MaxEncodedBytes}-byte limit for images.");
        }

        return await File.ReadAllBytesAsync(path, cancellationToken);
    }

    /// <summary>A one-line description of why a file could not be used as an image.</summary>
    public static string Describe(Exception e) => e switch
    {
        MediaDecodeException m => m.Summary,
        FileNotFoundException => "no such file",
        _ => $"cannot read: {e.Message}",
    };
}
