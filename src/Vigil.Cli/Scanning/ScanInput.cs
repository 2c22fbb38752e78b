using System.Text;
using System.Text.Json;
using Vigil.Core.Formats;

namespace Vigil.Cli.Scanning;

/// <summary>One document to scan, or a problem with one piece of input (which is reported, never fatal).</summary>
/// <param name="Id">The document's id (its own, or path:line when it has none).</param>
/// <param name="Text">The text, or null when <see cref="Error"/> is set.</param>
/// <param name="Source">path:line (or path for whole files), for error messages.</param>
/// <param name="Error">What was wrong with this input.</param>
/// <param name="PendingJson">A JSON line not parsed yet: workers parse it, so that parsing runs in parallel.</param>
/// <param name="ImagePath">An image file to scan (hashes, bank matches, OCR text) instead of text.</param>
internal sealed record ScanItem(string Id, string? Text, string Source, string? Error = null, string? PendingJson = null, string? ImagePath = null)
{
    /// <summary>This item with its pending JSON line parsed (or itself when there is none).</summary>
    public ScanItem Parsed(ScanInputOptions options) => PendingJson is null ? this : ScanInput.ParseJsonLine(PendingJson, Source, options);
}

/// <summary>Options for reading scan input.</summary>
internal sealed record ScanInputOptions(
    string TextField = "text",
    string IdField = "id",
    char? Delimiter = null,
    int MaxDocumentChars = ScanInputOptions.DefaultMaxDocumentChars)
{
    public const int DefaultMaxDocumentChars = 1_000_000;
}

/// <summary>
/// Reads documents from files and folders: JSON Lines (<c>.jsonl</c>, <c>.ndjson</c>), CSV (<c>.csv</c>, <c>.tsv</c>,
/// RFC 4180), images (JPEG, PNG, GIF, WebP: by extension, else by their first bytes; one document each, id = path),
/// and anything else as one plain-text document per file (UTF-8, or UTF-16 with a byte order mark).
/// Each bad line or file becomes an error item and reading goes on.
/// </summary>
internal static class ScanInput
{
    /// <summary>Files as given; folders to the files below them (<see cref="FolderWalk"/>).</summary>
    public static IEnumerable<string> ExpandPaths(IEnumerable<string> paths, bool followSymlinks = false) =>
        paths.SelectMany(path => Directory.Exists(path) ? FolderWalk.Files(path, followSymlinks) : [path]);

    public static long TotalBytes(IEnumerable<string> files) =>
        files.Sum(f => File.Exists(f) ? new FileInfo(f).Length : 0);

    /// <summary>Reads every document of <paramref name="path"/>; <paramref name="onBytes"/> reports progress in bytes.</summary>
    public static IEnumerable<ScanItem> Read(string path, ScanInputOptions options, Action<long>? onBytes = null)
    {
        if (path == "-")
        {
            return ReadJsonLines(Console.OpenStandardInput(), "-", options, onBytes);
        }

        if (!File.Exists(path))
        {
            return [new ScanItem(path, null, path, Directory.Exists(path) ? "is a folder" : "no such file")];
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".jsonl" or ".ndjson" or ".json" => ReadFile(path, s => ReadJsonLines(s, path, options, onBytes)),
            ".csv" => ReadFile(path, s => ReadCsv(s, path, options.Delimiter ?? ',', options, onBytes)),
            ".tsv" or ".tab" => ReadFile(path, s => ReadCsv(s, path, options.Delimiter ?? '\t', options, onBytes)),
            _ when MediaFiles.IsImage(path) => ReadImage(path, onBytes),
            _ => ReadFile(path, s => ReadPlainText(s, path, options, onBytes)),
        };
    }

    /// <summary>An image is read by the scanner's worker; here it only counts towards progress.</summary>
    private static IEnumerable<ScanItem> ReadImage(string path, Action<long>? onBytes)
    {
        onBytes?.Invoke(new FileInfo(path).Length);
        yield return new ScanItem(path, null, path, ImagePath: path);
    }

    private static IEnumerable<ScanItem> ReadFile(string path, Func<Stream, IEnumerable<ScanItem>> reader)
    {
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [new ScanItem(path, null, path, $"cannot read: {e.Message}")];
        }

        return Iterate(stream, reader);

