using System.Text.Json;
using Vigil.Core.Compliance;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Moderation.Tests;

/// <summary>TCO removal orders on a fake clock: logging, execution, the one-hour clock with Annex III stops, warnings and
/// breaches, the replies; preservation and retention.</summary>
public sealed class RemovalOrderTests : StoreTests
{
    private static ContentPipeline Pipeline() => new(VigilSignalTypes.Default, [], [new Vigil.Text.TextDetector(Fixtures.Analyzer)], FixedBankMatcher.None, Fixtures.Policy);

    private async Task<Submitted> SubmitAsync(string contentId, string text = "new release from amaq, share it") =>
        await new SubmitContent(Pipeline(), Store, Clock).ExecuteAsync(new Submission(contentId, "author-1", $"https://example.test/{contentId}", null, text, [], "key:test"), None);

    private static LogOrder Order(DateTimeOffset receivedAt, params string[] locations) => new(
        new OrderDetails("FR-2026-0042", "fr", "OCLCTIC", "pharos@example.test", receivedAt.AddMinutes(-3), receivedAt, [OrderReasons.Incitement], null),
        locations, null, ReadOnlyMemory<byte>.Empty, "user:cleo", "policy-2");

    private RemovalOrders Orders(ClockRestart restart = ClockRestart.FullPeriod, bool automatic = false) =>
        new(Store, Clock, new ComplianceSettings { ClockRestart = restart, ExecuteOrdersAutomatically = automatic });

