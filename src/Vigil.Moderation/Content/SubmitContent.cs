using System.Security.Cryptography;
using System.Text.Json;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Pipeline;
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
public sealed record Submission(
    string? PlatformContentId,
    string? AuthorId,
    string? Url,
    string? MetadataJson,
    string? Text,
    IReadOnlyList<SubmittedFile> Files,
    string Actor)
{
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
public sealed record Submitted(ContentItem Content, ReviewCase? Case, PipelineResult Result);

/// <summary>
/// Submitting content: the pipeline assesses it, then the item, its parts, its result and (when the outcome asks for a
/// person: <see cref="PolicyOutcome.OpensCase"/>) its case with a priority (<see cref="CasePriority"/>) are stored in one
/// transaction, with the case's audit entry (<c>case.opened</c>).
/// </summary>
public sealed class SubmitContent(ContentPipeline pipeline, IVigilStore store, TimeProvider time)
{
    public async Task<Submitted> ExecuteAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var parts = submission.Parts();
        var result = await pipeline.AssessAsync(parts, cancellationToken);
        var outcome = result.Outcome;

        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var stored = await unit.Content.InsertAsync(
            new NewContent(
                submission.PlatformContentId,
                submission.AuthorId,
                submission.Url,
                submission.MetadataJson,
                submission.Text,
                [.. parts.Where(p => p.Text is null).Select(p => new NewPart(p.Id, p.Type, p.MediaType, Convert.ToHexStringLower(SHA256.HashData(p.Bytes.Span)), p.Bytes, p.ParentId, p.Name))],
                submission.Actor,
                new ContentResult(outcome.Verdict, result.Assessment.Signals, outcome.Action, outcome.Queue, outcome.Rule)),
            now,
            cancellationToken);

        ReviewCase? opened = null;
        if (outcome.OpensCase)
        {
            var (priority, threat) = CasePriority.Of(outcome, result.Assessment);
            var verdict = outcome.Verdict;
            opened = await unit.Cases.InsertAsync(
                new NewCase(stored.Id, outcome.Queue, priority, verdict.Kind, outcome.Action, verdict.Labels, verdict.Language, threat, verdict.PolicyVersion, now),
                cancellationToken);
            string details = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["content_id"] = stored.Id,
                ["queue"] = outcome.Queue,
                ["priority"] = priority,
                ["verdict"] = verdict.Kind.ToWire(),
                ["action"] = outcome.Action.ToWire(),
                ["policy_version"] = verdict.PolicyVersion,
            });
            await unit.Audit.AppendAsync(new AuditRecord(submission.Actor, "case.opened", $"case:{opened.Id}", details), now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return new Submitted(stored, opened, result);
    }
}
