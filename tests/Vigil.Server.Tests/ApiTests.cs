using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Core.Banks;
using Vigil.Moderation.Banks;
using Vigil.Server.Webhooks;

namespace Vigil.Server.Tests;

public sealed class ApiTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Only_health_answers_without_authentication()
    {
        var anonymous = _factory.Api(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        foreach (var (method, url) in new[] { ("POST", "/v1/content"), ("POST", "/v1/classify"), ("GET", "/v1/cases"), ("GET", "/v1/cases/1"), ("POST", "/v1/cases/1/claim"), ("GET", "/v1/keys"), ("GET", "/v1/webhooks"), ("GET", "/v1/audit"), ("GET", "/v1/content/1"), ("GET", "/openapi/v1.json") })
        {
            var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
            string detail = await response.ProblemAsync(401);
            Assert.Contains("API key", detail, StringComparison.Ordinal);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        foreach (var url in new[] { "/queue", "/cases/1", "/docs", "/audit", "/ui/content/1/image" })
        {
            var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/signin")).StatusCode);

        var forged = _factory.Api(null);
        forged.DefaultRequestHeaders.Add("X-Api-Key", "vgl_000000000000_nottherealsecret");
        Assert.Contains("not valid", await (await forged.GetAsync("/v1/cases")).ProblemAsync(401), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingest", "GET", "/v1/cases", 403)]
    [InlineData("ingest", "GET", "/v1/keys", 403)]
    [InlineData("review", "POST", "/v1/content", 403)]
    [InlineData("review", "POST", "/v1/classify", 403)]
    [InlineData("review", "GET", "/v1/webhooks", 403)]
    [InlineData("admin", "GET", "/v1/cases", 403)]
    [InlineData("admin", "POST", "/v1/content", 403)]
    [InlineData("review", "GET", "/v1/cases", 200)]
    [InlineData("admin", "GET", "/v1/keys", 200)]
    [InlineData("admin", "GET", "/v1/audit/verify", 200)]
    [InlineData("ingest", "GET", "/openapi/v1.json", 200)]
    public async Task Each_scope_reaches_its_endpoints_only(string key, string method, string url, int status)
    {
        var client = _factory.Api(key);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            request.Content = new StringContent("""{"text":"Lovely weather in Leeds"}""", Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        if (status == 403)
        {
            Assert.Contains("scope", await response.ProblemAsync(403), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(status, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task A_revoked_key_stops_working()
    {
        var admin = _factory.Api("admin");
        var created = await (await admin.PostJsonAsync("/v1/keys", new { Name = "temp", Scopes = new[] { "ingest" } })).JsonAsync();
        string secret = created.GetProperty("secret").GetString()!;
        string id = created.GetProperty("key").GetProperty("id").GetString()!;
        var client = _factory.Api(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/classify", new { Text = Fixtures.ClearText })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/v1/keys/{id}")).StatusCode);
        await (await client.PostJsonAsync("/v1/classify", new { Text = Fixtures.ClearText })).ProblemAsync(401);
        var audit = await (await admin.GetAsync("/v1/audit")).JsonAsync();
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "key.revoked" && e.GetProperty("subject").GetString() == $"key:{id}");
    }

    [Fact]
    public async Task Submission_opens_a_case_that_is_claimed_decided_and_delivered_by_signed_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = _factory.Api("admin");
        var hook = await (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri })).JsonAsync();
        string secret = hook.GetProperty("secret").GetString()!;

        var ingest = _factory.Api("ingest");
        var clear = await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ClearText, ContentId = "post-0", AuthorId = "author-9" });
        Assert.Equal(HttpStatusCode.Created, clear.StatusCode);
        var clearBody = await clear.JsonAsync();
        Assert.Equal("clear", clearBody.GetProperty("result").GetProperty("verdict").GetString());
        Assert.Equal("allow", clearBody.GetProperty("result").GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, clearBody.GetProperty("case").ValueKind);

        var submitted = await ingest.PostJsonAsync("/v1/content", new
        {
            Text = Fixtures.ReviewText,
            ContentId = "post-1",
            AuthorId = "author-9",
            Url = "https://platform.example/p/1",
            Metadata = new { channel = "general", reports = 2 },
        });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var content = await submitted.JsonAsync();
        var result = content.GetProperty("result");
        Assert.Equal("review", result.GetProperty("verdict").GetString());
        Assert.Equal("review", result.GetProperty("action").GetString());
        Assert.Contains("terrorism.propaganda", result.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var evidence = result.GetProperty("evidence")[0];
        Assert.Equal("amaq", Fixtures.ReviewText[evidence.GetProperty("start").GetInt32()..evidence.GetProperty("end").GetInt32()]);
        Assert.NotEmpty(result.GetProperty("signals").EnumerateArray());
        Assert.Equal(7, result.GetProperty("scores").EnumerateObject().Count());
        Assert.Equal("general", content.GetProperty("metadata").GetProperty("channel").GetString());
        string policyVersion = result.GetProperty("policy_version").GetString()!;
        long caseId = content.GetProperty("case").GetProperty("id").GetInt64();
        Assert.Equal($"/v1/content/{content.GetProperty("id").GetInt64()}", submitted.Headers.Location!.OriginalString);

        var review = _factory.Api("review");
        var list = await (await review.GetAsync("/v1/cases?queue=default&label=terrorism.propaganda&language=en")).JsonAsync();
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(caseId, listed.GetProperty("id").GetInt64());
        Assert.Equal(policyVersion, listed.GetProperty("policy_version").GetString());
        Assert.InRange(listed.GetProperty("priority").GetInt32(), 1, 100);
        Assert.Empty((await (await review.GetAsync("/v1/cases?label=hate")).JsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Empty((await (await review.GetAsync("/v1/cases?min_age=1h")).JsonAsync()).GetProperty("items").EnumerateArray());

        // Deciding needs the lease; a second reviewer cannot take it.
        Assert.Contains("Claim", await (await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = "remove", Reason = "outlet material" })).ProblemAsync(409), StringComparison.Ordinal);
        var claimed = await (await review.PostAsync($"/v1/cases/{caseId}/claim", null)).JsonAsync();
        Assert.StartsWith("key:", claimed.GetProperty("claimed_by").GetString(), StringComparison.Ordinal);
        var other = _factory.Api("review2");
        Assert.Contains("claimed by", await (await other.PostAsync($"/v1/cases/{caseId}/claim", null)).ProblemAsync(409), StringComparison.Ordinal);
        Assert.Contains("reason", await (await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = "remove", Reason = " " })).ProblemAsync(400), StringComparison.Ordinal);

        var decided = await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = "remove", Reason = "shares an outlet's release" });
        Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
        var decision = await decided.JsonAsync();
        Assert.Equal(policyVersion, decision.GetProperty("policy_version").GetString());

        var detail = await (await review.GetAsync($"/v1/cases/{caseId}")).JsonAsync();
        Assert.Equal("closed", detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal("remove", detail.GetProperty("decisions")[0].GetProperty("decision").GetString());

        // The platform receives the decision, signed.
        var delivery = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
        Assert.True(WebhookSignature.Verify(secret, delivery.Body, delivery.Headers[WebhookSignature.Header]));
        Assert.False(WebhookSignature.Verify("another secret long enough", delivery.Body, delivery.Headers[WebhookSignature.Header]));
        Assert.Equal("decision.created", delivery.Headers[WebhookSignature.EventHeader]);
        var payload = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("remove", payload.GetProperty("decision").GetProperty("decision").GetString());
        Assert.Equal("shares an outlet's release", payload.GetProperty("decision").GetProperty("reason").GetString());
        Assert.Equal("post-1", payload.GetProperty("content").GetProperty("content_id").GetString());
        Assert.Equal(caseId, payload.GetProperty("case").GetProperty("id").GetInt64());

        var verification = await (await admin.GetAsync("/v1/audit/verify")).JsonAsync();
        Assert.True(verification.GetProperty("ok").GetBoolean());
        var audit = await (await admin.GetAsync("/v1/audit")).JsonAsync();
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "case.decided" && e.GetProperty("subject").GetString() == $"case:{caseId}");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "policy.changed");
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_with_back_off_until_they_succeed()
    {
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 2);
        var admin = _factory.Api("admin");
        long hookId = (await (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri, Secret = "a-shared-secret-of-some-length" })).JsonAsync()).GetProperty("webhook").GetProperty("id").GetInt64();
        long caseId = await OpenAndDecideAsync("keep_up");

        var delivery = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(3, receiver.Attempts);
        Assert.Equal(caseId, JsonDocument.Parse(delivery.Body).RootElement.GetProperty("case").GetProperty("id").GetInt64());
        // The receiver has answered; the dispatcher records that answer just after, so wait for the record.
        JsonElement record = default;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            var deliveries = await (await admin.GetAsync($"/v1/webhooks/{hookId}/deliveries")).JsonAsync();
            record = Assert.Single(deliveries.EnumerateArray());
            if (record.GetProperty("last_status").ValueKind == JsonValueKind.Number && record.GetProperty("last_status").GetInt32() == 204)
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(3, record.GetProperty("attempts").GetInt32());
        Assert.Equal(204, record.GetProperty("last_status").GetInt32());
    }

    [Fact]
    public async Task A_restart_loses_no_pending_delivery()
    {
        string database = Path.Combine(Path.GetTempPath(), $"vigil-restart-{Guid.NewGuid():N}.db");
        await using var receiver = await WebhookReceiver.StartAsync(failFirst: 1000);
        using (var first = new VigilFactory(new() { ["Vigil:WebhookRetryBase"] = "00:00:10" }, database))
        {
            await first.SeedAsync();
            await first.Api("admin").PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri });
            await OpenAndDecideAsync("restrict", first);
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (receiver.Attempts == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.Empty(receiver.Deliveries); // the platform was down: the delivery waits in the outbox
        }

        receiver.Reset(failFirst: 0);
        using var second = new VigilFactory(new() { ["Vigil:WebhookRetryBase"] = "00:00:00.100" }, database);
        _ = second.Server; // start: the dispatcher finds the pending delivery when its back-off is over
        await second.Store.Outbox.MarkFailedAsync(1, null, "test: make it due now", DateTimeOffset.UtcNow, CancellationToken.None);
        var delivery = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        second.Dispose();
        VigilFactory.DeleteDatabase(database);
        Assert.Equal("restrict", JsonDocument.Parse(delivery.Body).RootElement.GetProperty("decision").GetProperty("decision").GetString());
    }

    [Fact]
    public async Task A_service_without_the_embedding_stage_decides_with_the_policy_s_thresholds_for_it()
    {
        // The test service's analyzer runs without the embedding stage (VigilFactory): only without_embeddings applies.
        string policy = Path.Combine(Path.GetTempPath(), $"vigil-policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(policy, JsonSerializer.Serialize(new
        {
            version = "two-sets",
            categories = Vigil.Core.Taxonomy.All.ToDictionary(c => c.Id, _ => new { review = 1, violating = 1 }),
            without_embeddings = new { categories = new { hate = new { review = 0, violating = 1 } } },
        }));
        try
        {
            using var factory = new VigilFactory(new() { ["Vigil:Policy"] = policy });
            await factory.SeedAsync();
            var verdict = await (await factory.Api("ingest").PostJsonAsync("/v1/classify", new { Text = Fixtures.ClearText })).JsonAsync();
            Assert.Equal("review", verdict.GetProperty("verdict").GetString());
            Assert.Equal(["hate"], verdict.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
            Assert.Contains("without_embeddings", await (await factory.Api("admin").GetAsync("/v1/policy")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Fact]
    public async Task Half_an_emoji_cut_off_by_a_javascript_client_is_classified_not_refused()
    {
        // JSON.stringify("hi 😀".slice(0, 4)) writes an escaped lone surrogate, which .NET refuses to read as a string.
        var response = await _factory.Api("ingest").PostRawAsync("/v1/classify", "{\"text\":\"Lovely weather in Leeds \\ud83d\"}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("clear", (await response.JsonAsync()).GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_inside_json_strings_are_refused_not_altered_nor_a_500()
    {
        // An encoded lone surrogate (ED A0 80) inside the text and inside metadata: JSON parsers do not check string bytes,
        // and reading them as U+FFFD would alter the evidence.
        byte[] body = [.. "{\"text\":\"Lovely weather \""u8.ToArray()[..^1], 0xED, 0xA0, 0x80, .. "\",\"metadata\":{\"k\":\""u8.ToArray(), 0xED, 0xA0, 0x80, .. "\"}}"u8.ToArray()];
        foreach (var path in new[] { "/v1/classify", "/v1/content" })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var response = await _factory.Api("ingest").PostAsync(path, content);
            Assert.Contains("not valid UTF-8 (at byte 24)", await response.ProblemAsync(400), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_saying_what_was_wrong()
    {
        var ingest = _factory.Api("ingest");
        Assert.Contains("not valid JSON", await (await ingest.PostRawAsync("/v1/content", "{\"text\": ")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("Unknown field 'txt'", await (await ingest.PostRawAsync("/v1/content", """{"txt":"hi"}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'text' must be a string", await (await ingest.PostRawAsync("/v1/content", """{"text":5}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("text", await (await ingest.PostRawAsync("/v1/content", "{}")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("JSON object", await (await ingest.PostRawAsync("/v1/content", "[1,2]")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'metadata' must be a JSON object", await (await ingest.PostRawAsync("/v1/content", """{"text":"hi","metadata":"x"}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'url'", await (await ingest.PostRawAsync("/v1/content", """{"text":"hi","url":"javascript:alert(1)"}""")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("base64", await (await ingest.PostRawAsync("/v1/content", """{"image_base64":"@@@"}""")).ProblemAsync(400), StringComparison.Ordinal);
        await (await ingest.PostRawAsync("/v1/content", "hello", "text/plain")).ProblemAsync(415);
        Assert.Contains("PNG", await (await ingest.PostRawAsync("/v1/content", $$"""{"image_base64":"{{Convert.ToBase64String("not an image"u8.ToArray())}}"}""")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("malformed", await (await ingest.PostRawAsync("/v1/content", "--x\r\nbroken", "multipart/form-data; boundary=x")).ProblemAsync(400), StringComparison.Ordinal);

        var review = _factory.Api("review");
        Assert.Contains("'limit'", await (await review.GetAsync("/v1/cases?limit=abc")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'min_age'", await (await review.GetAsync("/v1/cases?min_age=yesterday")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'state'", await (await review.GetAsync("/v1/cases?state=maybe")).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("no case 999", await (await review.GetAsync("/v1/cases/999")).ProblemAsync(404), StringComparison.Ordinal);
        await (await review.GetAsync("/v1/cases/not-a-number")).ProblemAsync(404);
        Assert.Contains("'decision'", await (await review.PostJsonAsync("/v1/cases/1/decision", new { Decision = "ban", Reason = "x" })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("JSON", await (await review.PostRawAsync("/v1/cases/1/decision", "{not json")).ProblemAsync(400), StringComparison.Ordinal);
        await (await review.PostRawAsync("/v1/cases/1/decision", "decision=remove", "application/x-www-form-urlencoded")).ProblemAsync(415);

        var admin = _factory.Api("admin");
        Assert.Contains("'scopes'", await (await admin.PostJsonAsync("/v1/keys", new { Name = "x", Scopes = new[] { "root" } })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'url'", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = "ftp://example.test/" })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("'secret'", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = "http://127.0.0.1:9/", Secret = "short" })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("event", await (await admin.PostJsonAsync("/v1/webhooks", new { Url = "http://127.0.0.1:9/", Events = new[] { "everything" } })).ProblemAsync(400), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Images_are_accepted_as_multipart_or_base64_and_stored()
    {
        var ingest = _factory.Api("ingest");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Fixtures.ReviewText), "text" },
            { new StringContent("post-7"), "content_id" },
            { new StringContent("""{"source":"upload"}"""), "metadata" },
        };
        var image = new ByteArrayContent(Fixtures.Png);
        image.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(image, "image", "photo.png");
        var response = await ingest.PostAsync("/v1/content", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("image/png", body.GetProperty("image").GetProperty("media_type").GetString());
        Assert.Equal(Fixtures.Png.Length, body.GetProperty("image").GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Fixtures.Png)), body.GetProperty("image").GetProperty("sha256").GetString());
        Assert.Equal("upload", body.GetProperty("metadata").GetProperty("source").GetString());

        var imageOnly = await ingest.PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png) });
        Assert.Equal(HttpStatusCode.Created, imageOnly.StatusCode);
        Assert.Equal("clear", (await imageOnly.JsonAsync()).GetProperty("result").GetProperty("verdict").GetString());
        Assert.Equal(HttpStatusCode.OK, (await ingest.GetAsync($"/v1/content/{body.GetProperty("id").GetInt64()}")).StatusCode);
    }

    [Fact]
    public async Task An_image_in_a_hash_bank_opens_a_case_with_the_match_as_evidence()
    {
        var banks = _factory.Services.GetRequiredService<HashBanks>();
        await banks.CreateAsync(new HashBank("test-known"), "test", CancellationToken.None);
        string sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Fixtures.Png));
        await banks.UpsertEntriesAsync("test-known", [new BankEntry(
            "sha256", sha256, new BankLabels(Category: "terrorism.propaganda"), Source: "test")], "test", CancellationToken.None);

        // The service re-reads banks after Vigil:BankRefresh; this factory's matcher has not been built yet.
        var response = await _factory.Api("ingest").PostJsonAsync("/v1/content", new { ImageBase64 = Convert.ToBase64String(Fixtures.Png), ContentId = "banked-1" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var result = (await response.JsonAsync()).GetProperty("result");
        Assert.NotEqual("clear", result.GetProperty("verdict").GetString());
        Assert.Contains("terrorism.propaganda", result.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));
        var match = result.GetProperty("evidence").EnumerateArray().Single(e => e.GetProperty("signal").GetString() == "sha256");
        Assert.Contains("test-known", match.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_v1_api()
    {
        var document = await (await _factory.Api("ingest").GetAsync("/openapi/v1.json")).JsonAsync();
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/v1/content", "/v1/classify", "/v1/cases", "/v1/cases/{id}/claim", "/v1/cases/{id}/decision", "/v1/keys", "/v1/webhooks", "/health" })
        {
            Assert.Contains(path, paths);
        }
    }

    private async Task<long> OpenAndDecideAsync(string decision, VigilFactory? factory = null)
    {
        factory ??= _factory;
        var content = await (await factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = $"post-{decision}" })).JsonAsync();
        long caseId = content.GetProperty("case").GetProperty("id").GetInt64();
        var review = factory.Api("review");
        Assert.Equal(HttpStatusCode.OK, (await review.PostAsync($"/v1/cases/{caseId}/claim", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { Decision = decision, Reason = "checked" })).StatusCode);
        return caseId;
    }
}
