using System.Net;
using System.Text;
using System.Text.Json;
using Vigil.Server.Webhooks;

namespace Vigil.Server.Tests;

/// <summary>Removal orders through the API and the compliance pages: logging, the signed <c>content.removed</c> webhook,
/// the clock's stop and restart, the replies, and who may see what.</summary>
public sealed class OrderApiTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_order_is_logged_executed_and_announced_with_its_reference_in_a_signed_webhook()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = _factory.Api("admin");
        var hook = await (await admin.PostJsonAsync("/v1/webhooks", new { Url = receiver.Url.AbsoluteUri, Events = new[] { "content.removed" } })).JsonAsync();
        string secret = hook.GetProperty("secret").GetString()!;
        var submitted = await _factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "post-5", Url = "https://platform.example/p/5" });
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);

        var now = DateTimeOffset.UtcNow;
        byte[] pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% a test order\n");
        var logged = await admin.PostJsonAsync("/v1/removal-orders", new
        {
            Reference = "DE-BKA-2026-7",
            MemberState = "DE",
            Authority = "Bundeskriminalamt",
            IssuedAt = now.AddMinutes(-2),
            ReceivedAt = now.AddMinutes(-1),
            Reasons = new[] { "incitement" },
            Locations = new[] { "https://platform.example/p/5", "post-unknown" },
            DocumentBase64 = Convert.ToBase64String(pdf),
            DocumentName = "order.pdf",
        });
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        var order = await logged.JsonAsync();
        long id = order.GetProperty("id").GetInt64();
        Assert.Equal("received", order.GetProperty("state").GetString());
        Assert.InRange(order.GetProperty("seconds_left").GetInt64(), 3000, 3600);
        Assert.Equal("full_period", order.GetProperty("clock_restart").GetString());
        Assert.Equal(["pending", "not_found"], order.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.Equal("application/pdf", order.GetProperty("document").GetProperty("media_type").GetString());
        long caseId = order.GetProperty("targets")[0].GetProperty("case_id").GetInt64();
        var queue = (await (await _factory.Api("review").GetAsync("/v1/cases")).JsonAsync()).GetProperty("items");
        Assert.Equal(("order", 100), (queue[0].GetProperty("queue").GetString(), queue[0].GetProperty("priority").GetInt32()));
        Assert.Equal(caseId, queue[0].GetProperty("id").GetInt64());

        var stop = await admin.PostJsonAsync($"/v1/removal-orders/{id}/stop", new { Ground = "manifest_errors", Explanation = "The order names another platform." });
        Assert.Equal("stopped", (await stop.JsonAsync()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostJsonAsync($"/v1/removal-orders/{id}/stop", new { Ground = "manifest_errors", Explanation = "again" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostJsonAsync($"/v1/removal-orders/{id}/stop", new { Ground = "boredom", Explanation = "x" })).StatusCode);
        var annexIII = await (await admin.GetAsync($"/v1/removal-orders/{id}/annex-iii")).JsonAsync();
        Assert.Equal("manifest_errors", annexIII.GetProperty("grounds")[0].GetProperty("ground").GetString());
        Assert.Equal(["post-unknown"], annexIII.GetProperty("items_not_found").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/v1/removal-orders/{id}/resume", null)).StatusCode);

        var executed = await (await admin.PostAsync($"/v1/removal-orders/{id}/execute", null)).JsonAsync();
        Assert.Equal("executed", executed.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/v1/removal-orders/{id}/execute", null)).StatusCode);

        var delivery = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal("content.removed", delivery.Headers[WebhookSignature.EventHeader]);
        Assert.True(WebhookSignature.Verify(secret, delivery.Body, delivery.Headers[WebhookSignature.Header]));
        var body = JsonDocument.Parse(delivery.Body).RootElement;
        Assert.Equal("DE-BKA-2026-7", body.GetProperty("order").GetProperty("reference").GetString());
        Assert.Equal("post-5", body.GetProperty("content").GetProperty("content_id").GetString());

        var annexII = await (await admin.GetAsync($"/v1/removal-orders/{id}/annex-ii")).JsonAsync();
        Assert.Equal(("removed", true), (annexII.GetProperty("action").GetString(), annexII.GetProperty("deadline_met").GetBoolean()));
        Assert.Equal(executed.GetProperty("executed_at").GetDateTimeOffset(), annexII.GetProperty("acted_at").GetDateTimeOffset());
        var decisions = await (await _factory.Api("review").GetAsync($"/v1/cases/{caseId}")).JsonAsync();
        Assert.Equal("closed", decisions.GetProperty("case").GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_bad_order_gets_every_reason_and_keys_without_admin_are_refused()
    {
        var admin = _factory.Api("admin");
        var bad = await admin.PostJsonAsync("/v1/removal-orders", new { Reference = "", MemberState = "Germany", Reasons = new[] { "x" }, DocumentBase64 = Convert.ToBase64String([1, 2, 3]) });
        string problem = await bad.ProblemAsync(400);
        Assert.Contains("issued_at", problem, StringComparison.Ordinal);
        Assert.Contains("document: a PDF or a PNG", problem, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Api("ingest").GetAsync("/v1/removal-orders")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/v1/removal-orders/99")).StatusCode);
    }

    [Theory]
    [InlineData("cleo", HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("mod", HttpStatusCode.Redirect)]
    [InlineData("analyst", HttpStatusCode.Redirect)]
    public async Task The_compliance_pages_are_for_compliance_officers_and_admins(string user, HttpStatusCode expected)
    {
        var client = await _factory.ClientAsync(user, browser: true);
        foreach (string page in new[] { "/orders", "/preservation" })
        {
            var response = await client.GetAsync(page);
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
                Assert.Contains("compliance", response.Headers.Location!.Query, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_compliance_officer_logs_an_order_in_the_form_and_adds_a_hold_after_execution()
    {
        await _factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "post-6" });
        var client = await _factory.ClientAsync("cleo", browser: true);
        string page = await client.GetStringAsync("/orders");
        Assert.Contains("0 removal order(s)", page, StringComparison.Ordinal);
        string now = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var posted = await client.PostAsync("/orders", Ui.Form(page,
            ("reference", "NL-1"), ("member_state", "NL"), ("authority", "ACM"), ("issued_at", now), ("received_at", now), ("reasons", "threat"), ("locations", "post-6\n")));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        string orderUrl = posted.Headers.Location!.OriginalString;
        Assert.StartsWith("/orders/", orderUrl, StringComparison.Ordinal);
        string order = await client.GetStringAsync(orderUrl);
        Assert.Contains("data-deadline=", order, StringComparison.Ordinal);
        var executed = await client.PostAsync(orderUrl.Split('?')[0] + "?handler=Execute", Ui.Form(order));
        Assert.Equal(HttpStatusCode.Redirect, executed.StatusCode);
        Assert.Contains("Executed at", await client.GetStringAsync(executed.Headers.Location!.OriginalString), StringComparison.Ordinal);

        string preservation = await client.GetStringAsync("/preservation");
        Assert.Contains("removal order NL-1", preservation, StringComparison.Ordinal);
        string until = DateTime.UtcNow.AddYears(1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var held = await client.PostAsync("/preservation?handler=Hold&content=1", Ui.Form(preservation, ("reason", "Authority request 17"), ("until", until)));
        Assert.Equal(HttpStatusCode.Redirect, held.StatusCode);
        Assert.Contains("Authority request 17", await client.GetStringAsync("/preservation"), StringComparison.Ordinal);
    }
}
