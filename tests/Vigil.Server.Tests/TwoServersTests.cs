using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Vigil.Moderation.Webhooks;

namespace Vigil.Server.Tests;

/// <summary>
/// Two <c>vigil serve</c> processes on one PostgreSQL database (started together, so that they also race to migrate it),
/// as two instances behind a load balancer. Four moderators claim and decide cases through both at once, including races
/// on the same case (all four claim it at once; its holder sends the decision through both instances at once), while
/// two admins add hash-bank entries, change the bank's description and race to remove the same entries through both.
/// Afterwards: no case was decided twice and every claim race had one winner; every decision and every bank change is in
/// the audit log exactly once, no bank change was written over with an older reading, and <c>vigil audit verify</c>
/// passes (one chain); every webhook event (both instances deliver from the shared outbox) reached the test's receiver
/// exactly once.
/// </summary>
public class TwoServersTests
{
    private const int Moderators = 4;
    private const int ReviewItems = 40;
    private const int RacedCases = 6;
    private const int AddedPerAdmin = 15;
    private const int SeededEntries = 12;
    private const int Renames = 8;

    [PostgresFact]
    public async Task Two_servers_on_one_database_decide_and_change_banks_at_once_with_one_audit_chain_and_each_webhook_sent_once()
    {
        await using var run = await ScaleOutRun.CreateAsync("vigil_two");
        run.Environment["Vigil__WebhookPollInterval"] = "00:00:00.250"; // both dispatchers poll the outbox often: they compete
        // The keys at once (the first `vigil key create` processes race to migrate the new database, too).
        var keys = await Task.WhenAll(
            new[] { ("two-ingest", "ingest"), ("two-admin-a", "admin"), ("two-admin-b", "admin") }
                .Concat(Enumerable.Range(0, Moderators).Select(m => ($"two-moderator-{m}", "review")))
                .Select(k => run.CreateKeyAsync(k.Item1, k.Item2)));
        string ingestKey = keys[0];
        string[] adminKeys = keys[1..3];
        string[] moderatorKeys = keys[3..];

        var servers = await Task.WhenAll(run.StartServeAsync("--embeddings", "off"), run.StartServeAsync("--embeddings", "off"));
        Uri[] instances = [servers[0].Address, servers[1].Address];
        await using var receiver = await WebhookReceiver.StartAsync();
        using (var admin = ScaleOutRun.Api(instances[0], adminKeys[0]))
        {
            await ScaleOutRun.SubscribeAsync(admin, receiver, WebhookEvents.DecisionCreated, WebhookEvents.ContentAssessed, WebhookEvents.StatementOfReasonsCreated);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/banks", new { Name = "shared" })).StatusCode);
            var seeded = await admin.PostRawAsync("/v1/banks/shared/entries", JsonSerializer.Serialize(Enumerable.Range(0, SeededEntries).Select(i => new { signal_type = "md5", value = Md5("seeded", i) })));
            Assert.Equal(SeededEntries, (await seeded.JsonAsync()).GetProperty("added").GetInt32());
        }

        // Content through both instances: the review texts open the cases.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(s => Task.Run(async () =>
        {
            using var ingest = ScaleOutRun.Api(instances[s], ingestKey);
            for (int i = s; i < ReviewItems; i += 2)
            {
                var submitted = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = $"two-{i}", AuthorId = $"a-{i % 7}" });
                Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
            }
        })));
        var cases = await run.ColumnAsync<long>("SELECT id FROM cases ORDER BY id;");
        Assert.True(cases.Count >= RacedCases + Moderators, $"only {cases.Count} cases opened");

        // Each moderator has a client of each instance.
        var reviews = moderatorKeys.Select(k => instances.Select(i => ScaleOutRun.Api(i, k)).ToArray()).ToArray();
        var decided = new ConcurrentDictionary<long, long>(); // decision id -> case id
        var claimWinners = new ConcurrentDictionary<long, int>(); // raced case -> how many claims it granted
        var doubleDecisions = new ConcurrentBag<(HttpStatusCode A, HttpStatusCode B)>();
        var removals = new ConcurrentDictionary<string, int>(); // seeded entry -> how many DELETEs removed it
        int added = 0, renamed = 0;

        async Task RaceAsync(long caseId)
        {
            // All moderators claim at once, through alternate instances: one lease is granted.
            var claims = await Task.WhenAll(reviews.Select((clients, m) => clients[m % 2].PostAsync($"/v1/cases/{caseId}/claim", null)));
            Assert.All(claims, c => Assert.True(c.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"claim {caseId}: HTTP {(int)c.StatusCode}"));
            var winners = claims.Select((c, m) => (c.StatusCode, m)).Where(c => c.StatusCode == HttpStatusCode.OK).Select(c => c.m).ToList();
            claimWinners[caseId] = winners.Count;
            Assert.Single(winners);

            // Its holder sends the decision through both instances at once: one decides, the other finds it closed.
            var holder = reviews[winners[0]];
            var both = await Task.WhenAll(holder.Select(c => c.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = "remove", Reason = "raced decision" })));
            doubleDecisions.Add((both[0].StatusCode, both[1].StatusCode));
            foreach (var response in both.Where(r => r.StatusCode == HttpStatusCode.Created))
            {
                Assert.True(decided.TryAdd((await response.JsonAsync()).GetProperty("id").GetInt64(), caseId));
            }
        }

        var moderating = Task.Run(async () =>
        {
            foreach (long caseId in cases.Take(RacedCases))
            {
                await RaceAsync(caseId);
            }

            // Then everyone works the open queue through both instances, often picking the same case.
            await Task.WhenAll(reviews.Select((clients, m) => Task.Run(async () =>
            {
                for (int round = 0; ; round++)
                {
                    var open = await ScaleOutRun.OpenCasesAsync(clients[round % 2], 50);
                    if (open.Count == 0)
                    {
                        return;
                    }

                    long caseId = open[Random.Shared.Next(Math.Min(open.Count, 3))];
                    var client = clients[(round + m) % 2];
                    if (await ScaleOutRun.ClaimAndDecideAsync(client, caseId, round % 2 == 0 ? "keep_up" : "remove", $"moderator {m}") is { } decision)
                    {
                        Assert.True(decided.TryAdd(decision, caseId), $"decision {decision} returned twice");
                    }
                }
            })));
        });

        // Meanwhile two admins change the same bank through the two instances: each adds entries of its own and sets the
        // bank's description, and both remove the seeded entries in the same order (each is removed once; the loser of a
        // race gets 404).
        var banking = Task.WhenAll(Enumerable.Range(0, 2).Select(s => Task.Run(async () =>
        {
            using var admin = ScaleOutRun.Api(instances[s], adminKeys[s]);
            for (int i = 0; i < Math.Max(AddedPerAdmin, SeededEntries); i++)
            {
                if (i < AddedPerAdmin)
                {
                    var add = await admin.PostRawAsync("/v1/banks/shared/entries", JsonSerializer.Serialize(new[] { new { signal_type = "md5", value = Md5($"admin-{s}", i) } }));
                    Assert.True(add.StatusCode == HttpStatusCode.OK, await add.Content.ReadAsStringAsync());
                    Assert.Equal(1, (await add.JsonAsync()).GetProperty("added").GetInt32());
                    Interlocked.Increment(ref added);
                }

                if (i < Renames)
                {
                    using var rename = await admin.PatchAsync("/v1/banks/shared", new StringContent(JsonSerializer.Serialize(new { description = $"admin-{s} {i}" }), System.Text.Encoding.UTF8, "application/json"));
                    Assert.True(rename.StatusCode == HttpStatusCode.OK, await rename.Content.ReadAsStringAsync());
                    Interlocked.Increment(ref renamed);
                }

                if (i < SeededEntries)
                {
                    string value = Md5("seeded", i);
                    using var remove = await admin.DeleteAsync($"/v1/banks/shared/entries/md5/{value}");
                    Assert.True(remove.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound, $"remove {value}: HTTP {(int)remove.StatusCode}");
                    removals.AddOrUpdate(value, remove.StatusCode == HttpStatusCode.NoContent ? 1 : 0, (_, n) => n + (remove.StatusCode == HttpStatusCode.NoContent ? 1 : 0));
                }
            }
        })));
        await Task.WhenAll(moderating, banking);
        foreach (var client in reviews.SelectMany(c => c))
        {
            client.Dispose();
        }

        // Claims and decisions: one lease per race, one decision per case, every case decided and closed.
        Assert.All(claimWinners.Values, n => Assert.Equal(1, n));
        Assert.All(doubleDecisions, pair => Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], new[] { pair.A, pair.B }.Order()));
        Assert.Equal(cases.Count, decided.Count);
        Assert.Equal(cases.Order(), decided.Values.Order());
        Assert.Equal(decided.Keys.Order(), await run.ColumnAsync<long>("SELECT id FROM decisions ORDER BY id;"));
        Assert.Equal(0, await run.ScalarAsync("SELECT count(*) FROM cases WHERE state <> 'closed';"));

        // The audit log: each decision and each bank change exactly once, in one chain that verifies.
        Assert.Equal(decided.Keys.Order(), await run.ColumnAsync<long>("SELECT (details::jsonb ->> 'decision_id')::bigint AS d FROM audit_log WHERE action = 'case.decided' ORDER BY d;"));
        Assert.Equal(1 + added, await run.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'bank.entries_added';"));
        Assert.All(removals.Values, n => Assert.Equal(1, n));
        Assert.Equal(SeededEntries, removals.Count);
        Assert.Equal(SeededEntries, await run.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'bank.entries_removed';"));
        Assert.Equal(2 * AddedPerAdmin, await run.ScalarAsync("SELECT count(*) FROM hash_bank_entries;"));

        // The bank's settings: each change read the one before it (no change was written over with an older reading),
        // and what the bank holds is what the last change set.
        var renames = (await run.ColumnAsync<string>("SELECT details FROM audit_log WHERE action = 'bank.updated' ORDER BY seq;"))
            .Select(d => JsonDocument.Parse(d).RootElement.GetProperty("description"))
            .Select(c => (From: c.GetProperty("from").GetString(), To: c.GetProperty("to").GetString()))
            .ToList();
        Assert.Equal(renamed, renames.Count);
        Assert.Null(renames[0].From);
        Assert.All(renames.Zip(renames.Skip(1)), pair => Assert.Equal(pair.First.To, pair.Second.From));
        using (var admin = ScaleOutRun.Api(instances[1], adminKeys[1]))
        {
            Assert.Equal(renames[^1].To, (await (await admin.GetAsync("/v1/banks/shared")).JsonAsync()).GetProperty("description").GetString());
        }
        Assert.Equal(await run.ScalarAsync("SELECT count(*) FROM audit_log;"), await run.ScalarAsync("SELECT max(seq) - min(seq) + 1 FROM audit_log;"));
        await run.AssertAuditVerifiesAsync();

        // Webhooks: every event in the outbox reached the receiver exactly once, while both instances delivered.
        await run.WaitOutboxDeliveredAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1)); // a second send of anything would arrive within this
        Assert.All(servers, s => Assert.False(s.Process.HasExited, "an instance exited"));
        var outbox = await run.ColumnAsync<long>("SELECT id FROM webhook_outbox ORDER BY id;");
        var deliveries = receiver.Deliveries.Select(d => long.Parse(d.Headers["Vigil-Delivery"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(outbox, deliveries.Order());
        Assert.Equal(outbox.Count, deliveries.Distinct().Count());
        Assert.Equal(0, await run.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE attempts <> 1;"));
        var decisionEvents = ScaleOutRun.DeliveriesOf(receiver, WebhookEvents.DecisionCreated);
        Assert.Equal(decided.Keys.Order(), decisionEvents.SelectMany(d => d).Select(p => p.GetProperty("decision").GetProperty("id").GetInt64()).Order());
        Assert.Equal(ReviewItems, ScaleOutRun.DeliveriesOf(receiver, WebhookEvents.ContentAssessed).Count);
    }

    /// <summary>A distinct value of the MD5 form (32 hex digits) for entry <paramref name="i"/> of <paramref name="series"/>.</summary>
    private static string Md5(string series, int i) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{series}-{i}")))[..32];
}
