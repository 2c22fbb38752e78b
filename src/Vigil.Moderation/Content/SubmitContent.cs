using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Webhooks;
using Vigil.Moderation.Wire;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Content;

/// <summary>An uploaded file of a submission: its bytes and what they were sniffed as.</summary>
public sealed record SubmittedFile(string PartType, string MediaType, ReadOnlyMemory<byte> Bytes);

/// <summary>Content a platform submits: its ids and the content's parts.</summary>
/// <param name="MetadataJson">The platform's metadata, a JSON object, stored as given.</param>
/// <param name="Files">Uploaded files (images), in order.</param>
/// <param name="Actor">Who submits (<c>key:ID</c>).</param>
/// <param name="IdempotencyKey">The client's <c>Idempotency-Key</c>, if it sent one: a second submission with the same
/// key (by the same actor) is the first item, not a new one.</param>
public sealed record Submission(
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    IReadOnlyList<SubmittedFile> Files,
    string Actor,
    string? IdempotencyKey = null)
{
    /// <summary>The key the stored item is unique on: the client's Idempotency-Key (per actor), else, when
    /// <paramref name="byPlatformId"/>, the platform's content id; null when neither applies.</summary>
    public string? StoreKey(bool byPlatformId) =>
        IdempotencyKey is { Length: > 0 } key ? $"key:{Actor}:{key}"
        : byPlatformId && PlatformContentId is { Length: > 0 } id ? $"platform:{id}"
        : null;

    /// <summary>The binary parts to store (the text is stored in its column).</summary>
    public IReadOnlyList<NewPart> StoredParts() =>
        [.. Parts().Where(p => p.Text is null).Select(p => new NewPart(p.Id, p.Type, p.MediaType, Convert.ToHexStringLower(SHA256.HashData(p.Bytes.Span)), p.Bytes, p.ParentId, p.Name))];

    /// <summary>The parts the pipeline assesses: the text (when there is any), then each file, named as the API names
    /// uploads (<c>upload</c>, then <c>upload 2</c>...).</summary>
    public IReadOnlyList<ContentPart> Parts()
    {
        var parts = new List<ContentPart>(Files.Count + 1);
        if (!string.IsNullOrEmpty(Text))
        {
            parts.Add(ContentPart.FromText(Text));
        }

        for (int i = 0; i < Files.Count; i++)
        {
            var file = Files[i];
            string id = i == 0 ? file.PartType : $"{file.PartType}{i + 1}";
            parts.Add(new ContentPart(id, file.PartType, file.MediaType, Bytes: file.Bytes, Name: i == 0 ? "upload" : $"upload {i + 1}"));
        }

        return parts;
    }
}

/// <summary>What a submission stored: the item with its result, and the case opened for it, if any.</summary>
/// <param name="Result">The pipeline's result; null when the submission repeated an earlier one (same idempotency key),
/// whose stored item is returned.</param>
public sealed record Submitted(ContentItem Content, ReviewCase? Case, PipelineResult? Result)
{
    /// <summary>Whether this submission stored a new item (false: it repeated an earlier one).</summary>
    public bool Created => Result is not null;
}

/// <summary>
/// Submitting content: the pipeline assesses it, then the item, its parts, its result and (when the outcome asks for a
/// person: <see cref="PolicyOutcome.OpensCase"/>) its case with a priority (<see cref="CasePriority"/>) are stored in one
/// transaction, with the case's audit entry (<c>case.opened</c>) and the <c>content.assessed</c> webhook events. With an
/// idempotency key (<see cref="Submission.IdempotencyKey"/>), a repeated submission returns the first item.
/// </summary>
public sealed class SubmitContent(ContentPipeline pipeline, IVigilStore store, TimeProvider time)
{
    public async Task<Submitted> ExecuteAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        string? key = submission.StoreKey(byPlatformId: false);
        if (key is not null && await ExistingAsync(store, key, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var result = await pipeline.AssessAsync(submission.Parts(), cancellationToken);
        var outcome = result.Outcome;

        await using (var unit = await store.BeginAsync(cancellationToken))
        {
            var now = time.GetUtcNow();
            var (stored, created) = await unit.Content.InsertOrGetAsync(
                new NewContent(
                    submission.PlatformContentId,
                    submission.AuthorId,
                    submission.Url,
                    submission.MetadataJson,
                    submission.Text,
                    submission.StoredParts(),
                    submission.Actor,
                    new ContentResult(outcome.Verdict, result.Assessment.Signals, outcome.Action, outcome.Queue, outcome.Rule),
                    key),
                now,
                cancellationToken);
            if (created)
            {
                var opened = await RecordOutcomeAsync(unit, stored, result, now, cancellationToken);
                await unit.CommitAsync(cancellationToken);
                return new Submitted(stored, opened, result);
            }
        }

        // The same key was submitted at the same time: the other submission stored it.
        return await ExistingAsync(store, key!, cancellationToken) ?? throw new InvalidOperationException("An item stored with an idempotency key vanished.");
    }

    /// <summary>The item stored with <paramref name="key"/> and its case, or null.</summary>
    internal static async Task<Submitted?> ExistingAsync(IVigilStore store, string key, CancellationToken cancellationToken) =>
        await store.Content.FindByIdempotencyKeyAsync(key, cancellationToken) is { } item
            ? new Submitted(item, await store.Cases.GetByContentAsync(item.Id, cancellationToken), null)
            : null;

    /// <summary>
    /// What follows an item's result inside its transaction: its case (when the outcome opens one) with the audit entry
    /// <c>case.opened</c>, and the <c>content.assessed</c> webhook events. Returns the case opened, if any.
    /// </summary>
    internal static async Task<ReviewCase?> RecordOutcomeAsync(IUnitOfWork unit, ContentItem item, PipelineResult result, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = result.Outcome;
        var verdict = outcome.Verdict;
        ReviewCase? opened = null;
        if (outcome.OpensCase)
        {
            var (priority, threat) = CasePriority.Of(outcome, result.Assessment);
            opened = await unit.Cases.InsertAsync(
                new NewCase(item.Id, outcome.Queue, priority, verdict.Kind, outcome.Action, verdict.Labels, verdict.Language, threat, verdict.PolicyVersion, now),
                cancellationToken);
            string details = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["content_id"] = item.Id,
                ["queue"] = outcome.Queue,
                ["priority"] = priority,
                ["verdict"] = verdict.Kind.ToWire(),
                ["action"] = outcome.Action.ToWire(),
                ["policy_version"] = verdict.PolicyVersion,
            });
            await unit.Audit.AppendAsync(new AuditRecord(item.SubmittedBy, "case.opened", $"case:{opened.Id}", details), now, cancellationToken);
        }

        await WebhookEvents.PublishAsync(
            unit,
            WebhookEvents.ContentAssessed,
            new
            {
                Event = WebhookEvents.ContentAssessed,
                Content = new { item.Id, ContentId = item.PlatformContentId, item.AuthorId, item.Url },
                Verdict = verdict.Kind.ToWire(),
                Action = outcome.Action.ToWire(),
                verdict.Labels,
                verdict.PolicyVersion,
                Case = opened is null ? null : CaseDto.From(opened),
                AssessedAt = now,
            },
            now,
            cancellationToken);
        return opened;
    }
}
