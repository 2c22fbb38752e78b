using System.Text.Json;
using System.Text.Json.Nodes;
using OtpNet;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Compliance;
using Vigil.Moderation;
using Vigil.Moderation.Access;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Policies;
using Vigil.Moderation.Secrets;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;

namespace Vigil.Storage.Contract;

/// <summary>
/// A deployment that has been used, written by the use cases (and repositories where no use case writes a row as a
/// deployment would have it), for the tests of copying a store (<c>vigil migrate</c>): every table gets rows and every
/// column a value other than its default.
/// </summary>
public sealed class UsedDeployment(ManualClock clock)
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>The key that seals the TOTP secrets of the deployment.</summary>
    public static SecretBox Secrets { get; } = SecretBox.FromKeyText(new string('5', 64), "the test key");

    public static SessionSettings SessionSettings { get; } = new();

    private ManualClock Clock => clock;

    /// <summary>A deployment that has been used: a bit of everything, written by the use cases.</summary>
    public async Task UseAsync(IVigilStore store, string suffix)
    {
        await new UserAccounts(store, Clock).AddAsync($"ann{suffix}", "Ann", Role.Moderator, "a-long-enough-password", "cli", None);
        var (key, _) = await new ApiKeys(store, Clock).CreateAsync($"platform{suffix}", ApiScopes.Ingest | ApiScopes.Review, "cli", None);
        await new ApiKeys(store, Clock).CreateAsync($"old{suffix}", ApiScopes.Ingest, "cli", None);
        await new ApiKeys(store, Clock).RevokeAsync(key.Id, "cli", None);
        await new WebhookSubscriptions(store, Clock).RegisterAsync("https://platform.example/hook", ["decision.created"], null, "user:admin", None);
        await new PolicyHistory(store, Clock).RecordAsync($"policy{suffix}", "{}", "system", None);
        var banks = new HashBanks(store, VigilSignalTypes.Default, Clock);
        await banks.CreateAsync(new HashBank($"tvec{suffix}"), "cli", None);
        await banks.UpsertEntriesAsync($"tvec{suffix}", [new BankEntry("md5", new string('a', 31) + suffix.Length), new BankEntry("sha256", new string('b', 64))], "cli", None);

        var workflow = new CaseWorkflow(store, Clock);
        for (int i = 0; i < 3; i++)
        {
            Clock.Advance(TimeSpan.FromMinutes(1));
            var part = new NewPart("image", "image", "image/png", new string('c', 64), new byte[] { 1, 2, (byte)i });
            var opened = await WriteAsync(store, async unit =>
            {
                var item = await unit.Content.InsertAsync(TestContent.Item($"post {i}{suffix}", parts: [part]), Clock.GetUtcNow(), None);
                var opened = await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, Clock.GetUtcNow()), None);
                await unit.Audit.AppendAsync(new AuditRecord("key:test", "case.opened", $"case:{opened.Id}"), Clock.GetUtcNow(), None);
                return opened;
            });
            await workflow.ClaimAsync(opened.Id, "user:ann", TimeSpan.FromMinutes(10), None);
            await new UserAccounts(store, Clock).RecordExposureAsync("ann", opened.Id, None);
            if (i < 2)
            {
                await workflow.DecideAsync(new DecideCase(opened.Id, i == 0 ? ReviewDecision.Remove : ReviewDecision.Escalate, "reason", "user:ann", "policy-1"), None);
            }
        }
    }

    /// <summary>What a deployment that has been used holds besides <see cref="UseAsync"/>'s: sign-in sessions,
    /// two-factor, password resets, removal orders, preservation and purging, statements, notices, complaints, and a
    /// value other than its default in every column (so that the guard below sees each column copied).</summary>
    public async Task<(string LiveSession, string Stamp, string EndedSession)> UseComplianceAsync(IVigilStore store, string suffix)
    {
        var now = Clock.GetUtcNow();
        var cache = new SessionCache(SessionSettings, Clock);
        var lifecycle = new UserLifecycle(store, cache, Clock);
        var accounts = new UserAccounts(store, Clock);

        // Users: two-factor on (sealed secret, hashed recovery codes), a password reset, a disabled user, sessions.
        var twoFactor = new TwoFactor(store, cache, Clock, Secrets);
        var enrolment = (await twoFactor.BeginAsync($"ann{suffix}", None))!;
        Assert.NotNull(await twoFactor.ConfirmAsync($"ann{suffix}", new Totp(Base32Encoding.ToBytes(enrolment.Secret)).ComputeTotp(now.UtcDateTime), None));
        await accounts.AddAsync($"bea{suffix}", null, Role.Compliance, "a-long-enough-password", "cli", None);
        Assert.Equal(UserChangeStatus.Changed, (await lifecycle.ResetPasswordAsync($"bea{suffix}", "cli", None)).Status);
        await accounts.AddAsync($"cid{suffix}", "Cid", Role.Analyst, "a-long-enough-password", "cli", None);
        Assert.Equal(UserChangeStatus.Changed, await lifecycle.DisableAsync($"cid{suffix}", "cli", None));
        var ann = (await store.Users.GetAsync($"ann{suffix}", None))!;
        var sessions = new Sessions(store, cache, SessionSettings, Clock);
        var (live, stamp) = await sessions.StartAsync(ann, "192.0.2.7", "password", None);
        var (ended, _) = await sessions.StartAsync(ann, "192.0.2.8", "oidc", None);
        await sessions.EndAsync(ended.Id, None);

        // Banks with every setting, entries with every field.
        var banks = new HashBanks(store, VigilSignalTypes.Default, Clock);
        await banks.CreateAsync(
            new HashBank($"allow{suffix}", Enabled: false, AllowList: true, Description: "known good")
            {
                Settings = BankSettings.None.With("pdq", new JsonObject { ["threshold"] = 10 }),
            },
            "cli",
            None);
        await banks.UpdateAsync($"tvec{suffix}", b => b with { Description = "known TVEC", OnMatch = ModerationAction.Remove }, "cli", None);
        await banks.UpsertEntriesAsync(
            $"allow{suffix}",
            [
                new BankEntry(
                    "md5", new string('e', 31) + suffix.Length, new BankLabels("org", "ideology", "terrorism.propaganda", ["t1", "t2"]), "gifct", "ext-1",
                    BankOpinion.FalsePositive, 0.75, "image", now.AddDays(-30), now.AddDays(-3)),
            ],
            "cli",
            None);

        // Content: one with every optional column (a rule, an idempotency key), one queued and not assessed yet, one
        // threat-to-life case; a failed delivery.
        var (item, opened, appealCase) = await WriteAsync(store, async unit =>
        {
            var sample = TestContent.Item($"detailed{suffix}", parts: [new NewPart("image", "image", "image/png", new string('f', 64), new byte[] { 9, 8, 7 }, "root", "photo.png")]);
            var item = await unit.Content.InsertAsync(
                sample with { IdempotencyKey = $"idem{suffix}", Result = sample.Result! with { Rule = "remove-propaganda" } }, Clock.GetUtcNow(), None);
            await unit.Content.InsertAsync(TestContent.Item($"queued{suffix}") with { Result = null, IdempotencyKey = $"queued{suffix}" }, Clock.GetUtcNow(), None);
            var opened = await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, Clock.GetUtcNow(), "urgent", 90, threat: true), None);
            var appeal = await unit.Cases.InsertAsync(TestContent.CaseFor(item.Id, Clock.GetUtcNow(), "appeals"), None);
            return (item, opened, appeal);
        });
        var workflow = new CaseWorkflow(store, Clock);
        await workflow.ClaimAsync(opened.Id, $"user:ann{suffix}", TimeSpan.FromMinutes(10), None);
        await workflow.DecideAsync(new DecideCase(opened.Id, ReviewDecision.Remove, "propaganda", $"user:ann{suffix}", "policy-1"), None);
        var decision = Assert.Single(await store.Cases.ListDecisionsAsync(opened.Id, None));

        // Webhooks: one deleted; deliveries sent, given up and to be retried.
        var subscriptions = new WebhookSubscriptions(store, Clock);
        var (gone, _) = await subscriptions.RegisterAsync("https://platform.example/old", ["decision.created"], null, "user:admin", None);
        await subscriptions.DeleteAsync(gone.Id, "user:admin", None);
        var due = await store.Outbox.DueAsync(Clock.GetUtcNow().AddDays(1), 10, None);
        await store.Outbox.MarkDeliveredAsync(due[0].Message.Id, 200, Clock.GetUtcNow(), None);
        await store.Outbox.MarkFailedAsync(due[1].Message.Id, 410, "gone", null, None);
        await store.Outbox.MarkFailedAsync(due[2].Message.Id, 503, "unavailable", Clock.GetUtcNow().AddMinutes(5), None);

        // A removal order with a document, a clock stop that resumed, a warning, executed; another still open, stopped.
        byte[] pdf = "%PDF-1.4 order"u8.ToArray();
        await WriteAsync(store, async unit =>
        {
            var order = await unit.Compliance.InsertOrderAsync(
                new NewRemovalOrder(
                    new OrderDetails($"FR-2026-{suffix}1", "FR", "OCLCTIC", "contact@example.test", now.AddMinutes(-5), now, ["incitement", "glorification"], now.AddDays(42)),
                    [new OrderTarget("post-1", item.Id, appealCase.Id), new OrderTarget($"https://example.test/unknown{suffix}", null)],
                    new OrderDocument("application/pdf", new string('0', 64), pdf.Length, "order.pdf"),
                    pdf,
                    "user:bea",
                    now),
                None);
            await unit.Compliance.UpdateOrderAsync(
                RemovalOrderUpdate.Of(order) with
                {
                    Targets = [order.Targets[0] with { RemovedAt = now.AddMinutes(40) }, order.Targets[1]],
                    Stops = [new ClockStop(ClockStopGround.InsufficientInformation, "the URL is cut off", now.AddMinutes(10), now.AddMinutes(30))],
                    WarningsSent = [TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(45)],
                    ExecutedAt = now.AddMinutes(40),
                    ExecutedBy = "user:bea",
                    BreachedAt = now.AddMinutes(39),
                },
                None);
            var open = await unit.Compliance.InsertOrderAsync(
                new NewRemovalOrder(
                    new OrderDetails($"DE-2026-{suffix}2", "DE", "BKA", null, now.AddMinutes(-1), now, ["threat"], null), [new OrderTarget("post-2", null)], null, default, "user:bea", now),
                None);
            await unit.Compliance.UpdateOrderAsync(
                RemovalOrderUpdate.Of(open) with { Stops = [new ClockStop(ClockStopGround.ForceMajeure, "outage", now.AddMinutes(2))] }, None);

            // Preserved, held (one hold released), then purged.
            await unit.Compliance.InsertPreservationAsync(new NewPreservation(item.Id, "removal_order", order.Details.Reference, now.AddMinutes(40), now.AddMonths(6)), None);
            var hold = await unit.Compliance.InsertHoldAsync(new PreservationHold(0, item.Id, "authority request", now.AddMonths(9), "user:bea", now), None);
            await unit.Compliance.InsertHoldAsync(new PreservationHold(0, item.Id, "second request", now.AddMonths(12), "user:bea", now), None);
            await unit.Compliance.UpdateHoldAsync(hold with { ReleasedBy = "user:bea", ReleasedAt = now.AddMonths(1) }, None);
            await unit.Compliance.PurgeContentAsync(item.Id, now.AddMonths(12), None);

            // A statement disclosed and rejected by the Transparency Database; one withheld, not decided by a reviewer.
            await unit.Statements.InsertAsync(new NewStatement($"puid-{suffix}1", decision.Id, item.Id, """{"decision":"removed"}""", now, now.AddMinutes(1)), None);
            await unit.Statements.MarkDisclosedAsync((await unit.Statements.GetByPuidAsync($"puid-{suffix}1", None))!.Id, now.AddMinutes(2), None);
            await unit.Statements.RecordSubmissionAsync($"puid-{suffix}1", "rejected", now.AddMinutes(3), "field missing", None);
            await unit.Statements.InsertAsync(new NewStatement($"puid-{suffix}2", null, item.Id, """{"decision":"disabled"}""", now, now.AddDays(42)), None);

            // A notice answered by the decision; a complaint against it, decided.
            var notice = await unit.Notices.InsertNoticeAsync(
                new NewNotice(item.Id, appealCase.Id, "https://example.test/p/1", "It supports a proscribed group.", "terrorism.support", "N. O.", "n@example.org", true, true, now, "key:1"),
                None);
            await unit.Notices.MarkNoticeDecidedAsync(notice.Id, decision.Id, now.AddMinutes(5), None);
            await unit.Notices.InsertNoticeAsync(new NewNotice(item.Id, null, "post-1", "Not sure.", null, null, null, false, false, now, "key:1"), None);
            var complaint = await unit.Notices.InsertComplaintAsync(
                new NewComplaint(decision.Id, item.Id, appealCase.Id, "uploader", "It was news.", "user:ann", now, now.AddDays(14), "key:1"), None);
            await unit.Notices.DecideComplaintAsync(complaint.Id, "upheld", "user:bea", now.AddDays(1), None);
            return 0;
        });
        return (live.Id, stamp, ended.Id);
    }

    /// <summary>Asserts that the two stores export the same rows, field for field.</summary>
    public static async Task AssertSameExportsAsync(IVigilStore source, IVigilStore target)
    {
        async Task Same<T>(string kind, Func<IStoreExport, IAsyncEnumerable<T>> read)
        {
            string inSource = Json(await read(source.Export).ToListAsync());
            string inTarget = Json(await read(target.Export).ToListAsync());
            Assert.True(inSource == inTarget, $"{kind} differ:\n{inSource}\n{inTarget}");
        }

        await Same("content", e => e.ContentAsync(None));
        await Same("cases", e => e.CasesAsync(None));
        await Same("decisions", e => e.DecisionsAsync(None));
        await Same("users", e => e.UsersAsync(None));
        await Same("sessions", e => e.SessionsAsync(None));
        await Same("exposure", e => e.ExposureAsync(None));
        await Same("api keys", e => e.ApiKeysAsync(None));
        await Same("webhooks", e => e.WebhooksAsync(None));
        await Same("outbox", e => e.OutboxAsync(None));
        await Same("policies", e => e.PoliciesAsync(None));
        await Same("removal orders", e => e.RemovalOrdersAsync(None));
        await Same("preservations", e => e.PreservationsAsync(None));
        await Same("preservation holds", e => e.PreservationHoldsAsync(None));
        await Same("statements", e => e.StatementsAsync(None));
        await Same("notices", e => e.NoticesAsync(None));
        await Same("complaints", e => e.ComplaintsAsync(None));
    }

    /// <summary>Every field of what the export reads (an item's <c>Result</c> is its <c>Assessment</c>, which may be
    /// null: only the latter is written).</summary>
    private static readonly JsonSerializerOptions AllFields = new()
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(ContentItem) && info.Properties.FirstOrDefault(p => p.Name == nameof(ContentItem.Result)) is { } result)
                    {
                        info.Properties.Remove(result);
                    }
                },
            },
        },
    };

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, AllFields);

    private static async Task<T> WriteAsync<T>(IVigilStore store, Func<IUnitOfWork, Task<T>> work)
    {
        await using var unit = await store.BeginAsync(None);
        var result = await work(unit);
        await unit.CommitAsync(None);
        return result;
    }
}
