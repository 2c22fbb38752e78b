using System.Text.Json;
using Vigil.Core;
using Vigil.Moderation.Webhooks;
using Vigil.Moderation.Wire;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>A complaint against a decision (DSA Art 20(1)): by the uploader or the notifier, with their explanation.</summary>
public sealed record ComplaintRequest(long DecisionId, string? Complainant, string? Explanation, string Actor);

/// <summary>A complaint that cannot be accepted or decided, and why.</summary>
public sealed class ComplaintException(string message, ComplaintProblem problem) : Exception(message)
{
    public ComplaintProblem Problem { get; } = problem;
}

public enum ComplaintProblem
{
    /// <summary>The request is not valid (400).</summary>
    Invalid,

    /// <summary>No such decision or complaint (404).</summary>
    NotFound,

    /// <summary>The state does not allow it: too late, decided already, already contested (409).</summary>
    Conflict,

    /// <summary>The actor made the contested decision and may not decide the complaint (403).</summary>
    SameDecider,
}

/// <summary>
/// The internal complaint-handling system (DSA Art 20; for removals of terrorist content also TCO Art 10): a complaint
/// against a decision, made within six months of it (Art 20(1)), opens a case in the <c>appeals</c> queue; it is decided
/// (<c>upheld</c> or <c>reversed</c>) by someone other than whoever made the contested decision (Art 20(6): not solely by
/// automated means, and here never by the same person); a complaint against the removal of terrorist content must be
/// decided within two weeks (TCO Art 10(2)), a deadline tracked with the complaint. A reversal of a restriction reinstates
/// the content (webhook <c>content.reinstated</c>); a reversal of a decision to keep content up restricts it, with its
/// statement of reasons. Each step is audited.
/// </summary>
public sealed class Complaints(IVigilStore store, TimeProvider time, StatementSettings? statements = null)
{
    public const string AppealsQueue = "appeals";

    /// <summary>DSA Art 20(1): at least six months after the decision.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(183);

    /// <summary>TCO Art 10(2): a complaint against a removal of terrorist content is decided within two weeks.</summary>
    public static readonly TimeSpan TcoDeadline = TimeSpan.FromDays(14);

    public const int MaxExplanationLength = 5000;

    private readonly StatementSettings _statements = statements ?? StatementSettings.Default;

    public async Task<Complaint> SubmitAsync(ComplaintRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Complainant is not ("uploader" or "notifier"))
        {
            throw new ComplaintException("'complainant' must be 'uploader' or 'notifier'.", ComplaintProblem.Invalid);
        }

        if (string.IsNullOrWhiteSpace(request.Explanation) || request.Explanation.Length > MaxExplanationLength)
        {
            throw new ComplaintException($"'explanation' is required: 1-{MaxExplanationLength} characters.", ComplaintProblem.Invalid);
        }

        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var decision = await unit.Cases.GetDecisionAsync(request.DecisionId, cancellationToken)
            ?? throw new ComplaintException($"There is no decision {request.DecisionId}.", ComplaintProblem.NotFound);
        if (decision.Value == ReviewDecision.Escalate)
        {
            throw new ComplaintException("An escalation decides nothing yet: contest the decision that follows it.", ComplaintProblem.Conflict);
        }

        if (now - decision.DecidedAt > Window)
        {
            throw new ComplaintException("Complaints are taken within six months of the decision (DSA Art 20(1)).", ComplaintProblem.Conflict);
        }

        if ((await unit.Notices.ListComplaintsByDecisionAsync(decision.Id, cancellationToken)).Any(c => c.Outcome is null))
        {
            throw new ComplaintException($"Decision {decision.Id} has an open complaint already.", ComplaintProblem.Conflict);
        }

