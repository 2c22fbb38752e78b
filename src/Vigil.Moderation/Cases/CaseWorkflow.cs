using System.Text.Json;
using Vigil.Core;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Webhooks;
using Vigil.Moderation.Wire;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;

namespace Vigil.Moderation.Cases;

/// <summary>A moderator's decision on a case.</summary>
/// <param name="Actor">Who decides: they must hold the case's lease.</param>
/// <param name="PolicyVersion">The policy version in force now.</param>
public sealed record DecideCase(long CaseId, ReviewDecision Value, string Reason, string Actor, string PolicyVersion);

/// <summary>
/// The review case state machine, the same for the API, the review UI and any other caller: a case is open until decided;
/// one reviewer at a time holds a lease on it (claim, renew, release; an expired lease is nobody's); a decision needs the
/// lease, is stored with the policy version in force, and closes the case, except <c>escalate</c>, which moves it to the
/// escalation queue at least at priority <see cref="CasePriority.Escalated"/> and releases it. Every decision is audited
/// (<c>case.decided</c>) and announced to webhooks (<c>decision.created</c>) in its own transaction; content a decision
/// takes down (<c>remove</c>, <c>report_threat_to_life</c>) is preserved (<see cref="Preservations"/>, TCO Art 6), and a
/// restricting decision also gets its statement of reasons (<see cref="StatementsOfReasons"/>) in the same transaction.
/// </summary>
public sealed class CaseWorkflow(IVigilStore store, TimeProvider time, StatementSettings? statements = null, ComplianceSettings? compliance = null)
{
    private static readonly ComplianceSettings DefaultCompliance = new();

    private readonly StatementSettings _statements = statements ?? StatementSettings.Default;

    /// <summary>Takes (or renews) the lease for <paramref name="lease"/>, unless someone else holds a live one.</summary>
    public async Task<ClaimResult> ClaimAsync(long id, string actor, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var current = await unit.Cases.GetForUpdateAsync(id, cancellationToken);
        if (current is null)
        {
            return new ClaimResult(ClaimStatus.NotFound, null);
        }

        if (current.State == CaseState.Closed)
        {
            return new ClaimResult(ClaimStatus.Closed, current);
        }

        if (current.ClaimedBy is { } holder && !string.Equals(holder, actor, StringComparison.Ordinal))
        {
            return new ClaimResult(ClaimStatus.HeldByOther, current);
        }

        var claimed = await unit.Cases.UpdateAsync(CaseUpdate.Of(current) with { ClaimedBy = actor, LeaseExpiresAt = time.GetUtcNow() + lease }, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return new ClaimResult(ClaimStatus.Claimed, claimed);
    }

    /// <summary>Gives up the actor's live lease; false when they held none.</summary>
    public async Task<bool> ReleaseAsync(long id, string actor, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var current = await unit.Cases.GetForUpdateAsync(id, cancellationToken);
        if (current is null || !string.Equals(current.ClaimedBy, actor, StringComparison.Ordinal))
        {
            return false;
        }

        await unit.Cases.UpdateAsync(CaseUpdate.Of(current) with { ClaimedBy = null, LeaseExpiresAt = null }, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Records a decision by the lease holder (see the class summary).</summary>
    public async Task<DecideResult> DecideAsync(DecideCase command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var current = await unit.Cases.GetForUpdateAsync(command.CaseId, cancellationToken);
        if (current is null)
        {
            return new DecideResult(DecideStatus.NotFound, null, null);
        }

        if (current.State == CaseState.Closed)
        {
            return new DecideResult(DecideStatus.Closed, null, current);
        }

        if (current.Queue == Complaints.AppealsQueue)
        {
            return new DecideResult(DecideStatus.Appeal, null, current);
        }

        if (!string.Equals(current.ClaimedBy, command.Actor, StringComparison.Ordinal))
        {
            return new DecideResult(DecideStatus.NotClaimed, null, current);
        }

        var decision = await unit.Cases.InsertDecisionAsync(
            new NewDecision(current.Id, current.ContentId, command.Value, command.Reason, command.Actor, now, command.PolicyVersion), cancellationToken);
        var next = CaseUpdate.Of(current) with { ClaimedBy = null, LeaseExpiresAt = null };
        next = command.Value == ReviewDecision.Escalate
            ? next with { Queue = ActionPolicy.EscalationQueue, Priority = Math.Max(current.Priority, CasePriority.Escalated) }
            : next with { State = CaseState.Closed, ClosedAt = now, ThreatToLife = current.ThreatToLife || command.Value == ReviewDecision.ReportThreatToLife };
        var updated = await unit.Cases.UpdateAsync(next, cancellationToken);

        var content = await unit.Content.GetAsync(current.ContentId, cancellationToken);
        var origin = await DecisionOrigins.ForAsync(unit, current, cancellationToken);
        if (content is not null && StatementsOfReasons.Build(decision, current, content, origin, _statements) is { } statement)
        {
            await StatementsOfReasons.RecordAsync(unit, statement, decision.Id, content, now, cancellationToken);
        }

        await Notices.OnDecidedAsync(unit, decision, now, cancellationToken);

        await WebhookEvents.PublishAsync(
            unit,
            WebhookEvents.DecisionCreated,
            new
            {
                Event = WebhookEvents.DecisionCreated,
                Decision = DecisionDto.From(decision),
                Case = CaseDto.From(updated),
                Content = new { content?.Id, ContentId = content?.PlatformContentId, content?.AuthorId, content?.Url },

                // TCO Art 11(3): a decision on an order whose authority withholds disclosure is not told to the uploader yet.
                DisclosureWithheldUntil = origin.DisclosureWithheldUntil is { } until && until > now ? until : (DateTimeOffset?)null,
            },
            now,
            cancellationToken);

        string details = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["decision_id"] = decision.Id,
            ["content_id"] = current.ContentId,
            ["decision"] = command.Value.ToWire(),
            ["reason"] = command.Reason,
            ["policy_version"] = command.PolicyVersion,
            ["case_policy_version"] = current.PolicyVersion,
        });
        await unit.Audit.AppendAsync(new AuditRecord(command.Actor, "case.decided", $"case:{current.Id}", details), now, cancellationToken);
        await RemovalOrders.OnCaseDecidedAsync(unit, (compliance ?? DefaultCompliance).ClockRestart, current, decision, now, cancellationToken);
        if (command.Value is ReviewDecision.Remove or ReviewDecision.ReportThreatToLife)
        {
            await Preservations.StartAsync(unit, current.ContentId, "decision", decision.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), command.Actor, now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return new DecideResult(DecideStatus.Decided, decision, updated);
    }
}
