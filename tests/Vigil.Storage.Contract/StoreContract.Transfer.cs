using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Compliance;
using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;
using Vigil.Storage.Policies;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;
using Vigil.Storage.Webhooks;

namespace Vigil.Storage.Contract;

public abstract partial class StoreContract
{
    /// <summary>Two chained audit entries, as another store would have them.</summary>
    private IReadOnlyList<AuditEntry> ForeignAudit()
    {
        var at = Clock.GetUtcNow().AddDays(-1);
        string first = AuditChain.Hash(1, at.ToUnixTimeMilliseconds(), "cli", "user.created", "user:ann", "{}", AuditChain.Genesis);
        string second = AuditChain.Hash(2, at.ToUnixTimeMilliseconds() + 5, "user:ann", "case.decided", "case:5", """{"reason":"x"}""", first);
        return
        [
            new AuditEntry(1, at, "cli", "user.created", "user:ann", "{}", AuditChain.Genesis, first),
            new AuditEntry(2, at.AddMilliseconds(5), "user:ann", "case.decided", "case:5", """{"reason":"x"}""", first, second),
        ];
    }

    /// <summary>A user's security state as another store had it (the TOTP secret sealed by that deployment's key).</summary>
    private UserSecurity Security => new("stamp-1", true, "vigil-sealed:v1:c2VhbGVk", Clock.GetUtcNow().AddDays(-2), ["h1", "h2"]);

    /// <summary>One row of each compliance table and a session, as another store had them.</summary>
    private (ExportedContent Purged, UserSession Session, ExportedRemovalOrder Order, ExportedPreservation Preservation, PreservationHold Hold,
        StoredStatement Statement, Notice Notice, Complaint Complaint) ForeignCompliance()
    {
        var now = Clock.GetUtcNow();
        var content = Content("purged");
        var purged = new ContentItem(
            8, content.PlatformContentId, content.AuthorId, content.Url, null, null,
            [new StoredPart("image", "image", "image/png", new string('e', 64), 1234, null, "gone.png")], now.AddDays(-40), content.SubmittedBy, content.Result);
        var order = new RemovalOrder(
            11,
            new OrderDetails("FR-2026-9", "FR", "OCLCTIC", "contact@example.test", now.AddDays(-2), now.AddDays(-2).AddMinutes(1), ["incitement"], now.AddDays(40)),
            [new OrderTarget("post-1", 7, 5, now.AddDays(-2).AddMinutes(50)), new OrderTarget("https://example.test/unknown", null)],
            new OrderDocument("application/pdf", new string('0', 64), 5, "order.pdf"),
            "user:cleo",
            now.AddDays(-2).AddMinutes(2),
            [new ClockStop(ClockStopGround.InsufficientInformation, "cut off", now.AddDays(-2).AddMinutes(10), now.AddDays(-2).AddMinutes(30))],
            [TimeSpan.FromMinutes(30)],
            now.AddDays(-2).AddMinutes(50),
            "user:cleo",
            null);
        return (
            new ExportedContent(purged, [], now.AddDays(-1)),
            new UserSession("0123abcd", "Ann", now.AddHours(-3), now.AddHours(5), "192.0.2.1", "password", now.AddHours(-1)),
            new ExportedRemovalOrder(order, "%PDF-"u8.ToArray()),
            new ExportedPreservation(new NewPreservation(8, "removal_order", "FR-2026-9", now.AddDays(-2), now.AddMonths(6)), now.AddDays(-1)),
            new PreservationHold(6, 8, "authority request", now.AddMonths(9), "user:cleo", now.AddDays(-1), "user:cleo", now.AddHours(-2)),
            new StoredStatement(13, "puid-13", 3, 7, """{"decision":"removed"}""", now.AddHours(-1), now.AddMinutes(-50), now.AddMinutes(-40), "rejected", now.AddMinutes(-30), "field missing"),
            new Notice(17, 7, 5, "https://example.test/p/1", "It supports a proscribed group.", "terrorism.support", "N. O.", "n@example.org", true, false, now.AddHours(-3), "key:1", 3, now.AddHours(-1)),
            new Complaint(19, 3, 7, 5, "uploader", "It was news.", "user:ann", now.AddMinutes(-30), now.AddDays(14), "key:1", "upheld", "user:bo", now.AddMinutes(-10)));
    }

