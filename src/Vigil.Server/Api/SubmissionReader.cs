using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Vigil.Core.Formats;
using Vigil.Moderation.Content;

namespace Vigil.Server.Api;

/// <summary>A submission as read from the request, checked against the limits.</summary>
public sealed record SubmissionRequest(string? Text, SubmittedFile? Image, string? ContentId, string? AuthorId, string? Url, string? MetadataJson)
{
    /// <summary>The use case's submission, by <paramref name="actor"/>.</summary>
    public Submission ToSubmission(string actor) => new(ContentId, AuthorId, Url, MetadataJson, Text, Image is null ? [] : [Image], actor);
}

/// <summary>
/// Reads a submission from <c>application/json</c> (<see cref="SubmissionJson"/>) or <c>multipart/form-data</c> (the
/// same fields; <c>image</c> a file part) with the body, text and image limits enforced while reading, so that a
/// too-large request is refused with 413 however it is framed. Text is read in the charset declared for it, UTF-8
/// when none is, and refused when it does not decode (<see cref="RequestText"/>).
/// </summary>
public static class SubmissionReader
{
    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal) { "text", "image_base64", "content_id", "author_id", "url", "metadata" };

    public static async Task<SubmissionRequest> ReadAsync(HttpRequest request, VigilServerOptions options, CancellationToken cancellationToken)
    {
        byte[] body = await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken);
        var contentType = RequestBody.ContentType(request);
        string? mediaType = contentType?.MediaType.Value?.ToLowerInvariant();
        var submission = mediaType switch
        {
            "application/json" => ReadJson(body, RequestText.Charset(contentType), options),
            "multipart/form-data" => await ReadMultipartAsync(body, contentType!, options, cancellationToken),
            _ => throw ApiProblemException.Unsupported($"Send application/json or multipart/form-data, not '{request.ContentType ?? "nothing"}'."),
        };
        return Validate(submission, options);
    }

    private static SubmissionRequest ReadJson(byte[] body, string? charset, VigilServerOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(RequestText.Utf8Json(body, charset), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"The body is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ApiProblemException.BadRequest("The body must be a JSON object.");
            }

            if (JsonText.NameProblem(root) is { } nameProblem)
            {
                throw ApiProblemException.BadRequest($"The body is not valid JSON: {nameProblem}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!Fields.Contains(property.Name))
                {
                    throw ApiProblemException.BadRequest($"Unknown field '{property.Name}'. Known: {string.Join(", ", Fields)}.");
                }
            }

            SubmittedFile? image = null;
            if (String(root, "image_base64") is { } base64)
            {
                if (base64.Length / 4 * 3 > options.MaxImageBytes + 3)
                {
                    throw ApiProblemException.TooLarge($"The image is larger than the limit of {options.MaxImageBytes} bytes.");
                }

                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(base64);
                }
                catch (FormatException)
                {
                    throw ApiProblemException.BadRequest("'image_base64' is not valid base64.");
                }

                image = Image(bytes, options);
            }

            string? metadata = null;
            if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind != JsonValueKind.Null)
            {
                if (meta.ValueKind != JsonValueKind.Object)
                {
                    throw ApiProblemException.BadRequest("'metadata' must be a JSON object.");
                }

                metadata = JsonText.RawText(meta);
            }

            return new SubmissionRequest(String(root, "text"), image, String(root, "content_id"), String(root, "author_id"), String(root, "url"), metadata);
        }
    }

    private static string? String(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? JsonText.ReadString(value)
            : throw ApiProblemException.BadRequest($"'{name}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
    }

    private static async Task<SubmissionRequest> ReadMultipartAsync(byte[] body, MediaTypeHeaderValue contentType, VigilServerOptions options, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        SubmittedFile? image = null;
        await RequestBody.ReadMultipartAsync(body, contentType, options.MaxRequestBytes, async (name, section, _) =>
        {
            if (name == "image")
            {
                image = await ImageAsync(section, options, cancellationToken);
            }
            else if (Fields.Contains(name) && name != "image_base64")
            {
                values[name] = await RequestText.ReadFieldAsync(section, RequestText.Charset(contentType), name, cancellationToken);
            }
            else
            {
                throw ApiProblemException.BadRequest($"Unknown form field '{name}'. Known: text, image, content_id, author_id, url, metadata.");
            }
        }, cancellationToken);

        string? metadata = null;
        if (values.GetValueOrDefault("metadata") is { Length: > 0 } meta)
        {
            try
            {
                using var document = JsonDocument.Parse(meta);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw ApiProblemException.BadRequest("'metadata' must be a JSON object.");
                }

                metadata = JsonText.RawText(document.RootElement);
            }
            catch (JsonException e)
            {
                throw ApiProblemException.BadRequest($"'metadata' is not valid JSON: {e.Message}");
            }
        }

        return new SubmissionRequest(values.GetValueOrDefault("text"), image, values.GetValueOrDefault("content_id"), values.GetValueOrDefault("author_id"), values.GetValueOrDefault("url"), metadata);
    }

    /// <summary>A multipart file part read as an image (<see cref="Image"/>).</summary>
    public static async Task<SubmittedFile> ImageAsync(Microsoft.AspNetCore.WebUtilities.MultipartSection section, VigilServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(options);
        using var bytes = new MemoryStream();
        await section.Body.CopyToAsync(bytes, cancellationToken);
        return Image(bytes.ToArray(), options);
    }

    /// <summary>An image as submitted: within <see cref="VigilServerOptions.MaxImageBytes"/> (413) and a PNG, JPEG, GIF or
    /// WebP by its first bytes (415). Whether it decodes is the pipeline's question: one that does not goes to review.</summary>
    public static SubmittedFile Image(byte[] bytes, VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentNullException.ThrowIfNull(options);
        if (bytes.Length > options.MaxImageBytes)
        {
            throw ApiProblemException.TooLarge($"The image is {bytes.Length} bytes; the limit is {options.MaxImageBytes} bytes.");
        }

        string mediaType = ImageSniffer.MediaType(bytes)
            ?? throw ApiProblemException.Unsupported("The image is not a PNG, JPEG, GIF or WebP file.");
        return new SubmittedFile("image", mediaType, bytes);
    }

    private static SubmissionRequest Validate(SubmissionRequest s, VigilServerOptions options)
    {
        if (string.IsNullOrEmpty(s.Text) && s.Image is null)
        {
            throw ApiProblemException.BadRequest("Send 'text', an image, or both.");
        }

        if (s.Text is { } text && text.Length > options.MaxTextLength)
        {
            throw ApiProblemException.TooLarge($"The text is {text.Length} characters; the limit is {options.MaxTextLength}.");
        }

        Id(s.ContentId, "content_id");
        Id(s.AuthorId, "author_id");
        if (s.Url is { } url && (url.Length > 2048 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            throw ApiProblemException.BadRequest("'url' must be an absolute http or https URL of at most 2048 characters.");
        }

        if (s.MetadataJson is { } meta && Encoding.UTF8.GetByteCount(meta) > options.MaxMetadataBytes)
        {
            throw ApiProblemException.BadRequest($"'metadata' is larger than {options.MaxMetadataBytes} bytes.");
        }

        return s;
    }

    private static void Id(string? value, string name)
    {
        if (value is not null && (value.Length is 0 or > 256 || value.Any(char.IsControl)))
        {
            throw ApiProblemException.BadRequest($"'{name}' must be 1-256 characters without control characters.");
        }
    }
}

/// <summary>Recognises the image formats Vigil accepts by their first bytes (never by the client's content type).</summary>
public static class ImageSniffer
{
    public static string? MediaType(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        return null;
    }
}
