using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;
using Vigil.Storage.Cases;
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

    /// <summary>Imports one row of each kind, with ids another store gave them; returns what each import call said.</summary>
    private async Task<bool[]> ImportOneOfEachAsync()
    {
        var now = Clock.GetUtcNow();
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
            await import.UserAsync(new ExportedUser(new User("Ann", "Ann", Role.Moderator, now.AddDays(-9), true), "hash-1", now.AddDays(-1)), None),
            await import.ExposureAsync(new ExportedExposure("Ann", new DateOnly(2026, 2, 28), 5, now.AddDays(-1)), None),
            await import.ApiKeyAsync(new ExportedApiKey(new ApiKey("0123456789ab", "platform", ApiScopes.Ingest, "cli:test", now.AddDays(-9), now.AddDays(-1)), "secret-hash"), None),
            await import.WebhookAsync(new ExportedWebhook(hook, now.AddHours(-1)), None),
            await import.OutboxAsync(message, None),
            await import.PolicyAsync(new ExportedPolicy(2, new PolicyRecord("v1", new string('1', 64), now.AddDays(-9)), """{"version":"v1"}"""), None),
            await unit.Banks.InsertAsync(Bank("Imported"), None),
            await import.BankEntriesAsync("imported", entries, None) == 2,
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
        Assert.Equal(new StoreCounts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2), counts);

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
        var exported = Assert.Single(await Store.Export.ContentAsync(None).ToListAsync());
        Assert.Equal((7L, "upload"), (exported.Item.Id, exported.Item.Parts[0].Name));
        Assert.Equal(new byte[] { 4, 5 }, exported.Parts[0].Bytes.ToArray());

        // Again: every row is there already, nothing changes.
        Assert.All(await ImportOneOfEachAsync(), Assert.False);
        Assert.Equal(counts, await Store.Export.CountAsync(None));

        // What the store assigns next follows the imported ids, and new audit entries chain onto the imported ones.
        var opened = await OpenCaseAsync();
        Assert.True(opened.ContentId > 7 && opened.Id > 5);
        Assert.True((await WriteAsync(unit => unit.Webhooks.InsertAsync(new Uri("http://127.0.0.1:9/h2"), "s3cret-s3cret-s3", ["decision.created"], "user:admin", Clock.GetUtcNow(), None))).Id > 4);
        Assert.True(await WriteAsync(unit => unit.Outbox.EnqueueAsync(4, "decision.created", "{}", Clock.GetUtcNow(), None)) > 9);
        var appended = await new AuditTrail(Store, Clock).RecordAsync(new AuditRecord("test", "after.import", "thing:1"), None);
        Assert.Equal((3L, ForeignAudit()[1].Hash), (appended.Seq, appended.PrevHash));
        Assert.True((await new AuditTrail(Store, Clock).VerifyAsync(None)).Ok);
    }

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
