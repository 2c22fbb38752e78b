using Vigil.Core;

namespace Vigil.Storage.Content;

/// <summary>A binary part of a content item to store (an image, a document page): its bytes are kept, so that it can be
/// shown to reviewers and assessed again.</summary>
/// <param name="Id">Unique within the item, e.g. <c>image</c>.</param>
/// <param name="Type">The part type, e.g. <c>image</c>.</param>
/// <param name="MediaType">What the bytes were sniffed as, e.g. <c>image/jpeg</c>.</param>
/// <param name="Sha256">SHA-256 of the bytes (hex).</param>
public sealed record NewPart(string Id, string Type, string MediaType, string Sha256, ReadOnlyMemory<byte> Bytes, string? ParentId = null, string? Name = null);

/// <summary>What is known about a stored part without reading its bytes.</summary>
public sealed record StoredPart(string Id, string Type, string MediaType, string Sha256, long Length, string? ParentId = null, string? Name = null);

/// <summary>What is known about a stored image without reading its bytes (the first image part of an item).</summary>
public sealed record ImageInfo(string MediaType, string Sha256, long Length);

/// <summary>The detectors' result for one content item at submission time.</summary>
/// <param name="Verdict">The policy's verdict (labels, scores, evidence, legal basis, policy version).</param>
/// <param name="Signals">Every signal the detectors emitted.</param>
/// <param name="Action">The action the policy chose.</param>
/// <param name="Queue">The review queue, when a case was opened.</param>
/// <param name="Rule">The action rule that applied, if any.</param>
public sealed record ContentResult(Verdict Verdict, IReadOnlyList<Signal> Signals, ModerationAction Action, string Queue, string? Rule);

/// <summary>A content item to store: the platform's ids, the content and the detectors' result.</summary>
/// <param name="MetadataJson">The platform's metadata, a JSON object, stored as given.</param>
/// <param name="Text">The item's text part, if it has one.</param>
/// <param name="Parts">Its binary parts (images), in order.</param>
/// <param name="SubmittedBy">The actor that submitted it (<c>key:ID</c>).</param>
public sealed record NewContent(
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    IReadOnlyList<NewPart> Parts,
    string SubmittedBy,
    ContentResult Result);

/// <summary>A stored content item.</summary>
/// <param name="Text">The item's text part, if it has one.</param>
/// <param name="Parts">Its binary parts (bytes not loaded: <see cref="IContentReader.GetPartAsync"/>).</param>
public sealed record ContentItem(
    long Id,
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    IReadOnlyList<StoredPart> Parts,
    DateTimeOffset ReceivedAt,
    string SubmittedBy,
    ContentResult Result)
{
    /// <summary>The first image part, as the API has always shown it.</summary>
    public StoredPart? ImagePart => Parts.FirstOrDefault(p => p.Type == "image");

    /// <summary>The first image part's description, or null.</summary>
    public ImageInfo? Image => ImagePart is { } p ? new ImageInfo(p.MediaType, p.Sha256, p.Length) : null;
}
