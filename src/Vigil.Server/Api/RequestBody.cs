using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Vigil.Server.Api;

/// <summary>
/// Reads request bodies under a byte limit (413 above it, however the request is framed) and checks their media
/// type (415); the endpoints that read their bodies themselves use it, so that every limit answers alike.
/// </summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw ApiProblemException.TooLarge($"The body is {request.ContentLength} bytes; the limit is {limit} bytes.");
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw ApiProblemException.TooLarge($"The body is larger than the limit of {limit} bytes.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            throw new ApiProblemException(e.StatusCode, "The request could not be read", e.Message);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Walks a <c>multipart/form-data</c> body, calling <paramref name="onSection"/> with each section's field name,
    /// the section and its disposition. A missing boundary, a section without a form-data disposition or a malformed
    /// body is a 400; a section over <paramref name="limit"/> bytes a 413.
    /// </summary>
    public static async Task ReadMultipartAsync(
        byte[] body,
        MediaTypeHeaderValue contentType,
        long limit,
        Func<string, MultipartSection, ContentDispositionHeaderValue, Task> onSection,
        CancellationToken cancellationToken)
    {
        string boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value ?? "";
        if (boundary.Length is 0 or > 200)
        {
            throw ApiProblemException.BadRequest("The multipart body has no valid boundary.");
        }

        var reader = new MultipartReader(boundary, new MemoryStream(body)) { BodyLengthLimit = limit };
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
                {
                    throw ApiProblemException.BadRequest("Every multipart section needs a 'Content-Disposition: form-data' header with a name.");
                }

                await onSection(HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "", section, disposition);
            }
        }
        catch (InvalidDataException e)
        {
            throw e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase)
                ? ApiProblemException.TooLarge($"A multipart section is larger than the limit: {e.Message}")
                : ApiProblemException.BadRequest($"The multipart body is malformed: {e.Message}");
        }
        catch (IOException e)
        {
            throw ApiProblemException.BadRequest($"The multipart body is malformed: {e.Message}");
        }
    }

    /// <summary>The request's content type, or null when it has none (or an unparsable one).</summary>
    public static MediaTypeHeaderValue? ContentType(HttpRequest request) =>
        request.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var parsed) ? parsed : null;

    /// <summary>Reads an <c>application/json</c> body of at most <paramref name="limit"/> bytes, in the charset it declares
    /// (UTF-8 when none; <see cref="RequestText"/>).</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var contentType = ContentType(request);
        if (!string.Equals(contentType?.MediaType.Value, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiProblemException.Unsupported($"Send application/json, not '{request.ContentType ?? "nothing"}'.");
        }

        byte[] body = await ReadAsync(request, limit, cancellationToken);
        var utf8 = RequestText.Utf8Json(body, RequestText.Charset(contentType));
        try
        {
            return JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"The body is not valid JSON: {e.Message}");
        }
    }
}