        var original = (await unit.Cases.GetAsync(decision.CaseId, cancellationToken))!;
        bool terrorist = original.Labels.Any(l => Taxonomy.TryGet(l, out var c) && c.IsTerrorism);
        DateTimeOffset? deadline = terrorist && StatementsOfReasons.Restricts(decision.Value) ? now + TcoDeadline : null;
        var appeal = await unit.Cases.InsertAsync(
            new NewCase(decision.ContentId, AppealsQueue, deadline is null ? 50 : 70, original.Verdict, original.Action, original.Labels, original.Language, false, original.PolicyVersion, now),
            cancellationToken);
        var complaint = await unit.Notices.InsertComplaintAsync(
            new NewComplaint(decision.Id, decision.ContentId, appeal.Id, request.Complainant, request.Explanation.Trim(), decision.DecidedBy, now, deadline, request.Actor),
            cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["decision_id"] = decision.Id,
            ["case_id"] = appeal.Id,
            ["complainant"] = request.Complainant,
            ["deadline_at"] = deadline,
        });
        await unit.Audit.AppendAsync(new AuditRecord(request.Actor, "complaint.received", $"complaint:{complaint.Id}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return complaint;
    }

    /// <summary>Decides a complaint: <paramref name="reversed"/> or upheld, with the reason; see the class summary.</summary>
    /// <exception cref="ComplaintException">No such complaint, decided already, or the actor made the contested decision.</exception>
    public async Task<(Complaint Complaint, Decision Decision)> DecideAsync(long complaintId, bool reversed, string reason, string actor, string policyVersion, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var complaint = await unit.Notices.GetComplaintAsync(complaintId, cancellationToken)
            ?? throw new ComplaintException($"There is no complaint {complaintId}.", ComplaintProblem.NotFound);
        if (string.Equals(complaint.OriginalDecider, actor, StringComparison.Ordinal))
        {
            throw new ComplaintException(
                $"{actor} made the contested decision; someone else decides the complaint (DSA Art 20).", ComplaintProblem.SameDecider);
        }

        var appeal = await unit.Cases.GetForUpdateAsync(complaint.CaseId, cancellationToken);
        if (complaint.Outcome is not null || appeal is null || appeal.State == CaseState.Closed)
        {
            throw new ComplaintException($"Complaint {complaintId} is decided already.", ComplaintProblem.Conflict);
        }

        if (appeal.ClaimedBy is { } holder && !string.Equals(holder, actor, StringComparison.Ordinal))
        {
            throw new ComplaintException($"{holder} is working on complaint {complaintId}.", ComplaintProblem.Conflict);
        }

        var contested = (await unit.Cases.GetDecisionAsync(complaint.DecisionId, cancellationToken))!;
        bool wasRestriction = StatementsOfReasons.Restricts(contested.Value);
        var value = !reversed ? contested.Value : wasRestriction ? ReviewDecision.KeepUp : ReviewDecision.Remove;
        var decision = await unit.Cases.InsertDecisionAsync(new NewDecision(appeal.Id, appeal.ContentId, value, reason.Trim(), actor, now, policyVersion), cancellationToken);
        await unit.Cases.UpdateAsync(CaseUpdate.Of(appeal) with { State = CaseState.Closed, ClosedAt = now, ClaimedBy = null, LeaseExpiresAt = null }, cancellationToken);
        string outcome = reversed ? "reversed" : "upheld";
        await unit.Notices.DecideComplaintAsync(complaint.Id, outcome, actor, now, cancellationToken);

        var content = await unit.Content.GetAsync(appeal.ContentId, cancellationToken);
        var payload = new
        {
            Complaint = new { complaint.Id, complaint.DecisionId, complaint.Complainant, Outcome = outcome, DecidedAt = now, complaint.DeadlineAt },
            Decision = DecisionDto.From(decision),
            Content = new { content?.Id, ContentId = content?.PlatformContentId, content?.AuthorId, content?.Url },
        };
        await WebhookEvents.PublishAsync(unit, WebhookEvents.ComplaintDecided, new { Event = WebhookEvents.ComplaintDecided, payload.Complaint, payload.Decision, payload.Content }, now, cancellationToken);
        if (reversed && wasRestriction)
        {
            await WebhookEvents.PublishAsync(unit, WebhookEvents.ContentReinstated, new { Event = WebhookEvents.ContentReinstated, payload.Complaint, payload.Decision, payload.Content }, now, cancellationToken);
        }
        else if (reversed && content is not null
            && StatementsOfReasons.Build(decision, appeal, content, await DecisionOrigins.ForAsync(unit, appeal, cancellationToken), _statements) is { } statement)
        {
            await StatementsOfReasons.RecordAsync(unit, statement, decision.Id, content, now, cancellationToken);
        }

        string details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["decision_id"] = decision.Id,
            ["contested_decision_id"] = contested.Id,
            ["outcome"] = outcome,
            ["reason"] = reason.Trim(),
            ["deadline_at"] = complaint.DeadlineAt,
            ["late"] = complaint.DeadlineAt is { } deadline && now > deadline,
        });
        await unit.Audit.AppendAsync(new AuditRecord(actor, "complaint.decided", $"complaint:{complaint.Id}", details), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return ((await store.Notices.GetComplaintAsync(complaint.Id, cancellationToken))!, decision);
    }

    /// <summary>Whether a complaint's deadline (TCO Art 10(2)) has passed undecided at <paramref name="now"/>, or was missed.</summary>
    public static bool IsLate(Complaint complaint, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return complaint.DeadlineAt is { } deadline && (complaint.DecidedAt ?? now) > deadline;
    }
}
