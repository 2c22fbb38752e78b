using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Vigil.Moderation.Webhooks;

namespace Vigil.Server.Tests;

/// <summary>
/// The scale-out topology as plain processes: one <c>vigil serve --queue</c> and three <c>vigil worker</c> on one
/// PostgreSQL database and one NATS server. Submissions (text, some with an image) go in while one worker is killed
/// with SIGKILL and another is stopped and started again. Afterwards every accepted item has exactly one result, no
/// item has two cases, every <c>content.assessed</c> event reached the receiver (a repeated delivery with the same
/// <c>Vigil-Delivery</c> id). Then two moderators decide a sample of the cases through the API while the receiver refuses
/// the first few deliveries: every <c>decision.created</c> event arrives, a refused one again with the same id, and the
/// audit chain verifies. The number of submissions is <c>VIGIL_E2E_ITEMS</c>
/// (default 600, what CI runs on two cores; the 5,000 with <c>VIGIL_E2E_ITEMS=5000</c>).
/// </summary>
public class QueueEndToEndTests
{
    private const int DefaultItems = 600;

    /// <summary>How many cases the moderators decide after the run.</summary>
    private const int DecidedCases = 20;

    [PostgresNatsFact]
    public async Task Serve_and_three_workers_assess_every_accepted_item_once_through_a_kill_and_a_restart()
    {
        int items = int.TryParse(Environment.GetEnvironmentVariable("VIGIL_E2E_ITEMS"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : DefaultItems;
        await using var run = await ScaleOutRun.CreateAsync("vigil_e2e");
        run.Environment["Vigil__QueueName"] = NatsServer.QueueName();
        run.Environment["Vigil__QueueAckWait"] = "00:00:05"; // a killed worker's messages come back after 5 s
        string ingestKey = await run.CreateKeyAsync("e2e-ingest", "ingest");
        string adminKey = await run.CreateKeyAsync("e2e-admin", "admin");
        string[] reviewKeys = [await run.CreateKeyAsync("e2e-moderator-1", "review"), await run.CreateKeyAsync("e2e-moderator-2", "review")];

        var (serve, address) = await run.StartServeAsync("--queue", NatsServer.Url!, "--embeddings", "off");
        using var api = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        await using var receiver = await WebhookReceiver.StartAsync();
        using (var admin = ScaleOutRun.Api(address, adminKey))
        {
            await ScaleOutRun.SubscribeAsync(admin, receiver, WebhookEvents.ContentAssessed, WebhookEvents.DecisionCreated);
        }

        string[] Worker() => ["worker", "--queue", NatsServer.Url!, "--db", run.Database, "--embeddings", "off", "--parallel", "2"];
        var workers = new[] { run.Start(Worker()), run.Start(Worker()), run.Start(Worker()) };

        // Submit from 6 clients at once; 503 is retried after Retry-After, as a platform would.
        var accepted = new ConcurrentDictionary<long, string>();
        int next = -1;
        int killedAt = items / 3, restartedAt = 2 * items / 3;
        var killed = new TaskCompletionSource();
        var submitters = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            for (int i = Interlocked.Increment(ref next); i < items; i = Interlocked.Increment(ref next))
            {
                string platformId = $"e2e-{i}";
                long id = await SubmitAsync(api, ingestKey, platformId, i);
                Assert.True(accepted.TryAdd(id, platformId), $"item {id} accepted twice");
                if (i == killedAt)
                {
                    workers[0].Kill(entireProcessTree: true); // SIGKILL: whatever it held comes back to the others
                    killed.TrySetResult();
                }
                else if (i == restartedAt)
                {
                    await killed.Task;
                    await ScaleOutRun.StopGracefullyAsync(workers[1]);
                    workers[1] = run.Start(Worker());
                }
            }
        })).ToList();
        await Task.WhenAll(submitters);
        Assert.Equal(items, accepted.Count);

        // Wait for the workers to finish and the events to arrive.
        var deadline = DateTime.UtcNow.AddMinutes(Math.Max(5, items / 200.0));
        long pending;
        while ((pending = await run.ScalarAsync("SELECT count(*) FROM content_items WHERE status = 'pending';")) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{pending} of {items} items still pending");
            Assert.False(serve.HasExited, "vigil serve exited");
            await Task.Delay(500);
        }

