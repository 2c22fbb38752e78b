using System.Buffers;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Vigil.Server.Api;

/// <summary>
/// Reads the text of a request in the charset its sender declared: the <c>charset</c> of the request's Content-Type,
/// or of a multipart part's own Content-Type, and UTF-8 when none is declared. Text is never altered: bytes that do not
/// decode in that charset are refused with 400 (not replaced by U+FFFD), a charset Vigil does not know with 415.
/// </summary>
public static class RequestText
{
    private const int Utf8CodePage = 65001;
    private const int Utf16CodePage = 1200;
    private const int Utf7CodePage = 65000;

    /// <summary>The charset a content type declares (quotes removed), or null.</summary>
    public static string? Charset(MediaTypeHeaderValue? contentType) =>
        HeaderUtilities.RemoveQuotes(contentType?.Charset ?? default).Value is { Length: > 0 } charset ? charset.Trim() : null;

    /// <summary>A JSON body as UTF-8, for the JSON parser: checked when it is (or declares) UTF-8, else decoded in the
    /// declared charset and re-encoded.</summary>
    /// <exception cref="ApiProblemException">400 when the body does not decode, 415 for an unknown charset.</exception>
    public static ReadOnlyMemory<byte> Utf8Json(byte[] body, string? charset)
    {
        var encoding = Find(charset, "the body");
        if (encoding is null)
        {
            EnsureUtf8(body, "the body", charset);
            return body;
        }

        return Encoding.UTF8.GetBytes(Decode(body, encoding, "the body", charset!));
    }

    /// <summary>A multipart text field: in the part's charset, else <paramref name="defaultCharset"/> (the request's),
    /// else UTF-8. A byte order mark at its start is not part of the value.</summary>
    /// <exception cref="ApiProblemException">400 when the field does not decode, 415 for an unknown charset.</exception>
    public static async Task<string> ReadFieldAsync(MultipartSection section, string? defaultCharset, string name, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await section.Body.CopyToAsync(buffer, cancellationToken);
        string? charset = PartCharset(section) ?? defaultCharset;
        return Decode(buffer.ToArray(), charset, $"the form field '{name}'");
    }

    /// <summary>The charset of a multipart part's own Content-Type, or null.</summary>
    public static string? PartCharset(MultipartSection section) =>
        section.ContentType is { } header && MediaTypeHeaderValue.TryParse(header, out var parsed) ? Charset(parsed) : null;

    /// <summary>Text in <paramref name="charset"/> (UTF-8 when null), without a leading byte order mark.</summary>
    /// <param name="what">What the text is, for error messages ("the form field 'text'").</param>
    /// <exception cref="ApiProblemException">400 when the bytes do not decode, 415 for an unknown charset.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset, string what)
    {
        var encoding = Find(charset, what);
        if (encoding is not null)
        {
            return Decode(bytes, encoding, what, charset!);
        }

        EnsureUtf8(bytes, what, charset);
        return Encoding.UTF8.GetString(bytes.StartsWith(Encoding.UTF8.Preamble) ? bytes[Encoding.UTF8.Preamble.Length..] : bytes);
    }

    /// <summary>The declared charset's encoding (throwing on bytes it cannot decode), or null for UTF-8 (declared or not).</summary>
    private static Encoding? Find(string? charset, string what)
    {
        if (charset is null)
        {
            return null;
        }

        Encoding? encoding;
        try
        {
            encoding = Encoding.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            // Legacy code pages (windows-1252, iso-8859-15, koi8-r, shift_jis...), without registering them process-wide.
            encoding = CodePagesEncodingProvider.Instance.GetEncoding(charset, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }

        if (encoding is null || encoding.CodePage == Utf7CodePage)
        {
            throw ApiProblemException.Unsupported(
                $"The charset '{Shorten(charset)}' declared for {what} is not supported: send UTF-8, or declare a standard charset such as utf-8, utf-16, iso-8859-1 or windows-1252.");
        }

        return encoding.CodePage == Utf8CodePage ? null : encoding;
    }

    private static string Decode(ReadOnlySpan<byte> bytes, Encoding encoding, string what, string charset)
    {
        // A byte order mark says which UTF-16 was sent when the charset does not (RFC 2781); a matching one is dropped.
        if (encoding.CodePage == Utf16CodePage && bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            encoding = Encoding.GetEncoding("utf-16BE", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }

        var preamble = encoding.Preamble;
        if (preamble.Length > 0 && bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }

        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            string where = e.Index >= 0 ? $" (at byte {e.Index})" : "";
            throw ApiProblemException.BadRequest(
                $"{Capitalized(what)} is not valid {charset}{where}: Vigil does not alter submitted text, so send it in the charset it declares.");
        }
    }

    /// <summary>Returns when the bytes are UTF-8; else a 400 naming the first byte that is not, and how to declare another charset.</summary>
    private static void EnsureUtf8(ReadOnlySpan<byte> bytes, string what, string? charset)
    {
        if (Utf8.IsValid(bytes))
        {
            return;
        }

        int offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }

        throw ApiProblemException.BadRequest(charset is null
            ? $"{Capitalized(what)} is not valid UTF-8 (at byte {offset}) and declares no charset: Vigil does not alter submitted text, so send UTF-8, or declare the charset it is in (e.g. 'Content-Type: application/json; charset=iso-8859-1', or a multipart part's own Content-Type)."
            : $"{Capitalized(what)} is not valid {charset} (at byte {offset}): Vigil does not alter submitted text, so send it in the charset it declares.");
    }

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
