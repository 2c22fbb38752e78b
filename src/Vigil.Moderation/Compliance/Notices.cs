using System.Text.Json;
using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;

namespace Vigil.Moderation.Compliance;

/// <summary>A notice as a platform passes it on from its "report" button (DSA Art 16(2)).</summary>
/// <param name="ContentId">The platform's id of the content (how Vigil finds it if it was submitted before).</param>
/// <param name="Url">The exact location of the content (Art 16(2)(b)).</param>
/// <param name="Explanation">Why the notifier considers it illegal (Art 16(2)(a)).</param>
/// <param name="Category">The category the notifier names (one of Vigil's ids), if any.</param>
/// <param name="GoodFaith">The notifier's statement of good faith (Art 16(2)(d)); required.</param>
/// <param name="TrustedFlagger">Whether the notifier is a trusted flagger (Art 22): its notices go first.</param>
/// <param name="Content">The content itself, for content Vigil has not stored yet; assessed through the pipeline.</param>
/// <param name="Actor">Who passes the notice on (<c>key:ID</c>).</param>
public sealed record NoticeRequest(
    string? ContentId,
    string? Url,
    string? Explanation,
    string? Category,
    string? NotifierName,
    string? NotifierEmail,
    bool GoodFaith,
    bool TrustedFlagger,
    Submission? Content,
    string Actor);

/// <summary>The acknowledgement of a notice (Art 16(4)): its id, when it was received, the content and case it concerns.</summary>
public sealed record NoticeReceipt(Notice Notice, ContentItem Content, ReviewCase Case);

/// <summary>A notice that cannot be accepted, and why (for a 400/422 answer).</summary>
public sealed class NoticeException(string message, bool contentMissing = false) : Exception(message)
{
    /// <summary>The notice is well-formed but names content Vigil does not have, and carries none.</summary>
    public bool ContentMissing { get; } = contentMissing;
}

/// <summary>
/// Notice and action (DSA Art 16): a notice is checked (location, explanation, good-faith statement), its content found
/// (or, when Vigil has not stored it yet, taken from the notice and assessed through the <see cref="Pipeline.ContentPipeline"/> by
/// <see cref="SubmitContent"/>), and put before a moderator: the content's open case is raised to the notice's priority, or
/// a case is opened in the <c>notices</c> queue; a trusted flagger's notice goes first (Art 22(1)). The notice is audited
/// (<c>notice.received</c>) and acknowledged; when the content is decided, the notifier is told the decision and their
/// redress through the platform (webhook <c>notice.decided</c>, <see cref="OnDecidedAsync"/>).
/// </summary>
public sealed class Notices(IVigilStore store, SubmitContent submit, TimeProvider time)
{
    public const string Queue = "notices";

    /// <summary>The least priority of a case with a notice, and with a trusted flagger's notice (above escalations).</summary>
    public const int NoticePriority = 60, TrustedFlaggerPriority = 85;

    public const int MaxExplanationLength = 5000;

