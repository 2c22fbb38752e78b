using Vigil.Core;

namespace Vigil.Storage.Content;

/// <summary>An uploaded image: its bytes, sniffed media type and SHA-256 (hex).</summary>
public sealed record ImageUpload(string MediaType, string Sha256, ReadOnlyMemory<byte> Bytes);

/// <summary>What is known about a stored image without reading its bytes.</summary>
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
/// <param name="SubmittedBy">The actor that submitted it (<c>key:ID</c>).</param>
public sealed record NewContent(
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    ImageUpload? Image,
    string SubmittedBy,
    ContentResult Result);

/// <summary>A stored content item.</summary>
public sealed record ContentItem(
    long Id,
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    ImageInfo? Image,
    DateTimeOffset ReceivedAt,
    string SubmittedBy,
    ContentResult Result);

/// <summary>A case to open for a content item.</summary>
/// <param name="Priority">0 (lowest) to 100.</param>
/// <param name="ThreatToLife">Whether the content suggests a threat to life.</param>
public sealed record NewCase(string Queue, int Priority, bool ThreatToLife);

/// <summary>What a submission stored.</summary>
public sealed record StoredSubmission(ContentItem Content, long? CaseId);
