using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;
using Vigil.Cli.Scanning;
using Vigil.Core.Banks;
using Vigil.Core.Content;
using Vigil.Core.Signals;
using Vigil.Media;
using Vigil.Moderation;
using Vigil.Server;
using Vigil.Server.Api;

namespace Vigil.Fuzz;

/// <summary>
/// A harness: runs one parser on one input. It returns normally for every input the parser handles as documented
/// (accepted, or refused with the documented exception or a reported problem) and throws <see cref="FuzzFindingException"/>
/// (or lets an unexpected exception escape) for anything else: that is what afl++ records as a crash.
/// </summary>
/// <param name="Run">Runs the parser; returns what it made of the input, in a few words (for replays).</param>
public sealed record FuzzTarget(string Name, string Parser, string Crash, Func<byte[], string> Run);

/// <summary>An input broke a harness's invariant without throwing an unexpected exception of its own.</summary>
internal sealed class FuzzFindingException(string message) : Exception(message);

/// <summary>The fuzz targets, by name (<c>tools/fuzz.sh TARGET SECONDS</c>).</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("image", "ImagePartReader -> ImageDecoder (container checks, ImageSharp decode)",
            "any exception out of ImagePartReader.Read (MediaDecodeException is caught there and marks the part unreadable); " +
            "a part neither decoded nor marked unreadable; decoded pixels whose length is not width x height x 3",
            Image),
        new("bank-auto", "BankFormatDetector.Detect (stream form, non-seekable) then BankImporter.Read in the detected format",
            "any exception: a bad row or file is a BankFileRow with a Problem; a row with neither entry, deletion nor problem",
            bytes => Bank(bytes, null)),
        new("te-csv", "BankImporter.Read, ThreatExchange CSV",
            "any exception; a row with neither entry, deletion nor problem",
            bytes => Bank(bytes, BankFileFormat.ThreatExchangeCsv)),
        new("tat-json", "BankImporter.Read, Tech Against Terrorism JSON",
            "any exception; a row with neither entry, deletion nor problem",
            bytes => Bank(bytes, BankFileFormat.TatJson)),
        new("plain", "BankImporter.Read, plain hash list",
            "any exception; a row with neither entry, deletion nor problem",
            bytes => Bank(bytes, BankFileFormat.Plain)),
        new("submission", "SubmissionReader.ReadAsync (POST /v1/content body): first input line is the Content-Type, the rest the body",
            "any exception other than ApiProblemException (the documented 400/413/415)",
            Submission),
        new("scan-jsonl", "vigil scan's JSON Lines input: ScanInput.ReadJsonLines, then each line parsed",
            "any exception: a bad line is an item with an Error; an item with neither text nor error",
            ScanJsonLines),
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);

    private static string Image(byte[] bytes)
    {
        var part = new PartView(ContentPart.FromImage(bytes));
        Parsers.Images.Read(part);
        var image = part.Feature<DecodedImage>();
        if (image is null && part.Unreadable is null)
        {
            throw new FuzzFindingException("the image was neither decoded nor marked unreadable");
        }

        if (image is not null && image.Rgb24.Length != (long)image.Width * image.Height * 3)
        {
            throw new FuzzFindingException($"{image.Width}x{image.Height} image with {image.Rgb24.Length} bytes of pixels");
        }

        return image is null ? part.Unreadable! : $"decoded {image.Format} {image.Width}x{image.Height}";
    }

    private static string Bank(byte[] bytes, BankFileFormat? format)
    {
        Stream stream;
        if (format is not null)
        {
            stream = new MemoryStream(bytes, writable: false);
        }
        else
        {
            // A stream that cannot seek, as a request body or a pipe is: detection then re-reads what it sampled.
            format = BankFormatDetector.Detect(PipeReader.Create(new ReadOnlySequence<byte>(bytes)).AsStream(), out stream);
        }

        int entries = 0, deletions = 0, problems = 0;
        using (stream)
        {
            foreach (var row in BankImporter.Read(stream, format.Value, Parsers.BankOptions))
            {
                if (row.Entry is null && row.Deletion is null && row.Problem is null)
                {
                    throw new FuzzFindingException($"line {row.Line}: a row with neither entry, deletion nor problem");
                }

                entries += row.Entry is null ? 0 : 1;
                deletions += row.Deletion is null ? 0 : 1;
                problems += row.Problem is null ? 0 : 1;
            }
        }

        return $"{format.Value.ToWire()}: {entries} entries, {deletions} deletions, {problems} problems";
    }

    private static string Submission(byte[] bytes)
    {
        int newline = Array.IndexOf(bytes, (byte)'\n');
        string contentType = newline < 0 ? "" : Encoding.Latin1.GetString(bytes, 0, newline).TrimEnd('\r');
        byte[] body = newline < 0 ? bytes : bytes[(newline + 1)..];
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = contentType.Length == 0 ? null : contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        try
        {
            var submission = SubmissionReader.ReadAsync(context.Request, Parsers.ServerOptions, CancellationToken.None).GetAwaiter().GetResult();
            return $"accepted: text {submission.Text?.Length.ToString(CultureInfo.InvariantCulture) ?? "none"}, image {submission.Image?.MediaType ?? "none"}";
        }
        catch (ApiProblemException e)
        {
            // The documented refusal: a problem response with its status.
            return $"{e.Status}: {e.Message}";
        }
    }

    private static string ScanJsonLines(byte[] bytes)
    {
        int texts = 0, errors = 0;
        using var stream = new MemoryStream(bytes, writable: false);
        foreach (var item in ScanInput.ReadJsonLines(stream, "fuzz.jsonl", Parsers.ScanOptions, onBytes: null))
        {
            var parsed = item.Parsed(Parsers.ScanOptions);
            if (parsed.Text is null && parsed.Error is null)
            {
                throw new FuzzFindingException($"{parsed.Source}: an item with neither text nor error");
            }

            texts += parsed.Text is null ? 0 : 1;
            errors += parsed.Error is null ? 0 : 1;
        }

        return $"{texts} texts, {errors} errors";
    }

    /// <summary>
    /// The parsers' settings. Instrumented code must not run before SharpFuzz's runner has set up afl++'s coverage map
    /// (it writes to that map), so nothing here is created until the first input.
    /// </summary>
    private static class Parsers
    {
        // A smaller pixel budget than the service's so that afl++ spends its time on parsing, not on filling large
        // buffers; the checks (header first, then container, then decode) are the same for every budget.
        public static readonly ImagePartReader Images = new(new ImageDecoder(maxPixels: 4_000_000, maxEncodedBytes: 1024 * 1024));

        public static readonly BankImportOptions BankOptions = new(VigilSignalTypes.Default);

        public static readonly VigilServerOptions ServerOptions = new();

        // Small enough that afl++ reaches the over-long-line path with small inputs.
        public static readonly ScanInputOptions ScanOptions = new(MaxDocumentChars: 256);
    }
}
