using System.Text.Json;
using Vigil.Core;
using Vigil.Moderation.Wire;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Server.Api;

/// <summary>A span of the submitted text (UTF-16 offsets, end exclusive) and why it matters; image evidence has start = end = 0.</summary>
public sealed record EvidenceDto(int Start, int End, string Signal, string Detail);

/// <summary>One detector's observation.</summary>
public sealed record SignalDto(string Type, string Label, double Score, IReadOnlyList<EvidenceDto> Evidence);

/// <summary>What the detectors and the policy concluded.</summary>
/// <param name="Verdict">violating, review or clear.</param>
/// <param name="Action">allow, review, hide_pending_review, remove or escalate.</param>
/// <param name="Rule">The policy's action rule that chose the action; null for the verdict's default.</param>
public sealed record VerdictDto(
    string Verdict,
    string Action,
    string? Rule,
    IReadOnlyList<string> Labels,
    IReadOnlyDictionary<string, double> Scores,
    string Context,
    string? Language,
    IReadOnlyList<EvidenceDto> Evidence,
    IReadOnlyList<string> LegalBasis,
    IReadOnlyList<SignalDto> Signals,
    string PolicyVersion)
{
    public static VerdictDto From(Verdict verdict, IReadOnlyList<Signal> signals, ModerationAction action, string? rule) => new(
        verdict.Kind.ToWire(),
        action.ToWire(),
        rule,
        verdict.Labels,
        verdict.Scores,
        verdict.Context.ToWire(),
        verdict.Language,
        [.. verdict.Evidence.Select(ToDto)],
        verdict.LegalBasis,
        [.. signals.Select(s => new SignalDto(s.Type, s.Label, Math.Round(s.Score, 4), [.. s.Evidence.Select(ToDto)]))],
        verdict.PolicyVersion);

    private static EvidenceDto ToDto(Evidence e) => new(e.Start, e.End, e.Signal, e.Detail);
}

public sealed record ImageDto(string Sha256, string MediaType, long Bytes);

public sealed record CaseRefDto(long Id, string Queue, int Priority, string State);

/// <summary>A stored submission.</summary>
/// <param name="Id">Vigil's id of the item.</param>
/// <param name="ContentId">The platform's id of the content.</param>
public sealed record ContentDto(
    long Id,
    string? ContentId,
    string? AuthorId,
    string? Url,
    JsonElement? Metadata,
    string? Text,
    ImageDto? Image,
    DateTimeOffset ReceivedAt,
    VerdictDto Result,
    CaseRefDto? Case)
{
    public static ContentDto From(ContentItem item, ReviewCase? reviewCase) => new(
        item.Id,
        item.PlatformContentId,
        item.AuthorId,
        item.Url,
        item.MetadataJson is { } json ? JsonDocument.Parse(json).RootElement.Clone() : null,
        item.Text,
        item.Image is { } image ? new ImageDto(image.Sha256, image.MediaType, image.Length) : null,
        item.ReceivedAt,
        VerdictDto.From(item.Result.Verdict, item.Result.Signals, item.Result.Action, item.Result.Rule),
        reviewCase is null ? null : new CaseRefDto(reviewCase.Id, reviewCase.Queue, reviewCase.Priority, reviewCase.State == CaseState.Open ? "open" : "closed"));
}

public sealed record CaseListDto(IReadOnlyList<CaseDto> Items, int? NextOffset);

public sealed record CaseDetailDto(CaseDto Case, ContentDto Content, IReadOnlyList<DecisionDto> Decisions);

/// <summary>A moderator's decision.</summary>
/// <param name="Decision">keep_up, remove, restrict, escalate or report_threat_to_life.</param>
/// <param name="Reason">Why (required; shown to the platform in the webhook).</param>
public sealed record DecisionRequest(string? Decision, string? Reason);

/// <summary>A new API key.</summary>
/// <param name="Scopes">Any of ingest, review, admin.</param>
public sealed record KeyRequest(string? Name, IReadOnlyList<string>? Scopes);

public sealed record KeyDto(string Id, string Name, IReadOnlyList<string> Scopes, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyDto From(ApiKey k) => new(k.Id, k.Name, k.Scopes.ToWire(), k.CreatedBy, k.CreatedAt, k.RevokedAt);
}

/// <summary>A created key; <paramref name="Secret"/> is shown this once.</summary>
public sealed record CreatedKeyDto(KeyDto Key, string Secret);

/// <summary>A new webhook.</summary>
/// <param name="Url">An absolute http(s) URL.</param>
/// <param name="Events">Events to receive; default decision.created.</param>
/// <param name="Secret">The signing secret (at least 16 characters); generated when omitted.</param>
public sealed record WebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Secret);

public sealed record WebhookDto(long Id, string Url, IReadOnlyList<string> Events, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static WebhookDto From(Webhook w) => new(w.Id, w.Url.AbsoluteUri, w.Events, w.CreatedBy, w.CreatedAt);
}

/// <summary>A created webhook; <paramref name="Secret"/> is shown this once.</summary>
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

public sealed record DeliveryDto(long Id, string Event, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, bool Dead, int? LastStatus, string? LastError)
{
    public static DeliveryDto From(OutboxMessage m) => new(m.Id, m.Event, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.DeliveredAt, m.Dead, m.LastStatus, m.LastError);
}

public sealed record AuditEntryDto(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, JsonElement Details, string PrevHash, string Hash)
{
    public static AuditEntryDto From(AuditEntry e) => new(e.Seq, e.At, e.Actor, e.Action, e.Subject, JsonDocument.Parse(e.DetailsJson).RootElement.Clone(), e.PrevHash, e.Hash);
}

public sealed record AuditVerificationDto(bool Ok, long Entries, string HeadHash, long? BrokenAt, string? Problem)
{
    public static AuditVerificationDto From(AuditVerification v) => new(v.Ok, v.Entries, v.HeadHash, v.BrokenAt, v.Problem);
}

public sealed record HealthDto(string Status);

/// <summary>The JSON form of a submission (multipart/form-data takes the same fields, with <c>image</c> as a file part).</summary>
/// <param name="Text">The text of the post.</param>
/// <param name="ImageBase64">An image (PNG, JPEG, GIF or WebP), base64.</param>
/// <param name="ContentId">The platform's id of the content.</param>
/// <param name="AuthorId">The platform's id of the author.</param>
/// <param name="Url">Where the content is.</param>
/// <param name="Metadata">Any JSON object the platform wants kept with the item.</param>
public sealed record SubmissionJson(string? Text, string? ImageBase64, string? ContentId, string? AuthorId, string? Url, JsonElement? Metadata);
