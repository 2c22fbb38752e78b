using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Vigil.Core.Content;
using Vigil.Core.Signals;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Queue;
using Vigil.Server.Queue;
using Vigil.Storage;

namespace Vigil.Server.Tests;

/// <summary>The queue path in one process: <c>POST /v1/content</c> with a work queue, and a worker on the same database.</summary>
public class QueueTests
{
    [Fact]
    public async Task An_idempotency_key_makes_a_repeated_synchronous_submission_the_same_item()
    {
        using var factory = await new VigilFactory().SeedAsync();
        var ingest = factory.Api("ingest");
        async Task<HttpResponseMessage> PostAsync(string? key, string platformId)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/content") { Content = JsonContent(new { text = Fixtures.ClearText, content_id = platformId }) };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            return await ingest.SendAsync(request);
        }

        var first = await PostAsync("order-1", "p-1");
        var again = await PostAsync("order-1", "p-1");
        var other = await PostAsync("order-2", "p-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        long id = (await first.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal(id, (await again.JsonAsync()).GetProperty("id").GetInt64());
        Assert.NotEqual(id, (await other.JsonAsync()).GetProperty("id").GetInt64());
        Assert.Equal("assessed", (await again.JsonAsync()).GetProperty("status").GetString());

        // Without a key, the synchronous path stores every submission, as it always has.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(null, "p-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(null, "p-1")).StatusCode);
        await (await PostAsync(new string('k', 201), "p-1")).ProblemAsync(400);
    }

    [Fact]
    public async Task Without_a_queue_readiness_reports_the_queue_off_and_there_are_no_dead_letters()
    {
        using var factory = await new VigilFactory().SeedAsync();
        var ready = await factory.Api(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.JsonAsync();
        Assert.Equal(("ready", "ok", "off"), (body.GetProperty("status").GetString(), body.GetProperty("database").GetProperty("status").GetString(), body.GetProperty("queue").GetProperty("status").GetString()));
        await (await factory.Api("admin").GetAsync("/v1/admin/dead-letters")).ProblemAsync(404);
    }

    [NatsFact]
    public async Task Queued_submissions_are_idempotent_on_the_platform_id_and_assessed_once_by_a_worker()
    {
        using var factory = await Queued(NatsServer.Url!).SeedAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = factory.Api("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri, Events = new[] { "content.assessed" } })).StatusCode);
        var ingest = factory.Api("ingest");

        var first = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "p-1" });
        var repeated = await ingest.PostJsonAsync("/v1/content", new { Text = "another text, same platform id", ContentId = "p-1" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        var item = await first.JsonAsync();
        long id = item.GetProperty("id").GetInt64();
        Assert.Equal($"/v1/content/{id}", first.Headers.Location!.OriginalString);
        Assert.Equal(("pending", JsonValueKind.Null), (item.GetProperty("status").GetString(), item.GetProperty("result").ValueKind));
        Assert.Equal(id, (await repeated.JsonAsync()).GetProperty("id").GetInt64());

        using var stop = new CancellationTokenSource();
        var worker = StartWorker(factory, factory.Services.GetRequiredService<AssessQueuedContent>(), stop.Token);
        try
        {
            var assessed = await WaitAssessedAsync(ingest, id);
            Assert.Equal("review", assessed.GetProperty("result").GetProperty("verdict").GetString());
            Assert.Equal(Fixtures.ReviewText, assessed.GetProperty("text").GetString());
            Assert.True(assessed.GetProperty("case").GetProperty("id").GetInt64() > 0);

            // Submitted again once assessed: the same item, with its result.
            var third = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "p-1" });
            Assert.Equal(HttpStatusCode.OK, third.StatusCode);
            Assert.Equal("assessed", (await third.JsonAsync()).GetProperty("status").GetString());

            // ?wait=true answers with the result when a worker is quick enough.
            var waited = await ingest.PostJsonAsync("/v1/content?wait=true", new { Text = Fixtures.ClearText, ContentId = "p-2" });
            Assert.Equal(HttpStatusCode.Created, waited.StatusCode);
            Assert.Equal("clear", (await waited.JsonAsync()).GetProperty("result").GetProperty("verdict").GetString());

            await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
            var events = receiver.Deliveries.Select(d => JsonDocument.Parse(d.Body).RootElement).ToList();
            Assert.All(events, e => Assert.Equal("content.assessed", e.GetProperty("event").GetString()));
            Assert.Equal(["p-1", "p-2"], events.Select(e => e.GetProperty("content").GetProperty("content_id").GetString()).Order());
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }

        var store = factory.Services.GetRequiredService<IVigilStore>();
        Assert.Equal(0, await store.Content.CountPendingAsync(CancellationToken.None));
        Assert.Null(await store.Content.GetAsync(id + 2, CancellationToken.None)); // two items, no more
        Assert.Single(await store.Cases.ListAsync(new Vigil.Storage.Cases.CaseQuery(), CancellationToken.None));
    }