    public async Task<NoticeReceipt> SubmitAsync(NoticeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string location = request.Url ?? request.ContentId ?? throw new NoticeException("A notice needs the content's exact location: 'url' or 'content_id'.");
        if (request.Url is not null && (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            throw new NoticeException("'url' must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(request.Explanation) || request.Explanation.Length > MaxExplanationLength)
        {
            throw new NoticeException($"'explanation' is required: 1-{MaxExplanationLength} characters on why the content is illegal (DSA Art 16(2)(a)).");
        }

        if (!request.GoodFaith)
        {
            throw new NoticeException("'good_faith' must be true: the notifier confirms the notice is accurate and complete (DSA Art 16(2)(d)).");
        }

        if (request.Category is not null && !Taxonomy.TryGet(request.Category, out _))
        {
            throw new NoticeException($"Unknown 'category' '{request.Category}'. Known: {string.Join(", ", Taxonomy.All.Select(c => c.Id))}.");
        }

        if (request.NotifierEmail is { } email && (email.Length > 254 || email.IndexOf('@', StringComparison.Ordinal) <= 0 || email.Any(char.IsWhiteSpace)))
        {
            throw new NoticeException("'notifier_email' is not an email address.");
        }

        if (request.NotifierName is { Length: > 200 })
        {
            throw new NoticeException("'notifier_name' is at most 200 characters.");
        }

        ContentItem? content = request.ContentId is null ? null : await store.Content.FindByPlatformIdAsync(request.ContentId, cancellationToken);
        if (content is null)
        {
            if (request.Content is null)
            {
                throw new NoticeException("Vigil has no content under this 'content_id': carry the content in the notice ('text' and/or an image).", contentMissing: true);
            }

            content = (await submit.ExecuteAsync(request.Content, cancellationToken)).Content;
        }

        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        int least = request.TrustedFlagger ? TrustedFlaggerPriority : NoticePriority;
        var existing = await unit.Cases.GetByContentAsync(content.Id, cancellationToken);
        ReviewCase reviewCase;
        if (existing is { State: CaseState.Open } open)
        {
            var locked = (await unit.Cases.GetForUpdateAsync(open.Id, cancellationToken))!;
            reviewCase = locked.Priority >= least ? locked : await unit.Cases.UpdateAsync(CaseUpdate.Of(locked) with { Priority = least }, cancellationToken);
        }
        else
        {
            var verdict = content.Result.Verdict;
            var labels = request.Category is { } named && !verdict.Labels.Contains(named) ? [.. verdict.Labels, named] : verdict.Labels;
            reviewCase = await unit.Cases.InsertAsync(
                new NewCase(content.Id, Queue, least, verdict.Kind, content.Result.Action, labels, verdict.Language, false, verdict.PolicyVersion, now), cancellationToken);
            string opened = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["content_id"] = content.Id,
                ["queue"] = Queue,
                ["priority"] = least,
                ["verdict"] = verdict.Kind.ToWire(),
                ["policy_version"] = verdict.PolicyVersion,
            });
            await unit.Audit.AppendAsync(new AuditRecord(request.Actor, "case.opened", $"case:{reviewCase.Id}", opened), now, cancellationToken);
        }

        var notice = await unit.Notices.InsertNoticeAsync(
            new NewNotice(content.Id, reviewCase.Id, location, request.Explanation.Trim(), request.Category, request.NotifierName, request.NotifierEmail, true, request.TrustedFlagger, now, request.Actor),
            cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["content_id"] = content.Id,
            ["case_id"] = reviewCase.Id,
            ["trusted_flagger"] = request.TrustedFlagger,
            ["category"] = request.Category,
            ["priority"] = reviewCase.Priority,
        });
        await unit.Audit.AppendAsync(new AuditRecord(request.Actor, "notice.received", $"notice:{notice.Id}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return new NoticeReceipt(notice, content, reviewCase);
    }

    /// <summary>What a decision on content with notices followed: a trusted flagger's notice, a notice, or nothing.</summary>
    public static async Task<DecisionSource?> SourceAsync(IUnitOfWork unit, long contentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var notices = await unit.Notices.ListNoticesByContentAsync(contentId, cancellationToken);
        return notices.Count == 0 ? null : notices.Any(n => n.TrustedFlagger) ? DecisionSource.TrustedFlagger : DecisionSource.Notice;
    }

    /// <summary>
    /// Answers the open notices about a decided content item (in the decision's unit of work): each records the decision,
    /// and the platform is told (webhook <c>notice.decided</c>) the decision and the notifier's redress, to pass on
    /// (Art 16(5)). An escalation decides nothing yet.
    /// </summary>
    public static async Task OnDecidedAsync(IUnitOfWork unit, Decision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Value == ReviewDecision.Escalate)
        {
            return;
        }

        foreach (var notice in (await unit.Notices.ListNoticesByContentAsync(decision.ContentId, cancellationToken)).Where(n => n.DecisionId is null))
        {
            await unit.Notices.MarkNoticeDecidedAsync(notice.Id, decision.Id, now, cancellationToken);
            await WebhookEvents.PublishAsync(
                unit,
                WebhookEvents.NoticeDecided,
                new
                {
                    Event = WebhookEvents.NoticeDecided,
                    Notice = new { notice.Id, notice.Location, notice.ReceivedAt, notice.TrustedFlagger, notice.NotifierName, notice.NotifierEmail },
                    Decision = new { decision.Id, Decision = decision.Value.ToWire(), decision.DecidedAt, Restricted = StatementsOfReasons.Restricts(decision.Value) },
                    Redress = "The notifier may contest this decision through the internal complaint-handling system within six months (DSA Art 20), "
                        + "refer it to a certified out-of-court dispute settlement body (DSA Art 21), or go to court.",
                },
                now,
                cancellationToken);
        }
    }
}
