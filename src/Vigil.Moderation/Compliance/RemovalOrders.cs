using Vigil.Core;
using Vigil.Core.Compliance;
using Vigil.Moderation.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Compliance;

/// <summary>The Art 2(7) categories of terrorist content an authority ticks in a removal order (Annex I, section B).</summary>
public static class OrderReasons
{
    /// <summary>(a) incites the commission of terrorist offences (glorification included).</summary>
    public const string Incitement = "incitement";

    /// <summary>(b) solicits a person or group to commit or contribute to terrorist offences.</summary>
    public const string SolicitationToCommit = "solicitation_to_commit";

    /// <summary>(c) solicits a person or group to participate in the activities of a terrorist group.</summary>
    public const string SolicitationToParticipate = "solicitation_to_participate";

    /// <summary>(d) provides instruction on making or using explosives, firearms or other weapons or noxious substances.</summary>
    public const string Instruction = "instruction";

    /// <summary>(e) constitutes a threat to commit a terrorist offence.</summary>
    public const string Threat = "threat";

    public static IReadOnlyList<string> All { get; } = [Incitement, SolicitationToCommit, SolicitationToParticipate, Instruction, Threat];

    /// <summary>The category of Vigil's taxonomy an Art 2(7) reason falls under (its order's case carries it, so that the
    /// statement of reasons and the reports name terrorist content even where Vigil's own verdict did not).</summary>
    public static string Label(string reason) => reason switch
    {
        Instruction => Taxonomy.TerrorismInstruction.Id,
        SolicitationToCommit or SolicitationToParticipate => Taxonomy.TerrorismRecruitment.Id,
        _ => Taxonomy.TerrorismIncitement.Id, // incitement, threat: "Incitement or threat"
    };
}

/// <summary>A removal order as a compliance officer (or the API) logs it.</summary>
/// <param name="Locations">The URLs or platform content ids it covers.</param>
/// <param name="Document">The order document (a PDF or an image), its media type sniffed from its bytes by the caller.</param>
/// <param name="PolicyVersion">The policy in force (for the decisions of an automatic execution).</param>
public sealed record LogOrder(
    OrderDetails Details,
    IReadOnlyList<string> Locations,
    OrderDocument? Document,
    ReadOnlyMemory<byte> DocumentBytes,
    string Actor,
    string PolicyVersion);

/// <summary>The outcome of logging an order: the order, or what is wrong with the request (nothing stored then).</summary>
public sealed record LoggedOrder(RemovalOrder? Order, IReadOnlyList<string> Errors);

public enum OrderActionStatus
{
    Done,
    NotFound,

    /// <summary>The order was executed already.</summary>
    Executed,

    /// <summary>Stop: the clock is stopped already; resume: it is not stopped.</summary>
    WrongClockState,

    /// <summary>The explanation is empty.</summary>
    Invalid,
}

public sealed record OrderActionResult(OrderActionStatus Status, RemovalOrder? Order);

/// <summary>
/// TCO removal orders (EU Regulation 2021/784, Art 3): logging an order (its URLs or ids resolved to stored items, the
/// unknown ones kept in the list; one <see cref="Queue"/> case per item at priority 100), executing it (each item's case
/// decided <c>remove</c>, the removal time stored, the content preserved, a signed webhook <c>content.removed</c> with the
/// order's reference; a statement of reasons naming the order, withheld from the uploader while the order withholds
/// disclosure, TCO Art 11(3)), the one-hour clock (<see cref="OrderClock"/>: Annex III stops and restarts, warnings and the
/// breach found by <see cref="CheckClocksAsync"/>) and the Art 5(4) exposure. Every action is audited.
/// </summary>
public sealed class RemovalOrders(IVigilStore store, TimeProvider time, ComplianceSettings settings, StatementSettings? statements = null)
{
    private readonly StatementSettings _statements = statements ?? StatementSettings.Default;

    /// <summary>The review queue of removal orders' cases.</summary>
    public const string Queue = "order";

    /// <summary>The priority of their cases: the highest.</summary>
    public const int Priority = 100;

    /// <summary>The actor of automatic executions and of the clock job.</summary>
    public const string SystemActor = "system:compliance";

    /// <summary>The order's clock, under the configured restart rule.</summary>
    public OrderClock Clock(RemovalOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return new OrderClock(order.Details.ReceivedAt, order.Stops, settings.ClockRestart);
    }