    [Fact]
    public async Task An_order_logged_at_T_is_removed_and_the_Annex_II_reply_states_the_times()
    {
        var (hook, _) = await new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8")).RegisterAsync("http://127.0.0.1:9/hook", [WebhookEvents.ContentRemoved], "s3cret-s3cret-s3", "user:admin", None);
        var item = (await SubmitAsync("post-7")).Content;
        var t = Clock.GetUtcNow();
        var orders = Orders();

        var logged = await orders.LogAsync(Order(t, "post-7", "https://elsewhere.test/gone"), None);
        Assert.Empty(logged.Errors);
        var order = logged.Order!;
        Assert.Equal(("FR", t + TimeSpan.FromHours(1)), (order.Details.MemberState, orders.Clock(order).Deadline!.Value));
        Assert.Equal([new OrderTarget("post-7", item.Id, order.Targets[0].CaseId), new OrderTarget("https://elsewhere.test/gone", null)], order.Targets);
        var orderCase = (await Store.Cases.GetAsync(order.Targets[0].CaseId!.Value, None))!;
        Assert.Equal((RemovalOrders.Queue, 100, CaseState.Open), (orderCase.Queue, orderCase.Priority, orderCase.State));
        Assert.Equal(orderCase.Id, (await Store.Cases.ListAsync(new CaseQuery(), None))[0].Id); // first in line

        Clock.Advance(TimeSpan.FromMinutes(25));
        var executed = await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None);
        Assert.Equal(OrderActionStatus.Done, executed.Status);
        var removedAt = t.AddMinutes(25);
        Assert.Equal((removedAt, (DateTimeOffset?)null), (executed.Order!.ExecutedAt!.Value, executed.Order.BreachedAt));
        Assert.Equal(removedAt, executed.Order.Targets[0].RemovedAt);
        Assert.Equal(OrderActionStatus.Executed, (await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None)).Status);

        var decision = Assert.Single(await Store.Cases.ListDecisionsAsync(orderCase.Id, None));
        Assert.Equal((ReviewDecision.Remove, "user:cleo", removedAt), (decision.Value, decision.DecidedBy, decision.DecidedAt));
        Assert.Contains("FR-2026-0042", decision.Reason);
        Assert.Equal(CaseState.Closed, (await Store.Cases.GetAsync(orderCase.Id, None))!.State);

        var delivery = Assert.Single(await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None));
        Assert.Equal((hook.Id, "content.removed"), (delivery.Webhook.Id, delivery.Message.Event));
        var body = JsonDocument.Parse(delivery.Message.Payload).RootElement;
        Assert.Equal(("FR-2026-0042", "post-7"), (body.GetProperty("order").GetProperty("reference").GetString(), body.GetProperty("content").GetProperty("content_id").GetString()));

        var reply = OrderReplies.AnnexII(executed.Order, orders.Clock(executed.Order), Clock.GetUtcNow());
        Assert.Equal(("FR-2026-0042", t, "removed", removedAt, true), (reply.OrderReference, reply.ReceivedAt, reply.Action, reply.ActedAt!.Value, reply.DeadlineMet!.Value));
        Assert.Equal(t.AddMinutes(-3), reply.IssuedAt);
        Assert.Equal([new ReplyItem("post-7", "removed", removedAt), new ReplyItem("https://elsewhere.test/gone", "not_found", null)], reply.Items);

        var preservation = (await Store.Compliance.GetPreservationAsync(item.Id, None))!;
        Assert.Equal(("removal_order", "FR-2026-0042", removedAt.AddMonths(6)), (preservation.Basis, preservation.Reference, preservation.PreserveUntil));

        var audit = (await Store.Audit.ListAsync(20, null, None)).Select(a => a.Action).ToList();
        Assert.Equal(["removal_order.executed", "preservation.started", "case.decided", "case.opened", "removal_order.logged"], audit.Take(5));
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

    [Fact]
    public async Task A_statement_on_an_order_names_it_and_stays_withheld_from_the_uploader_while_the_authority_says_so()
    {
        await new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8"))
            .RegisterAsync("http://127.0.0.1:9/hook", [WebhookEvents.StatementOfReasonsCreated, WebhookEvents.ContentRemoved, WebhookEvents.DecisionCreated], "s3cret-s3cret-s3", "user:admin", None);
        await SubmitAsync("post-20", "the knitting circle meets on sunday"); // Vigil saw nothing wrong in it
        await SubmitAsync("post-21", "the knitting circle meets on monday");
        var t = Clock.GetUtcNow();
        var orders = Orders();
        var withheld = Order(t, "post-20") with { Details = Order(t, "post-20").Details with { Reference = "FR-2026-0050", DisclosureWithheldUntil = t.AddDays(42) } };
        var order = (await orders.LogAsync(withheld, None)).Order!;
        var open = (await orders.LogAsync(Order(t, "post-21"), None)).Order!;
        Assert.Equal(["terrorism.incitement"], (await Store.Cases.GetAsync(order.Targets[0].CaseId!.Value, None))!.Labels); // from the order's reasons

        // Executed by the compliance officer: the statement carries the order and is not announced; content.removed says why.
        Clock.Advance(TimeSpan.FromMinutes(10));
        await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None);
        var decision = Assert.Single(await Store.Cases.ListDecisionsAsync(order.Targets[0].CaseId!.Value, None));
        var stored = (await Store.Statements.GetByPuidAsync($"vigil-d{decision.Id}", None))!;
        var statement = StatementsOfReasons.Read(stored);
        Assert.Equal((DecisionSource.Order, "FR-2026-0050", t.AddDays(42)), (statement.Source, statement.OrderReference, statement.DisclosureWithheldUntil!.Value));
        Assert.Contains("removal order FR-2026-0050", statement.Facts, StringComparison.Ordinal);
        var wire = TransparencyDatabase.ToTransparency(statement);
        Assert.Equal(("SOURCE_TYPE_OTHER_NOTIFICATION", "Removal order FR-2026-0050 (Regulation (EU) 2021/784 Art 3)", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"), (wire.SourceType, wire.SourceIdentity, wire.Category));
        Assert.Equal(TransparencyDatabase.GroundIllegal, wire.DecisionGround);
        Assert.Empty(TransparencyValidator.Validate(wire));
        Assert.Equal((t.AddDays(42), (DateTimeOffset?)null), (stored.DiscloseAt!.Value, stored.DisclosedAt));
        var events = (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)).Select(d => d.Message).ToList();
        var removed = Assert.Single(events);
        Assert.Equal(WebhookEvents.ContentRemoved, removed.Event);
        Assert.Equal(t.AddDays(42), JsonDocument.Parse(removed.Payload).RootElement.GetProperty("disclosure_withheld_until").GetDateTimeOffset());
        var audit = Assert.Single(await Store.Audit.ListAsync(50, null, None), a => a.Action == "statement_of_reasons.withheld");
        Assert.Contains("FR-2026-0050", audit.DetailsJson, StringComparison.Ordinal);

        // The order without withholding, decided from the ordinary case page: the order's reference, announced at once,
        // and the order is executed by that decision.
        long caseId = open.Targets[0].CaseId!.Value;
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(caseId, "user:ann", TimeSpan.FromMinutes(10), None);
        var onCasePage = (await workflow.DecideAsync(new DecideCase(caseId, ReviewDecision.Remove, "as ordered", "user:ann", "policy-2"), None)).Decision!;
        var announced = StatementsOfReasons.Read((await Store.Statements.GetByPuidAsync($"vigil-d{onCasePage.Id}", None))!);
        Assert.Equal((DecisionSource.Order, "FR-2026-0042", (DateTimeOffset?)null), (announced.Source, announced.OrderReference, announced.DisclosureWithheldUntil));
        Assert.NotNull((await Store.Statements.GetByPuidAsync($"vigil-d{onCasePage.Id}", None))!.DisclosedAt);
        var executed = (await Store.Compliance.GetOrderAsync(open.Id, None))!;
        Assert.Equal((Clock.GetUtcNow(), "user:ann", Clock.GetUtcNow()), (executed.ExecutedAt!.Value, executed.ExecutedBy, executed.Targets[0].RemovedAt!.Value));
        Assert.Equal(("removal_order", "FR-2026-0042"), ((await Store.Compliance.GetPreservationAsync(executed.Targets[0].ContentId!.Value, None))!.Basis, (await Store.Compliance.GetPreservationAsync(executed.Targets[0].ContentId!.Value, None))!.Reference));
        Assert.Equal(
            [WebhookEvents.ContentRemoved, WebhookEvents.ContentRemoved, WebhookEvents.DecisionCreated, WebhookEvents.StatementOfReasonsCreated],
            (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)).Select(d => d.Message.Event).Order(StringComparer.Ordinal));

        // The withholding ends: the statement goes out then.
        Clock.Advance(TimeSpan.FromDays(42));
        Assert.Equal(1, await StatementsOfReasons.DiscloseDueAsync(Store, Clock, None));
        Assert.Equal(Clock.GetUtcNow(), (await Store.Statements.GetByPuidAsync($"vigil-d{decision.Id}", None))!.DisclosedAt);
    }

    [Fact]
    public async Task A_bad_order_is_refused_with_every_reason_and_nothing_is_stored()
    {
        var t = Clock.GetUtcNow();
        var good = Order(t.AddHours(1), " ");
        var bad = good with { Details = good.Details with { Reference = "", MemberState = "France", Reasons = ["opinion"] }, DocumentBytes = new byte[11] };
        var logged = await new RemovalOrders(Store, Clock, new ComplianceSettings { MaxOrderDocumentBytes = 10 }).LogAsync(bad, None);
        Assert.Null(logged.Order);
        Assert.Equal(["reference", "member_state", "received_at", "reasons", "locations", "document"], logged.Errors.Select(e => e.Split(':')[0]));
        Assert.Empty(await Store.Compliance.ListOrdersAsync(false, 10, None));
        Assert.Empty(await Store.Audit.ListAsync(10, null, None));
    }

    [Theory]
    [InlineData(ClockRestart.Remaining, 220)] // stopped at T+20 min, restarted at T+3 h: 40 minutes were left, T+3 h 40
    [InlineData(ClockRestart.FullPeriod, 240)] // the default: a whole hour from the restart, T+4 h
    public async Task A_stop_on_an_Annex_III_ground_moves_the_deadline_by_the_restart_rule(ClockRestart restart, int deadlineMinutes)
    {
        await SubmitAsync("post-8");
        var t = Clock.GetUtcNow();
        var orders = Orders(restart);
        var order = (await orders.LogAsync(Order(t, "post-8"), None)).Order!;

        Clock.Advance(TimeSpan.FromMinutes(20));
        Assert.Equal(OrderActionStatus.Invalid, (await orders.StopClockAsync(order.Id, ClockStopGround.InsufficientInformation, " ", "user:cleo", None)).Status);
        var stopped = await orders.StopClockAsync(order.Id, ClockStopGround.InsufficientInformation, "The URL is cut off; clarification asked.", "user:cleo", None);
        Assert.Equal(OrderActionStatus.Done, stopped.Status);
        Assert.Null(orders.Clock(stopped.Order!).Deadline);
        Assert.Equal(OrderActionStatus.WrongClockState, (await orders.StopClockAsync(order.Id, ClockStopGround.ForceMajeure, "again", "user:cleo", None)).Status);

        Clock.Advance(TimeSpan.FromMinutes(160)); // T+3h
        Assert.Empty(await orders.CheckClocksAsync(None)); // no warnings, no breach while stopped
        var resumed = await orders.ResumeClockAsync(order.Id, "user:cleo", None);
        Assert.Equal(t.AddMinutes(deadlineMinutes), orders.Clock(resumed.Order!).Deadline);
        Assert.Equal(OrderActionStatus.WrongClockState, (await orders.ResumeClockAsync(order.Id, "user:cleo", None)).Status);

        // Persisted: read back from the store.
        var stored = (await Store.Compliance.GetOrderAsync(order.Id, None))!;
        Assert.Equal(t.AddMinutes(deadlineMinutes), orders.Clock(stored).Deadline);

        var annexIII = OrderReplies.AnnexIII(stored, orders.Clock(stored), Clock.GetUtcNow());
        var ground = Assert.Single(annexIII.Grounds);
        Assert.Equal(("insufficient_information", "Art 3(8)", t.AddMinutes(20), t.AddHours(3)), (ground.Ground, ground.Article, ground.StoppedAt, ground.ResumedAt!.Value));
        Assert.Contains("clarification asked", ground.Explanation);

        var audit = (await Store.Audit.ListAsync(10, null, None)).Select(a => a.Action).ToList();
        Assert.Equal(["removal_order.clock_resumed", "removal_order.clock_stopped"], audit.Take(2));
    }

    [Fact]
    public async Task Warnings_come_at_30_and_50_minutes_once_and_a_breach_is_recorded_and_reported()
    {
        var hooks = new WebhookSubscriptions(Store, Clock, WebhookTargetPolicy.Parse("127.0.0.0/8"));
        await hooks.RegisterAsync("http://127.0.0.1:9/hook", [WebhookEvents.DeadlineApproaching, WebhookEvents.DeadlineBreached], "s3cret-s3cret-s3", "user:admin", None);
        await SubmitAsync("post-9");
        var t = Clock.GetUtcNow();
        var orders = Orders();
        var order = (await orders.LogAsync(Order(t, "post-9"), None)).Order!;

        Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Empty(await orders.CheckClocksAsync(None));
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal([TimeSpan.FromMinutes(30)], Assert.Single(await orders.CheckClocksAsync(None)).WarningsSent);
        Assert.Empty(await orders.CheckClocksAsync(None)); // once
        Clock.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal([TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(50)], Assert.Single(await orders.CheckClocksAsync(None)).WarningsSent);

        Clock.Advance(TimeSpan.FromMinutes(10)); // T+61 min
        var breached = Assert.Single(await orders.CheckClocksAsync(None));
        Assert.Equal(t.AddHours(1), breached.BreachedAt);
        Assert.Empty(await orders.CheckClocksAsync(None)); // recorded once

        var events = (await Store.Outbox.DueAsync(Clock.GetUtcNow(), 10, None)).Select(d => d.Message.Event).ToList();
        Assert.Equal(["removal_order.deadline_approaching", "removal_order.deadline_approaching", "removal_order.deadline_breached"], events);

        Clock.Advance(TimeSpan.FromMinutes(5));
        var executed = (await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None)).Order!;
        Assert.Equal(t.AddHours(1), executed.BreachedAt);
        var reply = OrderReplies.AnnexII(executed, orders.Clock(executed), Clock.GetUtcNow());
        Assert.Equal((false, t.AddMinutes(66)), (reply.DeadlineMet!.Value, reply.ActedAt!.Value));
        var audit = (await Store.Audit.ListAsync(20, null, None)).Select(a => a.Action).ToList();
        Assert.Contains("removal_order.deadline_breached", audit);
        Assert.Equal(2, audit.Count(a => a == "removal_order.deadline_approaching"));
    }

    [Fact]
    public async Task An_order_executed_late_without_the_job_is_still_recorded_as_breached()
    {
        await SubmitAsync("post-10");
        var t = Clock.GetUtcNow();
        var orders = Orders();
        var order = (await orders.LogAsync(Order(t, "post-10"), None)).Order!;
        Clock.Advance(TimeSpan.FromMinutes(75));
        Assert.Equal(t.AddHours(1), (await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None)).Order!.BreachedAt);
    }

    [Fact]
    public async Task Automatic_execution_removes_at_once_and_two_orders_in_12_months_make_the_platform_exposed()
    {
        var item = (await SubmitAsync("post-11")).Content;
        var orders = Orders(automatic: true);
        Assert.Equal((0, false), await orders.ExposureAsync(None));
        var order = (await orders.LogAsync(Order(Clock.GetUtcNow(), "https://example.test/post-11"), None)).Order!;
        Assert.Equal((Clock.GetUtcNow(), RemovalOrders.SystemActor), (order.ExecutedAt!.Value, order.ExecutedBy));
        Assert.Equal(item.Id, order.Targets[0].ContentId);
        Assert.Equal((1, false), await orders.ExposureAsync(None));

        Clock.Advance(TimeSpan.FromDays(200));
        await orders.LogAsync(Order(Clock.GetUtcNow(), "post-404"), None);
        Assert.Equal((2, true), await orders.ExposureAsync(None));
        Clock.Advance(TimeSpan.FromDays(200));
        Assert.Equal((1, false), await orders.ExposureAsync(None));
    }

    [Fact]
    public async Task Preservation_ends_at_six_months_and_deletion_happens_then_not_earlier_and_a_hold_is_honoured()
    {
        var settings = new ComplianceSettings { KeptUpRetention = TimeSpan.FromDays(365 * 5) };
        var removed = (await SubmitAsync("post-12")).Content;
        var held = (await SubmitAsync("post-13")).Content;
        var orders = new RemovalOrders(Store, Clock, settings);
        var t = Clock.GetUtcNow();
        var order = (await orders.LogAsync(Order(t, "post-12", "post-13"), None)).Order!;
        await orders.ExecuteAsync(order.Id, "user:cleo", "policy-2", None);
        var preservations = new Preservations(Store, Clock);
        var retention = new Retention(Store, Clock, settings);

        Assert.Equal(HoldStatus.NotPreserved, (await preservations.HoldAsync(999, "x", t.AddYears(1), "user:cleo", None)).Status);
        Assert.Equal(HoldStatus.Invalid, (await preservations.HoldAsync(held.Id, "x", t, "user:cleo", None)).Status);
        var hold = (await preservations.HoldAsync(held.Id, "Europol request 2026/17", t.AddMonths(8), "user:cleo", None)).Hold!;

        Clock.Advance(t.AddMonths(6) - t - TimeSpan.FromMinutes(1)); // one minute before the six months end
        Assert.Empty((await retention.RunAsync(dryRun: false, "system:retention", None)).Items);
        Assert.Equal("new release from amaq, share it", (await Store.Content.GetAsync(removed.Id, None))!.Text);

        Clock.Advance(TimeSpan.FromMinutes(1)); // six months after removal
        var dry = await retention.RunAsync(dryRun: true, "system:retention", None);
        Assert.Equal([new RetentionItem(removed.Id, Retention.PreservationEnded, t.AddMonths(6))], dry.Items);
        Assert.NotNull((await Store.Content.GetAsync(removed.Id, None))!.Text); // a dry run deletes nothing

        var run = await retention.RunAsync(dryRun: false, "system:retention", None);
        Assert.Equal(dry.Items, run.Items);
        var purged = (await Store.Content.GetAsync(removed.Id, None))!;
        Assert.Null(purged.Text);
        Assert.Equal(removed.Result.Verdict.Labels, purged.Result.Verdict.Labels); // the result stays
        Assert.Single(await Store.Cases.ListDecisionsAsync(order.Targets[0].CaseId!.Value, None)); // the decision stays
        Assert.NotNull((await Store.Content.GetAsync(held.Id, None))!.Text); // the hold keeps it
        Assert.Empty((await retention.RunAsync(dryRun: false, "system:retention", None)).Items); // idempotent

        Assert.Equal(HoldStatus.Done, await preservations.ExtendAsync(held.Id, hold.Id, t.AddMonths(10), "user:cleo", None));
        Clock.Advance(t.AddMonths(8) - Clock.GetUtcNow());
        Assert.Empty((await retention.RunAsync(dryRun: false, "system:retention", None)).Items); // the extension honoured
        Clock.Advance(TimeSpan.FromDays(10));
        Assert.Equal(HoldStatus.Done, await preservations.ReleaseAsync(held.Id, hold.Id, "user:cleo", None));
        Assert.Equal(HoldStatus.Released, await preservations.ReleaseAsync(held.Id, hold.Id, "user:cleo", None));
        Assert.Equal([held.Id], (await retention.RunAsync(dryRun: false, "system:retention", None)).Items.Select(i => i.ContentId));
        Assert.Null((await Store.Content.GetAsync(held.Id, None))!.Text);
        Assert.Equal(HoldStatus.Purged, (await preservations.HoldAsync(held.Id, "too late", Clock.GetUtcNow().AddDays(1), "user:cleo", None)).Status);

        var audit = (await Store.Audit.ListAsync(50, null, None)).Select(a => a.Action).ToList();
        Assert.Equal(2, audit.Count(a => a == "content.purged"));
        Assert.Contains("preservation.hold_added", audit);
        Assert.Contains("preservation.hold_extended", audit);
        Assert.Contains("preservation.hold_released", audit);
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

    [Fact]
    public async Task Content_kept_up_or_never_flagged_goes_after_its_retention_but_not_while_its_case_is_open()
    {
        var settings = new ComplianceSettings { KeptUpRetention = TimeSpan.FromDays(90) };
        var clear = (await SubmitAsync("post-20", "the gardening club meets on tuesday")).Content;
        var flagged = await SubmitAsync("post-21");
        var retention = new Retention(Store, Clock, settings);

        Clock.Advance(TimeSpan.FromDays(90));
        Assert.Empty((await retention.RunAsync(dryRun: false, "system:retention", None)).Items); // not older than 90 days yet
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal([new RetentionItem(clear.Id, Retention.KeptUp, clear.ReceivedAt.AddDays(90))], (await retention.RunAsync(false, "system:retention", None)).Items);

        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(flagged.Case!.Id, "user:ann", TimeSpan.FromMinutes(5), None);
        await workflow.DecideAsync(new DecideCase(flagged.Case.Id, ReviewDecision.KeepUp, "satire", "user:ann", "policy-2"), None);
        Assert.Equal([flagged.Content.Id], (await retention.RunAsync(false, "system:retention", None)).Items.Select(i => i.ContentId));
    }

    [Fact]
    public async Task A_moderators_removal_is_preserved_for_six_months_too()
    {
        var submitted = await SubmitAsync("post-30");
        var workflow = new CaseWorkflow(Store, Clock);
        await workflow.ClaimAsync(submitted.Case!.Id, "user:ann", TimeSpan.FromMinutes(5), None);
        var decided = await workflow.DecideAsync(new DecideCase(submitted.Case.Id, ReviewDecision.Remove, "propaganda", "user:ann", "policy-2"), None);
        var preservation = (await Store.Compliance.GetPreservationAsync(submitted.Content.Id, None))!;
        Assert.Equal(("decision", decided.Decision!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Clock.GetUtcNow().AddMonths(6)), (preservation.Basis, preservation.Reference, preservation.PreserveUntil));
    }

    [Fact]
    public void Warning_points_are_a_documented_setting()
    {
        Assert.Equal([TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(50)], new ComplianceSettings().WarningPoints());
        Assert.Equal([TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(45)], new ComplianceSettings { WarnAtMinutes = "45, 15" }.WarningPoints());
        Assert.Throws<FormatException>(() => new ComplianceSettings { WarnAtMinutes = "30,75" }.WarningPoints());
    }
}
