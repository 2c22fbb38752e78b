namespace Vigil.Core.Content;

/// <summary>The types of content part Vigil reads. A part type names what a part is, not its file format (that is its
/// media type); detectors and signal types say which part types they apply to.</summary>
public static class PartTypes
{
    /// <summary>Text: a post, a caption, a document's text, or text derived from another part (OCR).</summary>
    public const string Text = "text";

    /// <summary>An image file (JPEG, PNG, GIF, WebP).</summary>
    public const string Image = "image";
}

/// <summary>
/// One piece of a content item: a post's text, an uploaded image, a page of a document, or text derived from another
/// part (the text read from an image has the image as <see cref="ParentId"/>). A content item is a list of parts; the
/// pipeline assesses each and fuses what it finds.
/// </summary>
/// <param name="Id">Unique within its item, e.g. <c>text</c>, <c>image</c>, <c>image.ocr</c>.</param>
/// <param name="Type">A <see cref="PartTypes"/> value (or a type an extension registers).</param>
/// <param name="MediaType">e.g. <c>text/plain</c>, <c>image/jpeg</c>.</param>
/// <param name="Text">The text of a text part; null for binary parts.</param>
/// <param name="Bytes">The bytes of a binary part; empty for text parts.</param>
/// <param name="ParentId">The part this one was derived from, if any.</param>
/// <param name="Name">How to name the part in evidence: a file name, <c>upload</c>.</param>
public sealed record ContentPart(
    string Id,
    string Type,
    string MediaType,
    string? Text = null,
    ReadOnlyMemory<byte> Bytes = default,
    string? ParentId = null,
    string? Name = null)
{
    /// <summary>Whether another part produced this one.</summary>
    public bool IsDerived => ParentId is not null;

    /// <summary>A text part.</summary>
    public static ContentPart FromText(string text, string id = PartTypes.Text) => new(id, PartTypes.Text, "text/plain", text);

    /// <summary>An image part; <paramref name="mediaType"/> is what the bytes were sniffed as, when known.</summary>
    public static ContentPart FromImage(ReadOnlyMemory<byte> bytes, string? name = null, string mediaType = "application/octet-stream", string id = PartTypes.Image) =>
        new(id, PartTypes.Image, mediaType, Bytes: bytes, Name: name);

    /// <summary>Text derived from <paramref name="parent"/> (e.g. read from it by OCR).</summary>
    public static ContentPart Derived(ContentPart parent, string suffix, string text) =>
        new($"{parent.Id}.{suffix}", PartTypes.Text, "text/plain", text, ParentId: parent.Id, Name: parent.Name);
}