    /// <summary>Validates and stores an order, resolves its locations and opens its cases (audited
    /// <c>removal_order.logged</c>); executes it at once when <see cref="ComplianceSettings.ExecuteOrdersAutomatically"/>.</summary>
    public async Task<LoggedOrder> LogAsync(LogOrder command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        var errors = Validate(command, now);
        if (errors.Count > 0)
        {
            return new LoggedOrder(null, errors);
        }

        await using var unit = await store.BeginAsync(cancellationToken);
        var targets = new List<OrderTarget>();
        foreach (string location in command.Locations.Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal))
        {
            long? contentId = await unit.Compliance.FindContentAsync(location, cancellationToken);
            long? caseId = null;
            if (contentId is { } id && await unit.Content.GetAsync(id, cancellationToken) is { } item)
            {
                var verdict = item.Result.Verdict;
                var labels = verdict.Labels.Concat(command.Details.Reasons.Where(OrderReasons.All.Contains).Select(OrderReasons.Label)).Distinct(StringComparer.Ordinal).ToList();
                var opened = await unit.Cases.InsertAsync(
                    new NewCase(id, Queue, Priority, verdict.Kind, ModerationAction.Remove, labels, verdict.Language, false, command.PolicyVersion, now),
                    cancellationToken);
                caseId = opened.Id;
            }

            targets.Add(new OrderTarget(location, contentId, caseId));
        }

        var given = command.Details;
        var details = given with
        {
            Reference = given.Reference.Trim(),
            MemberState = given.MemberState.Trim().ToUpperInvariant(),
            Authority = given.Authority.Trim(),
            ContactPoint = Blank(given.ContactPoint),
            Reasons = [.. given.Reasons.Distinct(StringComparer.Ordinal)],
        };
        var order = await unit.Compliance.InsertOrderAsync(new NewRemovalOrder(details, targets, command.Document, command.DocumentBytes, command.Actor, now), cancellationToken);
        await unit.Audit.AppendAsync(
            new AuditRecord(command.Actor, "removal_order.logged", Subject(order), Preservations.Details(new()
            {
                ["reference"] = details.Reference,
                ["member_state"] = details.MemberState,
                ["received_at"] = details.ReceivedAt,
                ["resolved"] = targets.Count(t => t.ContentId is not null),
                ["unknown"] = targets.Where(t => t.ContentId is null).Select(t => t.Location).ToList(),
                ["document_sha256"] = order.Document?.Sha256,
            })),
            now,
            cancellationToken);
        foreach (var target in targets.Where(t => t.CaseId is not null))
        {
            await unit.Audit.AppendAsync(
                new AuditRecord(command.Actor, "case.opened", $"case:{target.CaseId}", Preservations.Details(new() { ["queue"] = Queue, ["removal_order"] = order.Id })),
                now,
                cancellationToken);
        }

        if (settings.ExecuteOrdersAutomatically)
        {
            order = await ExecuteAsync(unit, order, SystemActor, command.PolicyVersion, now, cancellationToken);
        }

