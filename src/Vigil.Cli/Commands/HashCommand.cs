using System.CommandLine;
using System.Text;
using System.Text.Json;
using Vigil.Cli.Scanning;
using Vigil.Media;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil hash FILE…</c>: the PDQ hash and quality of each image, one line each in the reference tool's format
/// <c>pdq_hex,quality,path</c>; <c>--dihedral</c> prints the 8 dihedral hashes first, as <c>pdq-photo-hasher
/// --pdqdih-across</c> does; <c>--format json</c> one JSON object a line, adding MD5 and SHA-256.
/// </summary>
internal static class HashCommand
{
    private const int BatchSize = 64;

    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Description = "Image files (JPEG, PNG, GIF, WebP) or folders of them.", Arity = ArgumentArity.OneOrMore };
        var dihedral = new Option<bool>("--dihedral") { Description = "Print the 8 dihedral hashes (original, rot90, rot180, rot270, flipx, flipy, flipplus1, flipminus1) before the quality." };
        var format = new Option<string>("--format", "-f") { Description = "csv (the reference tool's lines) or json (one object a line, with md5 and sha256).", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var threads = CommonOptions.Threads();
        var command = new Command("hash", "Print the PDQ hash and quality of images (pdq_hex,quality,path), as Meta's reference tool does.")
        {
            files, dihedral, format, threads,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetValue(files)!, result.GetValue(dihedral), result.GetValue(format) == "json", Math.Max(1, result.GetValue(threads)), cancellationToken));
        return command;
    }

    private sealed record Hashed(string Path, string? Line, string? Error);

    private static async Task<int> RunAsync(string[] paths, bool dihedral, bool json, int threads, CancellationToken cancellationToken)
    {
        var decoder = new ImageDecoder();
        int errors = 0;
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = false };
        try
        {
            await OrderedParallel.RunAsync(
                MediaFiles.ExpandImages(paths),
                (path, ct) => HashAsync(path, decoder, dihedral, json, ct),
                hashed =>
                {
                    if (hashed.Line is not null)
                    {
                        stdout.Write(hashed.Line);
                        stdout.Write('\n');
                    }
                    else
                    {
                        errors++;
                        stdout.Flush();
                        Console.Error.WriteLine($"vigil hash: {hashed.Path}: {hashed.Error}");
                    }
                },
                threads,
                BatchSize,
                cancellationToken);
        }
        catch (OperationCanceledException)
        {
            stdout.Flush();
            Console.Error.WriteLine("vigil hash: cancelled");
            return ExitCodes.Cancelled;
        }

        stdout.Flush();
        if (errors > 0)
        {
            Console.Error.WriteLine($"vigil hash: {errors} file(s) could not be hashed.");
            return ExitCodes.InputErrors;
        }

        return ExitCodes.Ok;
    }

    [ThreadStatic]
    private static PdqHasher? t_hasher;

    private static async ValueTask<Hashed> HashAsync(string path, ImageDecoder decoder, bool dihedral, bool json, CancellationToken cancellationToken)
    {
        byte[] bytes;
        DecodedImage image;
        try
        {
            bytes = await MediaFiles.ReadAsync(path, decoder, cancellationToken);
            image = decoder.Decode(bytes);
        }
        catch (Exception e) when (e is MediaDecodeException or IOException or UnauthorizedAccessException)
        {
            return new Hashed(path, null, MediaFiles.Describe(e));
        }

        var hasher = t_hasher ??= new PdqHasher();
        var pdq = hasher.Hash(image);
        var all = dihedral ? hasher.HashDihedral(image) : null;
        if (!json)
        {
            var hashes = all is null ? pdq.Hash.ToString() : string.Join(',', all.All);
            int quality = all?.Quality ?? pdq.Quality;
            return new Hashed(path, $"{hashes},{quality},{path}", null);
        }

        var content = ContentHashes.Compute(bytes);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, CommonOptions.JsonLines))
        {
            w.WriteStartObject();
            w.WriteString("path", path);
            w.WriteString("pdq", pdq.Hash.ToString());
            w.WriteNumber("quality", pdq.Quality);
            if (all is not null)
            {
                w.WriteStartArray("dihedral");
                foreach (var hash in all.All)
                {
                    w.WriteStringValue(hash.ToString());
                }

                w.WriteEndArray();
            }

            w.WriteString("md5", content.Md5);
            w.WriteString("sha256", content.Sha256);
            w.WriteNumber("width", image.Width);
            w.WriteNumber("height", image.Height);
            w.WriteString("format", image.Format.ToLowerInvariant());
            w.WriteEndObject();
        }

        return new Hashed(path, Encoding.UTF8.GetString(buffer.ToArray()), null);
    }
}