        static IEnumerable<ScanItem> Iterate(FileStream stream, Func<Stream, IEnumerable<ScanItem>> reader)
        {
            using (stream)
            {
                foreach (var item in reader(stream))
                {
                    yield return item;
                }
            }
        }
    }

    internal static IEnumerable<ScanItem> ReadJsonLines(Stream stream, string path, ScanInputOptions options, Action<long>? onBytes)
    {
        var lines = new BoundedLineReader(stream, options.MaxDocumentChars * 2L + 1024);
        bool any = false;
        while (lines.TryReadLine(out var line, out long number, out string? lineError))
        {
            onBytes?.Invoke(lines.TakeBytesRead());
            string source = $"{path}:{number}";
            if (lineError is not null)
            {
                any = true;
                yield return new ScanItem(source, null, source, lineError);
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            any = true;
            yield return new ScanItem(source, null, source, PendingJson: line);
        }

        onBytes?.Invoke(lines.TakeBytesRead());
        if (!any)
        {
            yield return new ScanItem(path, null, path, "empty file: no JSON lines");
        }
    }

    internal static ScanItem ParseJsonLine(string line, string source, ScanInputOptions options)
    {
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ScanItem(source, null, source, "not a JSON object");
            }

            if (JsonText.NameProblem(root) is { } nameProblem)
            {
                return new ScanItem(source, null, source, $"invalid JSON: {nameProblem}");
            }

            string id = root.TryGetProperty(options.IdField, out var idElement) && idElement.ValueKind is JsonValueKind.String or JsonValueKind.Number
                ? (idElement.ValueKind == JsonValueKind.String ? JsonText.ReadString(idElement) : idElement.GetRawText())
                : source;
            if (!root.TryGetProperty(options.TextField, out var textElement))
            {
                return new ScanItem(id, null, source, $"missing field \"{options.TextField}\"");
            }

            if (textElement.ValueKind != JsonValueKind.String)
            {
                return new ScanItem(id, null, source, $"field \"{options.TextField}\" is {textElement.ValueKind.ToString().ToLowerInvariant()}, not a string");
            }

            string text = JsonText.ReadString(textElement);
            return text.Length > options.MaxDocumentChars
                ? new ScanItem(id, null, source, $"text longer than {options.MaxDocumentChars} characters")
                : new ScanItem(id, text, source);
        }
        catch (JsonException e)
        {
            return new ScanItem(source, null, source, $"invalid JSON: {e.Message}");
        }
    }

    private static IEnumerable<ScanItem> ReadCsv(Stream stream, string path, char delimiter, ScanInputOptions options, Action<long>? onBytes)
    {
        var counting = new CountingStream(stream);
        using var text = new StreamReader(counting, new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);
        var csv = new CsvReader(text, delimiter, options.MaxDocumentChars);
        int textColumn = -1, idColumn = -1;
        bool header = true;
        bool any = false;
        foreach (var record in csv.ReadAll())
        {
            onBytes?.Invoke(counting.TakeBytesRead());
            string source = $"{path}:{record.Line}";
            if (header)
            {
                header = false;
                var names = record.Fields.Select(f => f.Trim().TrimStart('\uFEFF')).ToList();
                textColumn = names.FindIndex(n => string.Equals(n, options.TextField, StringComparison.OrdinalIgnoreCase));
                idColumn = names.FindIndex(n => string.Equals(n, options.IdField, StringComparison.OrdinalIgnoreCase));
                if (textColumn < 0)
                {
                    yield return new ScanItem(path, null, source, $"no column \"{options.TextField}\" in the header ({string.Join(delimiter, names)}); use --text-field or --delimiter");
                    yield break;
                }

                continue;
            }

            any = true;
            string id = idColumn >= 0 && idColumn < record.Fields.Count && record.Fields[idColumn].Length > 0 ? record.Fields[idColumn] : source;
            if (record.Error is not null)
            {
                yield return new ScanItem(id, null, source, record.Error);
            }
            else if (textColumn >= record.Fields.Count)
            {
                yield return new ScanItem(id, null, source, $"row has {record.Fields.Count} fields, no \"{options.TextField}\"");
            }
            else
            {
                string value = record.Fields[textColumn];
                // The decoder stands U+FFFD in for bytes that are not UTF-8.
                yield return value.Contains('\uFFFD', StringComparison.Ordinal)
                    ? new ScanItem(id, null, source, "undecodable bytes (not UTF-8)")
                    : new ScanItem(id, value, source);
            }
        }

        onBytes?.Invoke(counting.TakeBytesRead());
        if (!any)
        {
            yield return new ScanItem(path, null, path, header ? "empty file" : "no rows after the header");
        }
    }

    private static IEnumerable<ScanItem> ReadPlainText(Stream stream, string path, ScanInputOptions options, Action<long>? onBytes)
    {
        long length = stream.CanSeek ? stream.Length : -1;
        if (length == 0)
        {
            return [new ScanItem(path, null, path, "empty file")];
        }

        if (length > options.MaxDocumentChars * 4L)
        {
            onBytes?.Invoke(length);
            return [new ScanItem(path, null, path, $"file larger than {options.MaxDocumentChars * 4L} bytes")];
        }

        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        onBytes?.Invoke(memory.Length);
        var bytes = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        string text;
        try
        {
            text = Decode(bytes);
        }
        catch (DecoderFallbackException)
        {
            return [new ScanItem(path, null, path, "undecodable bytes (not UTF-8 or UTF-16 with a byte order mark)")];
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return [new ScanItem(path, null, path, "empty file")];
        }

        return text.Length > options.MaxDocumentChars
            ? [new ScanItem(path, null, path, $"text longer than {options.MaxDocumentChars} characters")]
            : [new ScanItem(path, text, path)];
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(false, true).GetString(bytes[3..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new UnicodeEncoding(false, false, true).GetString(bytes[2..]);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new UnicodeEncoding(true, false, true).GetString(bytes[2..]);
        }

        return new UTF8Encoding(false, true).GetString(bytes);
    }
}
