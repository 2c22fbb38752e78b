using System.Text;
using Microsoft.Net.Http.Headers;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Signals;

namespace Vigil.Server.Api;

/// <summary>An import upload: the file, its name, the format to read it in and the defaults for its entries.</summary>
/// <param name="Detected">Whether the format was told from the content (<c>auto</c>) rather than named.</param>
public sealed record BankImportUpload(byte[] File, string? FileName, BankFileFormat Format, BankImportOptions Options, bool Detected = false);

/// <summary>
/// Reads the <c>multipart/form-data</c> of <c>POST /v1/banks/{name}/import</c> (<see cref="BankImportForm"/>) under the
/// request body limit: a <c>file</c> part and the options <c>vigil bank import</c> takes, as text fields.
/// </summary>
public static class BankImportReader
{
    private const int MaxFieldLength = 1000;
    private static readonly string[] TextFields = ["format", "signal_type", "category", "organisation", "ideology", "source"];

    public static async Task<BankImportUpload> ReadAsync(HttpRequest request, VigilServerOptions options, SignalTypeRegistry types, CancellationToken cancellationToken)
    {
        var contentType = RequestBody.ContentType(request);
        if (!string.Equals(contentType?.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblemException.Unsupported($"Send multipart/form-data with the list as the 'file' part, not '{request.ContentType ?? "nothing"}'.");
        }

        byte[] body = await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken);
        var (file, fileName, fields) = await ReadPartsAsync(body, contentType!, options.MaxRequestBytes, cancellationToken);
        if (file is null)
        {
            throw ApiProblemException.BadRequest("The form has no 'file' part: send the hash list as a file part named 'file'.");
        }

        string formatName = fields.GetValueOrDefault("format")?.Trim().ToLowerInvariant() ?? "auto";
        BankFileFormat format;
        if (formatName is "" or "auto")
        {
            format = BankFormatDetector.Detect(file);
        }
        else if (!BankFileFormats.Names.Contains(formatName) || !BankFileFormats.TryParse(formatName, out format))
        {
            throw ApiProblemException.BadRequest($"'format' must be auto, {string.Join(", ", BankFileFormats.Names)}; not '{formatName}'.");
        }

        SignalType? signalType = null;
        if (Field(fields, "signal_type") is { } typeName)
        {
            signalType = types.TryGet(typeName, out var t) ? t : throw ApiProblemException.BadRequest($"'signal_type' must be one of {types.Names}; not '{typeName}'.");
        }

        string? category = Field(fields, "category");
        if (category is not null && !Taxonomy.TryGet(category, out _))
        {
            throw ApiProblemException.BadRequest($"'category' must be one of {string.Join(", ", Taxonomy.All.Select(c => c.Id))}; not '{category}'.");
        }

        var defaults = new BankImportOptions(
            types,
            signalType,
            new BankLabels(Field(fields, "organisation"), Field(fields, "ideology"), category),
            Field(fields, "source") ?? fileName);
        return new BankImportUpload(file, fileName, format, defaults, formatName is "" or "auto");
    }

    private static string? Field(Dictionary<string, string> fields, string name) =>
        fields.GetValueOrDefault(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static async Task<(byte[]? File, string? FileName, Dictionary<string, string> Fields)> ReadPartsAsync(
        byte[] body, MediaTypeHeaderValue contentType, long limit, CancellationToken cancellationToken)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        byte[]? file = null;
        string? fileName = null;
        await RequestBody.ReadMultipartAsync(body, contentType, limit, async (name, section, disposition) =>
        {
            if (name == "file")
            {
                using var bytes = new MemoryStream();
                await section.Body.CopyToAsync(bytes, cancellationToken);
                file = bytes.ToArray();
                if (RequestText.PartCharset(section) is { } charset)
                {
                    // The readers take UTF-8: a list in another declared charset is decoded (or refused) here.
                    file = Encoding.UTF8.GetBytes(RequestText.Decode(file, charset, "the file"));
                }

                string? given = HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileName).Value;
                fileName = string.IsNullOrWhiteSpace(given) ? null : Path.GetFileName(given.Replace('\\', '/'));
            }
            else if (TextFields.Contains(name))
            {
                string value = await RequestText.ReadFieldAsync(section, RequestText.Charset(contentType), name, cancellationToken);
                fields[name] = value.Length <= MaxFieldLength ? value : throw ApiProblemException.BadRequest($"'{name}' is longer than {MaxFieldLength} characters.");
            }
            else
            {
                throw ApiProblemException.BadRequest($"Unknown form field '{name}'. Known: file, {string.Join(", ", TextFields)}.");
            }
        }, cancellationToken);

        return (file, fileName, fields);
    }
}