        Dictionary<long, HashSet<long>> byContent;
        while (true)
        {
            byContent = ScaleOutRun.DeliveriesOf(receiver, WebhookEvents.ContentAssessed)
                .SelectMany(d => d.Select(payload => (Id: payload.GetProperty("content").GetProperty("id").GetInt64(), Delivery: d.Key)))
                .GroupBy(d => d.Id)
                .ToDictionary(g => g.Key, g => g.Select(d => d.Delivery).ToHashSet());
            if (accepted.Keys.All(byContent.ContainsKey))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"content.assessed arrived for {byContent.Count} of {items} items");
            await Task.Delay(500);
        }

        // Every accepted item: one row, assessed, one content.assessed event (one outbox row), at most one case.
        Assert.Equal(items, await run.ScalarAsync("SELECT count(*) FROM content_items;"));
        Assert.Equal(items, await run.ScalarAsync("SELECT count(*) FROM content_items WHERE status = 'assessed';"));
        Assert.Equal(items, await run.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE event = 'content.assessed';"));
        Assert.Equal(0, await run.ScalarAsync("SELECT count(*) FROM (SELECT content_id FROM cases GROUP BY content_id HAVING count(*) > 1) AS twice;"));
        long cases = await run.ScalarAsync("SELECT count(*) FROM cases;");
        Assert.True(cases > 0, "no case was opened: the review texts should open some");
        Assert.Equal(cases, await run.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'case.opened';"));
        Assert.All(byContent.Values, ids => Assert.Single(ids)); // redeliveries carry the same event id
        Assert.Equal(accepted.Keys.Order(), byContent.Keys.Order());

        // Two moderators decide a sample of the cases through the API while the receiver refuses the first few
        // decision.created deliveries: each decision's event arrives, and a refused one comes again with its id.
        int sample = (int)Math.Min(cases, DecidedCases);
        receiver.FailNext(3);
        var decided = new ConcurrentDictionary<long, long>(); // decision id -> case id
        await Task.WhenAll(reviewKeys.Select((key, m) => Task.Run(async () =>
        {
            using var review = ScaleOutRun.Api(address, key);
            while (decided.Count < sample)
            {
                var open = await ScaleOutRun.OpenCasesAsync(review, 50);
                if (open.Count == 0)
                {
                    break; // the other moderator decided the last one
                }

                long caseId = open[Random.Shared.Next(Math.Min(open.Count, 4))];
                if (await ScaleOutRun.ClaimAndDecideAsync(review, caseId, m == 0 ? "remove" : "keep_up", "end-to-end sample") is { } decision)
                {
                    Assert.True(decided.TryAdd(decision, caseId), $"decision {decision} returned twice");
                }
            }
        })));

        ILookup<long, JsonElement> decisionEvents;
        while (true)
        {
            decisionEvents = ScaleOutRun.DeliveriesOf(receiver, WebhookEvents.DecisionCreated);
            var arrived = decisionEvents.SelectMany(d => d).Select(p => p.GetProperty("decision").GetProperty("id").GetInt64()).ToHashSet();
            if (decided.Keys.All(arrived.Contains))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"decision.created arrived for {arrived.Count} of {decided.Count} decisions");
            await Task.Delay(250);
        }

        Assert.Equal(decided.Count, await run.ScalarAsync("SELECT count(*) FROM decisions;"));
        Assert.Equal(decided.Count, await run.ScalarAsync("SELECT count(*) FROM webhook_outbox WHERE event = 'decision.created';"));
        Assert.Equal(decided.Count, await run.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'case.decided';"));
        var deliveriesByDecision = decisionEvents
            .SelectMany(d => d.Select(payload => (Decision: payload.GetProperty("decision").GetProperty("id").GetInt64(), Delivery: d.Key)))
            .GroupBy(d => d.Decision)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Delivery).ToHashSet());
        Assert.Equal(decided.Keys.Order(), deliveriesByDecision.Keys.Order());
        Assert.All(deliveriesByDecision.Values, ids => Assert.Single(ids)); // one event id per decision, however often sent
        var refused = receiver.Refused.Where(r => r.Headers["Vigil-Event"] == WebhookEvents.DecisionCreated).Select(r => long.Parse(r.Headers["Vigil-Delivery"], CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, id => Assert.True(decisionEvents.Contains(id), $"the refused delivery {id} never came again"));

        await run.AssertAuditVerifiesAsync();
    }

    /// <summary>Submits one item until it is accepted (202), retrying after 503; returns its id.</summary>
    private static async Task<long> SubmitAsync(HttpClient api, string key, string platformId, int i)
    {
        // Mostly short neutral or review texts; every 25th item with an image.
        string text = i % 3 == 0 ? Fixtures.ReviewText : $"{Fixtures.ClearText}, post {i}";
        object body = i % 25 == 0
            ? new { text, content_id = platformId, author_id = $"a-{i % 40}", image_base64 = Convert.ToBase64String(Fixtures.Png) }
            : new { text, content_id = platformId, author_id = $"a-{i % 40}" };
        for (int attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/content");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            request.Content = new StringContent(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
            using var response = await api.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 20)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            Assert.True(response.StatusCode is HttpStatusCode.Accepted, $"{platformId}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await response.JsonAsync()).GetProperty("id").GetInt64();
        }
    }
}