    /// <summary>Imports one row of each kind, with ids another store gave them; returns what each import call said.</summary>
    private async Task<bool[]> ImportOneOfEachAsync()
    {
        var now = Clock.GetUtcNow();
        var compliance = ForeignCompliance();
        var content = Content("copied", parts: [new NewPart("image", "image", "image/png", new string('d', 64), new byte[] { 4, 5 }, Name: "upload")]);
        var item = new ContentItem(
            7, content.PlatformContentId, content.AuthorId, content.Url, content.MetadataJson, content.Text,
            [new StoredPart("image", "image", "image/png", new string('d', 64), 2, null, "upload")], now.AddHours(-2), content.SubmittedBy, content.Result);
        var reviewCase = new ReviewCase(
            5, 7, "default", 60, CaseState.Open, VerdictKind.Review, ModerationAction.Review, ["terrorism.propaganda"], "en", false, "policy-1",
            now.AddHours(-2), "user:ann", now.AddMinutes(5), null);
        var decision = new Decision(3, 5, 7, ReviewDecision.Escalate, "senior", "user:ann", now.AddHours(-1), "policy-1");
        var hook = new Webhook(4, new Uri("http://127.0.0.1:9/hook"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", now.AddDays(-3));
        var message = new OutboxMessage(9, 4, "decision.created", """{"n":1}""", now.AddHours(-1), 3, now.AddMinutes(1), null, true, 500, "server error");
        var entries = new[] { new BankEntry("pdq", Pdq1, AddedAt: now.AddDays(-2)), new BankEntry("md5", Md5, AddedAt: now.AddDays(-1)) };

        await using var unit = await Store.BeginAsync(None);
        var import = unit.Import;
        bool[] said =
        [
            await import.ContentAsync(new ExportedContent(item, content.Parts), None),
            await import.CaseAsync(reviewCase, None),
            await import.DecisionAsync(decision, None),
            await import.UserAsync(new ExportedUser(new User("Ann", "Ann", Role.Moderator, now.AddDays(-9), true), "hash-1", now.AddDays(-1), Security), None),
            await import.ExposureAsync(new ExportedExposure("Ann", new DateOnly(2026, 2, 28), 5, now.AddDays(-1)), None),
            await import.ApiKeyAsync(new ExportedApiKey(new ApiKey("0123456789ab", "platform", ApiScopes.Ingest, "cli:test", now.AddDays(-9), now.AddDays(-1)), "secret-hash"), None),
            await import.WebhookAsync(new ExportedWebhook(hook, now.AddHours(-1)), None),
            await import.OutboxAsync(message, None),
            await import.PolicyAsync(new ExportedPolicy(2, new PolicyRecord("v1", new string('1', 64), now.AddDays(-9)), """{"version":"v1"}"""), None),
            await unit.Banks.InsertAsync(Bank("Imported"), None),
            await import.BankEntriesAsync("imported", entries, None) == 2,
            await import.ContentAsync(compliance.Purged, None),
            await import.SessionAsync(compliance.Session, None),
            await import.RemovalOrderAsync(compliance.Order, None),
            await import.PreservationAsync(compliance.Preservation, None),
            await import.PreservationHoldAsync(compliance.Hold, None),
            await import.StatementAsync(compliance.Statement, None),
            await import.NoticeAsync(compliance.Notice, None),
            await import.ComplaintAsync(compliance.Complaint, None),
        ];
        await unit.CommitAsync(None);
        return said;
    }

    [Fact]
    public async Task An_import_keeps_ids_times_and_hashes_and_a_second_one_changes_nothing()
    {
        Assert.All(await ImportOneOfEachAsync(), Assert.True);
        foreach (var entry in ForeignAudit())
        {
            await WriteAsync(async unit =>
            {
                await unit.Import.AuditAsync(entry, None);
                return 0;
            });
        }

        var counts = await Store.Export.CountAsync(None);
        Assert.Equal(new StoreCounts(2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1), counts);

        await Store.DisposeAsync();
        Store = await ReopenStoreAsync(Clock);
        var item = (await Store.Content.GetAsync(7, None))!;
        Assert.Equal(("copied", Clock.GetUtcNow().AddHours(-2), "tvec"), (item.Text, item.ReceivedAt, item.Result.Signals[1].Bank));
        Assert.Equal(new byte[] { 4, 5 }, (await Store.Content.GetPartAsync(7, "image", None))!.Value.Bytes);
        var reviewCase = (await Store.Cases.GetAsync(5, None))!;
        Assert.Equal((7L, "user:ann", Clock.GetUtcNow().AddMinutes(5), 60), (reviewCase.ContentId, reviewCase.ClaimedBy, reviewCase.LeaseExpiresAt, reviewCase.Priority));
        Assert.Equal((3L, "senior"), (Assert.Single(await Store.Cases.ListDecisionsAsync(5, None)).Id, (await Store.Cases.ListDecisionsAsync(5, None))[0].Reason));
        Assert.True((await Store.Users.GetAsync("ann", None))!.Disabled);
        Assert.Equal(1, await Store.Users.CountExposureAsync("ann", new DateOnly(2026, 2, 28), None));
        Assert.Null(await Store.ApiKeys.GetLiveAsync("0123456789ab", None));
        Assert.Null(await Store.Webhooks.GetAsync(4, None)); // deleted
        var delivery = Assert.Single(await Store.Webhooks.ListDeliveriesAsync(4, 10, None));
        Assert.Equal((9L, 3, true, "server error"), (delivery.Id, delivery.Attempts, delivery.Dead, delivery.LastError));
        Assert.Equal("v1", (await Store.Policies.CurrentAsync(None))!.Version);
        Assert.Equal(
            [(Pdq1, Clock.GetUtcNow().AddDays(-2)), (Md5, Clock.GetUtcNow().AddDays(-1))],
            (await Store.Banks.GetEntriesAsync("imported", None).ToListAsync()).Select(e => (e.Value, e.AddedAt)));
        Assert.Equal(ForeignAudit(), await Store.Audit.ReadAllAsync(None).ToListAsync());

        // The export gives back what was imported, disabled, revoked and deleted rows too.
        var exportedUser = Assert.Single(await Store.Export.UsersAsync(None).ToListAsync());
        Assert.Equal(("Ann", "hash-1", Clock.GetUtcNow().AddDays(-1)), (exportedUser.User.Username, exportedUser.PasswordHash, exportedUser.DisabledAt));
        Assert.Equal("secret-hash", Assert.Single(await Store.Export.ApiKeysAsync(None).ToListAsync()).SecretHash);
        Assert.Equal(Clock.GetUtcNow().AddHours(-1), Assert.Single(await Store.Export.WebhooksAsync(None).ToListAsync()).DeletedAt);
        Assert.Equal(delivery, Assert.Single(await Store.Export.OutboxAsync(None).ToListAsync()));
        Assert.Equal(reviewCase, Assert.Single(await Store.Export.CasesAsync(None).ToListAsync()) with { Labels = reviewCase.Labels });
        Assert.Equal(3L, Assert.Single(await Store.Export.DecisionsAsync(None).ToListAsync()).Id);
        Assert.Equal((2L, """{"version":"v1"}"""), Assert.Single(await Store.Export.PoliciesAsync(None).ToListAsync()) is var p ? (p.Id, p.Json) : default);
        Assert.Equal(new DateOnly(2026, 2, 28), Assert.Single(await Store.Export.ExposureAsync(None).ToListAsync()).Day);
        var exportedContent = await Store.Export.ContentAsync(None).ToListAsync();
        var exported = exportedContent[0];
        Assert.Equal((7L, "upload", (DateTimeOffset?)null), (exported.Item.Id, exported.Item.Parts[0].Name, exported.PurgedAt));
        Assert.Equal(new byte[] { 4, 5 }, exported.Parts[0].Bytes.ToArray());
        Assert.Equal(
            (Security.Stamp, Security.MustChangePassword, Security.TotpSecret, Security.TotpEnabledAt),
            (exportedUser.Security.Stamp, exportedUser.Security.MustChangePassword, exportedUser.Security.TotpSecret, exportedUser.Security.TotpEnabledAt));
        Assert.Equal(Security.RecoveryCodeHashes, exportedUser.Security.RecoveryCodeHashes);

        // The compliance rows and the session, field for field; the purged item without bytes, its parts described.
        var compliance = ForeignCompliance();
        var purged = exportedContent[1];
        Assert.Equal((8L, Clock.GetUtcNow().AddDays(-1), 0), (purged.Item.Id, purged.PurgedAt, purged.Parts.Count));
        Assert.Equal(Json(compliance.Purged.Item.Parts), Json(purged.Item.Parts));
        Assert.Equal((1234L, 0), (await Store.Content.GetPartAsync(8, "image", None)) is ({ } part, var bytes) ? (part.Length, bytes.Length) : default);
        Assert.Equal(Clock.GetUtcNow().AddDays(-1), await Store.Compliance.GetPurgedAtAsync(8, None));
        Assert.Equal(compliance.Session, Assert.Single(await Store.Export.SessionsAsync(None).ToListAsync()));
        Assert.Equal(Json(compliance.Order), Json(Assert.Single(await Store.Export.RemovalOrdersAsync(None).ToListAsync())));
        Assert.Equal(Json(compliance.Order.Order), Json((await Store.Compliance.GetOrderAsync(11, None))!));
        Assert.Equal(compliance.Preservation, Assert.Single(await Store.Export.PreservationsAsync(None).ToListAsync()));
        Assert.Equal(compliance.Hold, Assert.Single(await Store.Export.PreservationHoldsAsync(None).ToListAsync()));
        Assert.Equal(compliance.Statement, Assert.Single(await Store.Export.StatementsAsync(None).ToListAsync()));
        Assert.Equal(compliance.Notice, Assert.Single(await Store.Export.NoticesAsync(None).ToListAsync()));
        Assert.Equal(compliance.Complaint, Assert.Single(await Store.Export.ComplaintsAsync(None).ToListAsync()));
        Assert.Equal(compliance.Statement, await Store.Statements.GetByPuidAsync("puid-13", None));

        // Again: every row is there already, nothing changes.
        Assert.All(await ImportOneOfEachAsync(), Assert.False);
        Assert.Equal(counts, await Store.Export.CountAsync(None));

        // What the store assigns next follows the imported ids, and new audit entries chain onto the imported ones.
        var opened = await OpenCaseAsync();
        Assert.True(opened.ContentId > 8 && opened.Id > 5);
        Assert.True(await WriteAsync(unit => unit.Compliance.InsertHoldAsync(new PreservationHold(0, 8, "more", Clock.GetUtcNow(), "user:cleo", Clock.GetUtcNow()), None)) is { Id: > 6 });
        Assert.True((await WriteAsync(unit => unit.Statements.InsertAsync(new NewStatement("puid-new", null, 8, "{}", Clock.GetUtcNow(), null), None))).Id > 13);
        Assert.True((await WriteAsync(unit => unit.Notices.InsertNoticeAsync(
            new NewNotice(8, null, "post-1", "x", null, null, null, true, false, Clock.GetUtcNow(), "key:1"), None))).Id > 17);
        Assert.True((await WriteAsync(unit => unit.Notices.InsertComplaintAsync(
            new NewComplaint(3, 7, 5, "uploader", "x", "user:ann", Clock.GetUtcNow(), null, "key:1"), None))).Id > 19);
        Assert.True((await WriteAsync(unit => unit.Compliance.InsertOrderAsync(
            new NewRemovalOrder(compliance.Order.Order.Details, [], null, default, "user:cleo", Clock.GetUtcNow()), None))).Id > 11);
        Assert.True((await WriteAsync(unit => unit.Webhooks.InsertAsync(new Uri("http://127.0.0.1:9/h2"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", Clock.GetUtcNow(), None))).Id > 4);
        Assert.True(await WriteAsync(unit => unit.Outbox.EnqueueAsync(4, "decision.created", "{}", Clock.GetUtcNow(), None)) > 9);
        var appended = await new AuditTrail(Store, Clock).RecordAsync(new AuditRecord("test", "after.import", "thing:1"), None);
        Assert.Equal((3L, ForeignAudit()[1].Hash), (appended.Seq, appended.PrevHash));
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

    private static string Json<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value);

    [Fact]
    public async Task An_imported_audit_entry_must_continue_the_chain()
    {
        var entries = ForeignAudit();
        Task Import(AuditEntry entry) => WriteAsync(async unit =>
        {
            await unit.Import.AuditAsync(entry, None);
            return 0;
        });

        await Assert.ThrowsAsync<InvalidDataException>(() => Import(entries[1])); // not the first
        await Import(entries[0]);
        await Assert.ThrowsAsync<InvalidDataException>(() => Import(entries[0])); // already there
        await Assert.ThrowsAsync<InvalidDataException>(() => Import(entries[1] with { DetailsJson = """{"reason":"changed"}""" }));
        await Assert.ThrowsAsync<InvalidDataException>(() => Import(entries[1] with { PrevHash = new string('f', 64) }));
        await Import(entries[1]);
        Assert.Equal(entries, await Store.Audit.ReadAllAsync(None).ToListAsync());
    }
}
