using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OtpNet;
using Vigil.Core;
using Vigil.Core.Banks;
using Vigil.Core.Compliance;
using Vigil.Moderation;
using Vigil.Moderation.Access;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Hosting;
using Vigil.Moderation.Secrets;
using Vigil.Moderation.Webhooks;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;
using Vigil.Storage.Content;
using Vigil.Storage.Sqlite;
using Vigil.Storage.Transfer;
using Vigil.Storage.Users;

namespace Vigil.Storage.Contract;

// The tables the last rounds of work added (removal orders, preservation, statements, notices, complaints, sessions,
// the users' security columns), copied field for field; and the guard that no table or column is left out of the copy.
public abstract partial class StoreMigrationContract
{
    private readonly SecretBox _secrets = SecretBox.FromKeyText(new string('5', 64), "the test key");
    private readonly SessionSettings _sessionSettings = new();

    /// <summary>Opens a connection to the target's database, to read its tables as they are.</summary>
    protected abstract Task<DbConnection> OpenTargetConnectionAsync();

    /// <summary>What a deployment that has been used holds besides <see cref="UseAsync"/>'s: sign-in sessions,
    /// two-factor, password resets, removal orders, preservation and purging, statements, notices, complaints, and a
    /// value other than its default in every column (so that the guard below sees each column copied).</summary>
    private async Task<(string LiveSession, string Stamp, string EndedSession)> UseComplianceAsync(SqliteVigilStore store, string suffix)
    {
        var now = Clock.GetUtcNow();
        var cache = new SessionCache(_sessionSettings, Clock);
        var lifecycle = new UserLifecycle(store, cache, Clock);
        var accounts = new UserAccounts(store, Clock);

        // Users: two-factor on (sealed secret, hashed recovery codes), a password reset, a disabled user, sessions.
        var twoFactor = new TwoFactor(store, cache, Clock, _secrets);
        var enrolment = (await twoFactor.BeginAsync($"ann{suffix}", None))!;
        Assert.NotNull(await twoFactor.ConfirmAsync($"ann{suffix}", new Totp(Base32Encoding.ToBytes(enrolment.Secret)).ComputeTotp(now.UtcDateTime), None));
        await accounts.AddAsync($"bea{suffix}", null, Role.Compliance, "a-long-enough-password", "cli", None);
        Assert.Equal(UserChangeStatus.Changed, (await lifecycle.ResetPasswordAsync($"bea{suffix}", "cli", None)).Status);
        await accounts.AddAsync($"cid{suffix}", "Cid", Role.Analyst, "a-long-enough-password", "cli", None);
        Assert.Equal(UserChangeStatus.Changed, await lifecycle.DisableAsync($"cid{suffix}", "cli", None));
        var ann = (await store.Users.GetAsync($"ann{suffix}", None))!;
        var sessions = new Sessions(store, cache, _sessionSettings, Clock);
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

    [Fact]
    public async Task Orders_preservation_statements_notices_complaints_sessions_and_two_factor_are_copied_field_for_field()
    {
        await UseAsync(Source, "");
        var (live, stamp, ended) = await UseComplianceAsync(Source, "");
        var first = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(first.Ok, string.Join("; ", first.Problems));
        Assert.Equal(first.Source, first.Target);
        Assert.All(first.Source.All, c => Assert.True(c.Count > 0, $"the test deployment has no {c.Name}"));
        await AssertSameExportsAsync();

        // The copy works as the source did: the session goes on, two-factor takes the same codes (the secret was copied
        // sealed, as it was), the order's document and the purge are there.
        var cache = new SessionCache(_sessionSettings, Clock);
        Assert.NotNull(await new Sessions(Target, cache, _sessionSettings, Clock).CheckAsync(live, "ann", stamp, None));
        Assert.Null(await new Sessions(Target, cache, _sessionSettings, Clock).CheckAsync(ended, "ann", stamp, None));
        var sourceSecret = (await Source.Users.GetSecurityAsync("ann", None))!.Value.Security.TotpSecret!;
        Assert.True(SecretBox.IsSealed(sourceSecret));
        Assert.Equal(sourceSecret, (await Target.Users.GetSecurityAsync("ann", None))!.Value.Security.TotpSecret);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var annCode = new Totp(Base32Encoding.ToBytes(_secrets.Open(sourceSecret, "totp"))).ComputeTotp(Clock.GetUtcNow().UtcDateTime);
        Assert.True(await new TwoFactor(Target, cache, Clock, _secrets).VerifyAsync("ann", annCode, None));
        var order = Assert.Single(await Target.Compliance.ListOrdersAsync(openOnly: false, 10, None), o => o.Document is not null);
        Assert.Equal("%PDF-1.4 order"u8.ToArray(), (await Target.Compliance.GetOrderDocumentAsync(order.Id, None))!.Value.Bytes);
        long purged = order.Targets[0].ContentId!.Value;
        Assert.Equal(await Source.Compliance.GetPurgedAtAsync(purged, None), await Target.Compliance.GetPurgedAtAsync(purged, None));
        var (part, bytes) = (await Target.Content.GetPartAsync(purged, "image", None))!.Value;
        Assert.Equal((3L, 0), (part.Length, bytes.Length));

        // Again: nothing new, nothing twice.
        var again = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(again.Ok, string.Join("; ", again.Problems));
        Assert.All(again.Steps, s => Assert.Equal(0, s.Copied));
        Assert.Equal(first.Target, again.Target);

        // More of everything on the source: the next run copies what is new, and the two read the same again.
        await UseAsync(Source, "-2");
        await UseComplianceAsync(Source, "-2");
        var third = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(third.Ok, string.Join("; ", third.Problems));
        Assert.Equal(third.Source, third.Target);
        Assert.All(
            third.Steps.Where(s => s.Kind is "users" or "sessions" or "content" or "removal orders" or "preservations" or "preservation holds" or "statements" or "notices" or "complaints"),
            s => Assert.True(s.Copied > 0 && s.AlreadyThere > 0, $"{s.Kind}: {s.Copied} copied, {s.AlreadyThere} already there"));
        await AssertSameExportsAsync();
    }

    /// <summary>Every table of a SQLite database migrated to the latest schema is copied (and counted) or listed as not
    /// copied, every column of a copied table reaches the target as it was, and the test deployment holds a value other
    /// than the default in each, so that a table or column added later cannot be left out of the copy unnoticed.</summary>
    [Fact]
    public async Task Every_table_and_column_is_copied_or_listed_as_not_copied()
    {
        await UseAsync(Source, "");
        await UseComplianceAsync(Source, "");
        var result = await new StoreMigration(Source, Target).RunAsync(null, None);
        Assert.True(result.Ok, string.Join("; ", result.Problems));

        await using var source = new SqliteConnection($"Data Source={_sourcePath};Mode=ReadOnly;Pooling=False");
        await source.OpenAsync();
        var tables = (await QueryAsync(source, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;"))
            .Select(r => (string)r[0]!).ToList();
        var unlisted = tables.Where(t => !StoreTables.Copied.ContainsKey(t) && !StoreTables.NotCopied.ContainsKey(t)).ToList();
        Assert.True(unlisted.Count == 0,
            $"tables neither copied by vigil migrate nor listed as not copied: {string.Join(", ", unlisted)}. Export and import them " +
            "(IStoreExport, IStoreImport, StoreMigration, a count in StoreCounts) and list them in StoreTables.Copied, or say in StoreTables.NotCopied why not.");
        Assert.Empty(StoreTables.Copied.Keys.Concat(StoreTables.NotCopied.Keys).Except(tables));

        var counts = result.Source.All.ToDictionary(c => c.Name, c => c.Count);
        var targetCounts = result.Target.All.ToDictionary(c => c.Name, c => c.Count);
        await using var target = await OpenTargetConnectionAsync();
        foreach (var (table, countName) in StoreTables.Copied)
        {
            var columns = (await QueryAsync(source, $"SELECT name, dflt_value FROM pragma_table_info('{table}') ORDER BY cid;"))
                .Select(r => (Name: (string)r[0]!, Default: r[1] as string))
                .Where(c => !StoreTables.ColumnsNotKept.ContainsKey($"{table}.{c.Name}"))
                .ToList();
            string select = $"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {table};";
            var rows = await QueryAsync(source, select);
            Assert.True(rows.Count > 0, $"{table}: the test deployment has no rows; fill it in UseComplianceAsync, so that its copy is checked");
            Assert.True(counts[countName] == rows.Count, $"{table}: {rows.Count} rows, but the count '{countName}' says {counts[countName]}");
            Assert.True(targetCounts[countName] == rows.Count, $"{table}: the target's count '{countName}' is {targetCounts[countName]}, the source has {rows.Count} rows");
            for (int i = 0; i < columns.Count; i++)
            {
                Assert.True(
                    rows.Any(r => !IsDefault(r[i], columns[i].Default)),
                    $"{table}.{columns[i].Name} holds its default (or null) in every row of the test deployment: give it another value in UseComplianceAsync, " +
                    "so that its copy is checked (or list it in StoreTables.ColumnsNotKept, saying why it is not copied)");
            }

            var inSource = rows.Select(Row).Order(StringComparer.Ordinal).ToList();
            var inTarget = (await QueryAsync(target, select)).Select(Row).Order(StringComparer.Ordinal).ToList();
            Assert.True(inSource.SequenceEqual(inTarget), $"{table}: the target's rows differ from the source's:\n{Differences(inSource, inTarget)}");
        }
    }

    private async Task AssertSameExportsAsync()
    {
        async Task Same<T>(string kind, Func<IStoreExport, IAsyncEnumerable<T>> read)
        {
            string inSource = Json(await read(Source.Export).ToListAsync());
            string inTarget = Json(await read(Target.Export).ToListAsync());
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

    private static async Task<List<object?[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>A row as text the same on every backend (booleans and integers as numbers, bytes as base64).</summary>
    private static string Row(object?[] row) => string.Join(" | ", row.Select(v => v switch
    {
        null => "null",
        bool b => b ? "1" : "0",
        byte[] bytes => "0x" + Convert.ToBase64String(bytes),
        IConvertible c when v is not string => c.ToString(CultureInfo.InvariantCulture),
        _ => "'" + v + "'",
    }));

    /// <summary>Whether <paramref name="value"/> is null or the column's default (as SQLite's table_info spells it).</summary>
    private static bool IsDefault(object? value, string? defaultSql) => value switch
    {
        null => true,
        string s => defaultSql is not null && defaultSql == "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        long or int or double => defaultSql is not null && defaultSql == Convert.ToString(value, CultureInfo.InvariantCulture),
        _ => false,
    };

    private static string Differences(List<string> source, List<string> target) =>
        string.Join("\n", source.Except(target).Select(r => "  source only: " + r).Concat(target.Except(source).Select(r => "  target only: " + r)).Take(10));
}