        await unit.CommitAsync(cancellationToken);
        return new LoggedOrder(order, []);
    }

    /// <summary>Executes an order on the compliance officer's confirmation (see the class summary).</summary>
    public async Task<OrderActionResult> ExecuteAsync(long id, string actor, string policyVersion, CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var order = await unit.Compliance.GetOrderForUpdateAsync(id, cancellationToken);
        if (order is null || order.Executed)
        {
            return new OrderActionResult(order is null ? OrderActionStatus.NotFound : OrderActionStatus.Executed, order);
        }

        order = await ExecuteAsync(unit, order, actor, policyVersion, time.GetUtcNow(), cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return new OrderActionResult(OrderActionStatus.Done, order);
    }

    /// <summary>Stops the clock on an Annex III ground, with an explanation (audited <c>removal_order.clock_stopped</c>).</summary>
    public Task<OrderActionResult> StopClockAsync(long id, ClockStopGround ground, string explanation, string actor, CancellationToken cancellationToken) =>
        ChangeClockAsync(id, actor, "removal_order.clock_stopped", (order, clock, now) =>
            string.IsNullOrWhiteSpace(explanation) ? (OrderActionStatus.Invalid, null)
            : clock.IsStopped ? (OrderActionStatus.WrongClockState, null)
            : (OrderActionStatus.Done, RemovalOrderUpdate.Of(order) with { Stops = clock.Stop(ground, explanation.Trim(), now).Stops }),
            new() { ["ground"] = ground.ToString(), ["explanation"] = explanation.Trim() },
            cancellationToken);

    /// <summary>Restarts the clock: the grounds ceased or the clarification arrived (audited <c>removal_order.clock_resumed</c>).
    /// The warnings are given again for the new deadline.</summary>
    public Task<OrderActionResult> ResumeClockAsync(long id, string actor, CancellationToken cancellationToken) =>
        ChangeClockAsync(id, actor, "removal_order.clock_resumed", (order, clock, now) =>
            !clock.IsStopped ? (OrderActionStatus.WrongClockState, null)
            : (OrderActionStatus.Done, RemovalOrderUpdate.Of(order) with { Stops = clock.Resume(now).Stops, WarningsSent = [] }),
            [],
            cancellationToken);

    /// <summary>
    /// The background job's step: for every order not executed whose clock runs, announces each warning point reached
    /// and not announced yet (webhook <c>removal_order.deadline_approaching</c>, audited), and records a missed deadline
    /// once (<see cref="RemovalOrder.BreachedAt"/>: the deadline; webhook <c>removal_order.deadline_breached</c>, audited).
    /// Returns the orders it changed.
    /// </summary>
    public async Task<IReadOnlyList<RemovalOrder>> CheckClocksAsync(CancellationToken cancellationToken)
    {
        var changed = new List<RemovalOrder>();
        foreach (var open in await store.Compliance.ListOrdersAsync(openOnly: true, 1000, cancellationToken))
        {
            await using var unit = await store.BeginAsync(cancellationToken);
            var now = time.GetUtcNow();
            var order = await unit.Compliance.GetOrderForUpdateAsync(open.Id, cancellationToken);
            if (order is null || order.Executed || Clock(order) is not { Deadline: { } deadline } clock)
            {
                continue;
            }

            var update = RemovalOrderUpdate.Of(order);
            foreach (var point in settings.WarningPoints())
            {
                var at = deadline - OrderClock.Period + point;
                if (at <= now && now < deadline && !update.WarningsSent.Contains(point))
                {
                    update = update with { WarningsSent = [.. update.WarningsSent, point] };
                    await AnnounceAsync(unit, order, WebhookEvents.DeadlineApproaching, "removal_order.deadline_approaching", now, deadline, cancellationToken);
                }
            }

            if (order.BreachedAt is null && clock.IsBreached(now, null))
            {
                update = update with { BreachedAt = deadline };
                await AnnounceAsync(unit, order, WebhookEvents.DeadlineBreached, "removal_order.deadline_breached", now, deadline, cancellationToken);
            }

            if (update != RemovalOrderUpdate.Of(order))
            {
                changed.Add(await unit.Compliance.UpdateOrderAsync(update, cancellationToken));
                await unit.CommitAsync(cancellationToken);
            }
        }

        return changed;
    }

    /// <summary>TCO Art 5(4): the orders received in the 12 months before now; two or more make the platform exposed to
    /// terrorist content (the competent authority decides so formally; Vigil shows the count).</summary>
    public async Task<(int Orders, bool Exposed)> ExposureAsync(CancellationToken cancellationToken)
    {
        int orders = await store.Compliance.CountOrdersReceivedSinceAsync(time.GetUtcNow().AddMonths(-12), cancellationToken);
        return (orders, orders >= 2);
    }

    private static string Subject(RemovalOrder order) => $"removal_order:{order.Id}";

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private List<string> Validate(LogOrder command, DateTimeOffset now)
    {
        var errors = new List<string>();
        var details = command.Details;
        if (string.IsNullOrWhiteSpace(details.Reference) || details.Reference.Length > 200)
        {
            errors.Add("reference: the order's reference number is required (at most 200 characters).");
        }

        if (details.MemberState.Trim() is not { Length: 2 } state || !state.All(char.IsAsciiLetter))
        {
            errors.Add("member_state: the issuing Member State as a two-letter code (e.g. FR).");
        }

        if (string.IsNullOrWhiteSpace(details.Authority) || details.Authority.Length > 300)
        {
            errors.Add("authority: the issuing competent authority is required (at most 300 characters).");
        }

        if (details.ReceivedAt > now + TimeSpan.FromMinutes(1))
        {
            errors.Add("received_at: the time of receipt cannot be in the future.");
        }

        if (details.IssuedAt > details.ReceivedAt)
        {
            errors.Add("issued_at: an order cannot be issued after it was received.");
        }

        if (details.Reasons.Count == 0 || details.Reasons.FirstOrDefault(r => !OrderReasons.All.Contains(r)) is { } unknown)
        {
            errors.Add($"reasons: one or more of {string.Join(", ", OrderReasons.All)}{(details.Reasons.Count == 0 ? "" : $" (not '{details.Reasons.First(r => !OrderReasons.All.Contains(r))}')")}.");
        }

        if (!command.Locations.Any(l => !string.IsNullOrWhiteSpace(l)) || command.Locations.Count > 1000 || command.Locations.Any(l => l.Length > 2048))
        {
            errors.Add("locations: the URLs or content ids the order covers, 1 to 1000, each at most 2048 characters.");
        }

        if (details.DisclosureWithheldUntil is { } withheld && withheld <= details.IssuedAt)
        {
            errors.Add("withheld_until: the end of the withholding must come after the order was issued.");
        }

        if (command.DocumentBytes.Length > settings.MaxOrderDocumentBytes)
        {
            errors.Add($"document: at most {settings.MaxOrderDocumentBytes} bytes.");
        }

        return errors;
    }

    private async Task<RemovalOrder> ExecuteAsync(IUnitOfWork unit, RemovalOrder order, string actor, string policyVersion, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var targets = new List<OrderTarget>();
        foreach (var target in order.Targets)
        {
            if (target.ContentId is not { } contentId || target.RemovedAt is not null)
            {
                targets.Add(target);
                continue;
            }

            long? decisionId = null;
            var content = await unit.Content.GetAsync(contentId, cancellationToken);
            if (target.CaseId is { } caseId && await unit.Cases.GetForUpdateAsync(caseId, cancellationToken) is { State: CaseState.Open } open)
            {
                var decision = await unit.Cases.InsertDecisionAsync(
                    new NewDecision(caseId, contentId, ReviewDecision.Remove, $"TCO removal order {order.Details.Reference} ({order.Details.MemberState}, {order.Details.Authority})", actor, now, policyVersion),
                    cancellationToken);
                decisionId = decision.Id;
                await unit.Cases.UpdateAsync(CaseUpdate.Of(open) with { State = CaseState.Closed, ClosedAt = now, ClaimedBy = null, LeaseExpiresAt = null }, cancellationToken);
                if (content is not null && StatementsOfReasons.Build(decision, open, content, DecisionOrigins.Of(order), _statements) is { } statement)
                {
                    await StatementsOfReasons.RecordAsync(unit, statement, decision.Id, content, now, cancellationToken);
                }

                await unit.Audit.AppendAsync(
                    new AuditRecord(actor, "case.decided", $"case:{caseId}", Preservations.Details(new()
                    {
                        ["decision_id"] = decision.Id,
                        ["content_id"] = contentId,
                        ["decision"] = ReviewDecision.Remove.ToWire(),
                        ["reason"] = decision.Reason,
                        ["policy_version"] = policyVersion,
                        ["removal_order"] = order.Id,
                    })),
                    now,
                    cancellationToken);
            }

            targets.Add(await RemoveTargetAsync(unit, order, target, content, decisionId, actor, now, cancellationToken));
        }

        return await RecordExecutedAsync(unit, order, targets, settings.ClockRestart, actor, now, cancellationToken);
    }

    /// <summary>
    /// A moderator decided an order's case through the ordinary case workflow (<see cref="Cases.CaseWorkflow"/>): a removal
    /// gives effect to the order for that item as <see cref="ExecuteAsync(long, string, string, CancellationToken)"/> would
    /// (the removal time stored, <c>content.removed</c> with the order's reference, the content preserved under the order);
    /// once every item Vigil found is removed, the order is executed (audited <c>removal_order.executed</c>, a breach
    /// recorded when the hour had passed). Any other decision leaves the order to the compliance officer.
    /// </summary>
    public static async Task OnCaseDecidedAsync(IUnitOfWork unit, ClockRestart restart, ReviewCase reviewCase, Decision decision, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(reviewCase);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Value is not (ReviewDecision.Remove or ReviewDecision.ReportThreatToLife)
            || await unit.Compliance.GetOrderByCaseAsync(reviewCase.Id, cancellationToken) is not { } found
            || await unit.Compliance.GetOrderForUpdateAsync(found.Id, cancellationToken) is not { Executed: false } order)
        {
            return;
        }

        var content = await unit.Content.GetAsync(reviewCase.ContentId, cancellationToken);
        var targets = new List<OrderTarget>();
        foreach (var target in order.Targets)
        {
            targets.Add(target.CaseId == reviewCase.Id && target.ContentId is not null && target.RemovedAt is null
                ? await RemoveTargetAsync(unit, order, target, content, decision.Id, decision.DecidedBy, now, cancellationToken)
                : target);
        }

        if (targets.Any(t => t.ContentId is not null && t.RemovedAt is null))
        {
            await unit.Compliance.UpdateOrderAsync(RemovalOrderUpdate.Of(order) with { Targets = targets }, cancellationToken);
            return;
        }

        await RecordExecutedAsync(unit, order, targets, restart, decision.DecidedBy, now, cancellationToken);
    }

    private static async Task<OrderTarget> RemoveTargetAsync(
        IUnitOfWork unit, RemovalOrder order, OrderTarget target, Vigil.Storage.Content.ContentItem? content, long? decisionId, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        long contentId = target.ContentId!.Value;
        await WebhookEvents.PublishAsync(
            unit,
            WebhookEvents.ContentRemoved,
            new
            {
                Event = WebhookEvents.ContentRemoved,
                Order = new { order.Id, order.Details.Reference, order.Details.MemberState, order.Details.Authority },
                Content = new { Id = contentId, ContentId = content?.PlatformContentId, content?.Url },
                DecisionId = decisionId,
                RemovedAt = now,

                // TCO Art 11(3): while the authority withholds disclosure the platform does not tell the uploader.
                DisclosureWithheldUntil = order.Details.DisclosureWithheldUntil is { } until && until > now ? until : (DateTimeOffset?)null,
            },
            now,
            cancellationToken);
        await Preservations.StartAsync(unit, contentId, "removal_order", order.Details.Reference, actor, now, cancellationToken);
        return target with { RemovedAt = now };
    }

    private static async Task<RemovalOrder> RecordExecutedAsync(
        IUnitOfWork unit, RemovalOrder order, List<OrderTarget> targets, ClockRestart restart, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var clock = new OrderClock(order.Details.ReceivedAt, order.Stops, restart);
        var breachedAt = order.BreachedAt ?? (clock.IsBreached(now, now) ? clock.Deadline : null);
        var executed = await unit.Compliance.UpdateOrderAsync(
            RemovalOrderUpdate.Of(order) with { Targets = targets, ExecutedAt = now, ExecutedBy = actor, BreachedAt = breachedAt },
            cancellationToken);
        await unit.Audit.AppendAsync(
            new AuditRecord(actor, "removal_order.executed", Subject(order), Preservations.Details(new()
            {
                ["reference"] = order.Details.Reference,
                ["removed"] = targets.Where(t => t.RemovedAt == now).Select(t => t.ContentId).ToList(),
                ["unknown"] = targets.Where(t => t.ContentId is null).Select(t => t.Location).ToList(),
                ["deadline"] = clock.Deadline,
                ["breached"] = breachedAt is not null,
            })),
            now,
            cancellationToken);
        return executed;
    }

    private async Task<OrderActionResult> ChangeClockAsync(
        long id,
        string actor,
        string action,
        Func<RemovalOrder, OrderClock, DateTimeOffset, (OrderActionStatus Status, RemovalOrderUpdate? Update)> change,
        Dictionary<string, object?> details,
        CancellationToken cancellationToken)
    {
        await using var unit = await store.BeginAsync(cancellationToken);
        var now = time.GetUtcNow();
        var order = await unit.Compliance.GetOrderForUpdateAsync(id, cancellationToken);
        if (order is null || order.Executed)
        {
            return new OrderActionResult(order is null ? OrderActionStatus.NotFound : OrderActionStatus.Executed, order);
        }

        var (status, update) = change(order, Clock(order), now);
        if (update is null)
        {
            return new OrderActionResult(status, order);
        }

        var updated = await unit.Compliance.UpdateOrderAsync(update, cancellationToken);
        details["deadline"] = Clock(updated).Deadline;
        await unit.Audit.AppendAsync(new AuditRecord(actor, action, Subject(order), Preservations.Details(details)), now, cancellationToken);
        await unit.CommitAsync(cancellationToken);
        return new OrderActionResult(OrderActionStatus.Done, updated);
    }

    private static async Task AnnounceAsync(IUnitOfWork unit, RemovalOrder order, string eventName, string action, DateTimeOffset now, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await WebhookEvents.PublishAsync(
            unit,
            eventName,
            new { Event = eventName, Order = new { order.Id, order.Details.Reference, order.Details.MemberState, order.Details.Authority, order.Details.ReceivedAt }, Deadline = deadline, Left = deadline - now },
            now,
            cancellationToken);
        await unit.Audit.AppendAsync(
            new AuditRecord(SystemActor, action, Subject(order), Preservations.Details(new() { ["deadline"] = deadline, ["left_seconds"] = (long)(deadline - now).TotalSeconds })),
            now,
            cancellationToken);
    }
}
