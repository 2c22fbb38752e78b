using System.Text.Json;
using Vigil.Moderation.Content;

namespace Vigil.Server.Api;

/// <summary>A notice as read from the request: its fields and, for content Vigil has not stored yet, the text and/or image.</summary>
public sealed record NoticeForm(NoticeJson Fields, SubmittedFile? Image);

/// <summary>
/// Reads a notice (<c>POST /v1/notices</c>) from <c>application/json</c> (<see cref="NoticeJson"/>, the image as
/// <c>image_base64</c>) or <c>multipart/form-data</c> (the same fields; <c>image</c> a file part), under the limits of
/// <c>POST /v1/content</c>: the body, the text length, the image's size and kind (<see cref="SubmissionReader.Image"/>).
/// </summary>
public static class NoticeReader
{
    private static readonly HashSet<string> FormFields = new(StringComparer.Ordinal)
    {
        "content_id", "url", "explanation", "category", "notifier_name", "notifier_email", "good_faith", "trusted_flagger", "text", "author_id",
    };

    public static async Task<NoticeForm> ReadAsync(HttpRequest request, VigilServerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        byte[] body = await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken);
        var contentType = RequestBody.ContentType(request);
        var form = contentType?.MediaType.Value?.ToLowerInvariant() switch
        {
            "application/json" => ReadJson(body, RequestText.Charset(contentType), options),
            "multipart/form-data" => await ReadMultipartAsync(body, contentType!, options, cancellationToken),
            _ => throw ApiProblemException.Unsupported($"Send application/json or multipart/form-data, not '{request.ContentType ?? "nothing"}'."),
        };
        if (form.Fields.Text is { } text && text.Length > options.MaxTextLength)
        {
            throw ApiProblemException.TooLarge($"'text' is {text.Length} characters; the limit is {options.MaxTextLength}.");
        }

        return form;
    }

    private static NoticeForm ReadJson(byte[] body, string? charset, VigilServerOptions options)
    {
        NoticeJson? fields;
        try
        {
            fields = JsonSerializer.Deserialize<NoticeJson>(RequestText.Utf8Json(body, charset).Span, ApiJson.Options);
        }
        catch (JsonException e)
        {
            throw ApiProblemException.BadRequest($"The body is not a valid notice: {e.Message}");
        }

        if (fields is null)
        {
            throw ApiProblemException.BadRequest("The body must be a JSON object.");
        }

        SubmittedFile? image = null;
        if (fields.ImageBase64 is { } base64)
        {
            if (base64.Length / 4 * 3 > options.MaxImageBytes + 3)
            {
                throw ApiProblemException.TooLarge($"The image is larger than the limit of {options.MaxImageBytes} bytes.");
            }

            try
            {
                image = SubmissionReader.Image(Convert.FromBase64String(base64), options);
            }
            catch (FormatException)
            {
                throw ApiProblemException.BadRequest("'image_base64' is not valid base64.");
            }
        }

        return new NoticeForm(fields with { ImageBase64 = null }, image);
    }

    private static async Task<NoticeForm> ReadMultipartAsync(byte[] body, Microsoft.Net.Http.Headers.MediaTypeHeaderValue contentType, VigilServerOptions options, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        SubmittedFile? image = null;
        await RequestBody.ReadMultipartAsync(body, contentType, options.MaxRequestBytes, async (name, section, _) =>
        {
            if (name == "image")
            {
                image = await SubmissionReader.ImageAsync(section, options, cancellationToken);
            }
            else if (FormFields.Contains(name))
            {
                values[name] = await RequestText.ReadFieldAsync(section, RequestText.Charset(contentType), name, cancellationToken);
            }
            else
            {
                throw ApiProblemException.BadRequest($"Unknown form field '{name}'. Known: {string.Join(", ", FormFields)}, image.");
            }
        }, cancellationToken);

        return new NoticeForm(
            new NoticeJson(
                values.GetValueOrDefault("content_id"), values.GetValueOrDefault("url"), values.GetValueOrDefault("explanation"), values.GetValueOrDefault("category"),
                values.GetValueOrDefault("notifier_name"), values.GetValueOrDefault("notifier_email"), Flag(values, "good_faith"), Flag(values, "trusted_flagger"),
                values.GetValueOrDefault("text"), values.GetValueOrDefault("author_id")),
            image);
    }

    private static bool? Flag(Dictionary<string, string> values, string name) => values.GetValueOrDefault(name)?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" or "on" or "1" or "yes" => true,
        "false" or "off" or "0" or "no" => false,
        _ => throw ApiProblemException.BadRequest($"'{name}' must be true or false."),
    };
}