    [NatsFact]
    public async Task A_message_that_keeps_failing_goes_to_the_dead_letters_and_its_item_stays_pending()
    {
        string name = NatsServer.QueueName();
        using var factory = await Queued(NatsServer.Url!, name).SeedAsync();
        var ingest = factory.Api("ingest");
        long id = (await (await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ClearText, ContentId = "p-9" })).JsonAsync()).GetProperty("id").GetInt64();

        // A message that is not a content id (written by something else on the subject).
        await using (var nats = new NatsConnection(new NatsOpts { Url = NatsServer.Url! }))
        {
            await nats.PublishAsync($"{name}.content", "not-an-id");
            await nats.PingAsync();
        }

        // A worker whose detector fails every time.
        var store = factory.Services.GetRequiredService<IVigilStore>();
        var healthy = factory.Services.GetRequiredService<ContentPipeline>();
        var broken = new ContentPipeline(factory.Services.GetRequiredService<SignalTypeRegistry>(), [], [new FailingDetector()], FixedBankMatcher.None, healthy.Policy);
        using var stop = new CancellationTokenSource();
        var worker = StartWorker(factory, new AssessQueuedContent(broken, store, TimeProvider.System), stop.Token, maxAttempts: 3);
        JsonElement letters;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            do
            {
                await Task.Delay(200);
                letters = await (await factory.Api("admin").GetAsync("/v1/admin/dead-letters")).JsonAsync();
            }
            while (letters.GetProperty("items").GetArrayLength() < 2 && DateTime.UtcNow < deadline);
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }

        var items = letters.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var failed = Assert.Single(items, l => l.GetProperty("content_id").ValueKind == JsonValueKind.Number);
        Assert.Equal(id, failed.GetProperty("content_id").GetInt64());
        Assert.Equal(3, failed.GetProperty("deliveries").GetInt32());
        Assert.Contains("detector failed on purpose", failed.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var garbage = Assert.Single(items, l => l.GetProperty("content_id").ValueKind == JsonValueKind.Null);
        Assert.Contains("not a content id", garbage.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal((2, 0, 1), (letters.GetProperty("dead_letters").GetInt32(), letters.GetProperty("waiting").GetInt32(), letters.GetProperty("pending_items").GetInt32()));
        Assert.Equal("pending", (await (await ingest.GetAsync($"/v1/content/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [NatsFact]
    public async Task With_the_queue_down_a_submission_gets_503_and_what_was_accepted_is_not_lost()
    {
        await using var nats = await NatsServer.StartAsync();
        using var factory = await Queued(nats.Address).SeedAsync();
        var ingest = factory.Api("ingest");
        var store = factory.Services.GetRequiredService<IVigilStore>();

        var accepted = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "before" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        long id = (await accepted.JsonAsync()).GetProperty("id").GetInt64();

        nats.Kill();
        var refused = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ClearText, ContentId = "during" });
        await refused.ProblemAsync(503);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Null(await store.Content.FindByIdempotencyKeyAsync("platform:during", CancellationToken.None)); // nothing half-stored
        var ready = await factory.Api(null).GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var readiness = await ready.JsonAsync();
        Assert.Equal(("ok", "down"), (readiness.GetProperty("database").GetProperty("status").GetString(), readiness.GetProperty("queue").GetProperty("status").GetString()));

        await nats.RestartAsync();
        HttpResponseMessage retried;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(250);
            retried = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ClearText, ContentId = "during" });
        }
        while (retried.StatusCode == HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        long later = (await retried.JsonAsync()).GetProperty("id").GetInt64();

        using var stop = new CancellationTokenSource();
        var worker = StartWorker(factory, factory.Services.GetRequiredService<AssessQueuedContent>(), stop.Token);
        try
        {
            // The item accepted before the queue went down was kept by the queue across the restart.
            Assert.Equal("review", (await WaitAssessedAsync(ingest, id)).GetProperty("result").GetProperty("verdict").GetString());
            Assert.Equal("clear", (await WaitAssessedAsync(ingest, later)).GetProperty("result").GetProperty("verdict").GetString());
        }
        finally
        {
            await stop.CancelAsync();
            await worker;
        }
    }

    internal static VigilFactory Queued(string url, string? name = null) => new(new Dictionary<string, string>
    {
        ["Vigil:Queue"] = url,
        ["Vigil:QueueName"] = name ?? NatsServer.QueueName(),
        ["Vigil:QueueAckWait"] = "00:00:05",
    });

    private static Task StartWorker(VigilFactory factory, AssessQueuedContent assess, CancellationToken stop, int maxAttempts = 5)
    {
        var broker = factory.Services.GetRequiredService<QueueConnection>().Broker!;
        var worker = new QueueWorker(broker, assess, new QueueWorkerOptions(maxAttempts, Parallelism: 2, RetryDelay: TimeSpan.FromMilliseconds(50)));
        return Task.Run(async () =>
        {
            try
            {
                await worker.RunAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
    }

    private static async Task<JsonElement> WaitAssessedAsync(HttpClient client, long id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var item = await (await client.GetAsync($"/v1/content/{id}")).JsonAsync();
            if (item.GetProperty("status").GetString() == "assessed")
            {
                return item;
            }

            Assert.True(DateTime.UtcNow < deadline, $"content item {id} was not assessed within 60 s");
            await Task.Delay(100);
        }
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    private sealed class FailingDetector : IContentDetector
    {
        public IReadOnlyList<string> PartTypes { get; } = [Vigil.Core.Content.PartTypes.Text];

        public Task<IReadOnlyList<DetectorResult>> DetectAsync(IReadOnlyList<PartView> parts, ParallelOptions parallel) =>
            throw new InvalidOperationException("the detector failed on purpose");
    }
}
