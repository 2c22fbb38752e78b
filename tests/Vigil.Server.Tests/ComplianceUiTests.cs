using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Moderation.Compliance;

namespace Vigil.Server.Tests;

/// <summary>Issue 16's loose ends through the service: notices carrying an image, the case page's pointer to its removal
/// order and its word on deleted content, the records page with the retention in force, and the orders in the reports.</summary>
public sealed class ComplianceUiTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new(new() { ["Vigil:MaxImageBytes"] = "8192" });

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    private static MultipartFormDataContent NoticeForm(string contentId, byte[] image, string? text = null)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(contentId), "content_id" },
            { new StringContent("It shows a banned flag."), "explanation" },
            { new StringContent("true"), "good_faith" },
        };
        if (text is not null)
        {
            form.Add(new StringContent(text), "text");
        }

        var part = new ByteArrayContent(image);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, "image", "upload.png");
        return form;
    }

    /// <summary>Logs an order for one item through the API, received a minute ago.</summary>
    private async Task<System.Text.Json.JsonElement> LogOrderAsync(string reference, string memberState, string authority, string location, DateTimeOffset? withheldUntil)
    {
        var now = DateTimeOffset.UtcNow;
        var logged = await _factory.Api("admin").PostJsonAsync("/v1/removal-orders", new
        {
            Reference = reference,
            MemberState = memberState,
            Authority = authority,
            IssuedAt = now.AddMinutes(-2),
            ReceivedAt = now.AddMinutes(-1),
            Reasons = new[] { "threat" },
            Locations = new[] { location },
            WithheldUntil = withheldUntil,
        });
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        return await logged.JsonAsync();
    }

    [Fact]
    public async Task A_notice_about_content_not_stored_yet_carries_an_image_under_the_limits_of_POST_content()
    {
        var ingest = _factory.Api("ingest");
        var review = _factory.Api("review");

        // Multipart, image and text: stored with the image and assessed.
        var notice = await ingest.PostAsync("/v1/notices", NoticeForm("post-img-1", Fixtures.Png, "the gardening club meets on tuesday"));
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        long contentId = (await notice.JsonAsync()).GetProperty("content_id").GetInt64();
        var stored = await (await review.GetAsync($"/v1/content/{contentId}")).JsonAsync();
        Assert.Equal(("image/png", Fixtures.Png.Length), (stored.GetProperty("image").GetProperty("media_type").GetString(), stored.GetProperty("image").GetProperty("bytes").GetInt32()));
        Assert.Equal("post-img-1", stored.GetProperty("content_id").GetString());

        // An image alone that does not decode: fail closed, in review with the reason, and a case.
        var unreadable = await ingest.PostAsync("/v1/notices", NoticeForm("post-img-2", Fixtures.Png[..48]));
        Assert.Equal(HttpStatusCode.Created, unreadable.StatusCode);
        var receipt = await unreadable.JsonAsync();
        var result = (await (await review.GetAsync($"/v1/content/{receipt.GetProperty("content_id").GetInt64()}")).JsonAsync()).GetProperty("result");
        Assert.NotEqual("clear", result.GetProperty("verdict").GetString());
        Assert.Contains(result.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("signal").GetString() == "media.unreadable");
        Assert.True(receipt.GetProperty("case_id").GetInt64() > 0);

        // JSON with image_base64 works the same way.
        var json = await ingest.PostJsonAsync("/v1/notices", new { content_id = "post-img-3", explanation = "A flag.", good_faith = true, image_base64 = Convert.ToBase64String(Fixtures.Png) });
        Assert.Equal(HttpStatusCode.Created, json.StatusCode);

        // The limits and checks of POST /v1/content; nothing is stored when refused.
        Assert.Contains("PNG, JPEG, GIF or WebP", await (await ingest.PostAsync("/v1/notices", NoticeForm("post-img-4", "not an image"u8.ToArray()))).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("limit", await (await ingest.PostAsync("/v1/notices", NoticeForm("post-img-5", [.. Fixtures.Png, .. new byte[9000]]))).ProblemAsync(413), StringComparison.Ordinal);
        Assert.Contains("base64", await (await ingest.PostJsonAsync("/v1/notices", new { content_id = "post-img-6", explanation = "x", good_faith = true, image_base64 = "%%%" })).ProblemAsync(400), StringComparison.Ordinal);
        using var unknown = NoticeForm("post-img-7", Fixtures.Png);
        unknown.Add(new StringContent("x"), "colour");
        Assert.Contains("Unknown form field", await (await ingest.PostAsync("/v1/notices", unknown)).ProblemAsync(400), StringComparison.Ordinal);
        using var noGoodFaith = new MultipartFormDataContent { { new StringContent("post-img-8"), "content_id" }, { new StringContent("x"), "explanation" }, { new StringContent("maybe"), "good_faith" } };
        Assert.Contains("good_faith", await (await ingest.PostAsync("/v1/notices", noGoodFaith)).ProblemAsync(400), StringComparison.Ordinal);
        foreach (string id in new[] { "post-img-4", "post-img-5", "post-img-6", "post-img-7", "post-img-8" })
        {
            Assert.Null(await _factory.Store.Content.FindByPlatformIdAsync(id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task The_case_page_points_to_its_order_and_says_when_and_why_its_content_was_deleted()
    {
        var ingest = _factory.Api("ingest");
        await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "post-o1" });
        var order = await LogOrderAsync("BE-2026-31", "BE", "Federal police", "post-o1", DateTimeOffset.UtcNow.AddDays(30));
        long orderId = order.GetProperty("id").GetInt64();
        long caseId = order.GetProperty("targets")[0].GetProperty("case_id").GetInt64();

        var mod = await _factory.ClientAsync("mod", browser: true);
        string page = await mod.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("id=\"case-order\"", page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"/orders/{orderId}\">BE-2026-31</a>", page, StringComparison.Ordinal);
        Assert.Contains("Federal police (BE)", page, StringComparison.Ordinal);
        Assert.Contains("id=\"case-order-countdown\" data-deadline=", page, StringComparison.Ordinal);
        Assert.Contains("withholds disclosure to the uploader", page, StringComparison.Ordinal);

        // Decided from the case page: the order is executed, the statement withheld, and the page says both.
        Assert.Equal(HttpStatusCode.Redirect, (await mod.PostAsync($"/cases/{caseId}?handler=Claim", Ui.Form(page))).StatusCode);
        page = await mod.GetStringAsync($"/cases/{caseId}");
        Assert.Equal(HttpStatusCode.Redirect, (await mod.PostAsync($"/cases/{caseId}?handler=Decide", Ui.Form(page, ("Decision", "remove"), ("Reason", "as the order says")))).StatusCode);
        page = await mod.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("Executed", page, StringComparison.Ordinal);
        Assert.Contains("id=\"statement-withheld\"", page, StringComparison.Ordinal);
        Assert.Contains("order BE-2026-31", page, StringComparison.Ordinal);
        Assert.Equal("executed", (await (await _factory.Api("admin").GetAsync($"/v1/removal-orders/{orderId}")).JsonAsync()).GetProperty("state").GetString());

        // Content kept up, deleted by retention 100 days on: the page says so instead of showing nothing.
        var kept = await (await ingest.PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "post-k1", ImageBase64 = Convert.ToBase64String(Fixtures.Png) })).JsonAsync();
        long keptCase = kept.GetProperty("case").GetProperty("id").GetInt64();
        var review = _factory.Api("review");
        await review.PostAsync($"/v1/cases/{keptCase}/claim", null);
        Assert.Equal(HttpStatusCode.Created, (await review.PostJsonAsync($"/v1/cases/{keptCase}/decision", new { decision = "keep_up", reason = "news" })).StatusCode);
        Assert.DoesNotContain("id=\"content-deleted\"", await mod.GetStringAsync($"/cases/{keptCase}"), StringComparison.Ordinal);
        var later = new Later(TimeSpan.FromDays(100));
        var run = await new Retention(_factory.Store, later, _factory.Services.GetRequiredService<ComplianceSettings>()).RunAsync(false, "test", CancellationToken.None);
        Assert.Contains(run.Items, i => i.ContentId == kept.GetProperty("id").GetInt64() && i.Rule == Retention.KeptUp);
        page = await mod.GetStringAsync($"/cases/{keptCase}");
        Assert.Contains("id=\"content-deleted\"", page, StringComparison.Ordinal);
        Assert.Contains("<code>kept_up_retention</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"case-image\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_records_page_and_its_export_hold_the_retention_in_force()
    {
        var record = await (await _factory.Api("admin").GetAsync("/v1/admin/records")).JsonAsync();
        var retention = record.GetProperty("retention");
        Assert.Equal((6, 90.0, 60.0), (retention.GetProperty("preservation_months").GetInt32(), retention.GetProperty("kept_up_retention_days").GetDouble(), retention.GetProperty("purge_interval_minutes").GetDouble()));
        Assert.Equal([Retention.PreservationEnded, Retention.KeptUp], retention.GetProperty("rules").EnumerateArray().Select(r => r.GetString()));

        var cleo = await _factory.ClientAsync("cleo", browser: true);
        string page = await cleo.GetStringAsync("/records");
        Assert.Contains("id=\"records-retention\"", page, StringComparison.Ordinal);
        Assert.Contains("90 days from receipt", page, StringComparison.Ordinal);
        Assert.Contains("every 60 minutes", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/records\"", page, StringComparison.Ordinal); // in the navigation
        var export = await cleo.GetAsync("/records?handler=Export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/json", export.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("vigil-records-", export.Content.Headers.ContentDisposition!.FileName, StringComparison.Ordinal);
        var exported = await export.JsonAsync();
        Assert.Equal(90.0, exported.GetProperty("retention").GetProperty("kept_up_retention_days").GetDouble());
        Assert.Equal(record.GetProperty("policy_version").GetString(), exported.GetProperty("policy_version").GetString());

        var mod = await _factory.ClientAsync("mod", browser: true);
        Assert.StartsWith("/denied", (await mod.GetAsync("/records")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/records\"", await mod.GetStringAsync("/queue"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_compliance_page_counts_the_removal_orders()
    {
        await _factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ContentId = "post-r1" });
        var admin = _factory.Api("admin");
        var order = await LogOrderAsync("IE-7", "IE", "Garda", "post-r1", null);
        await admin.PostAsync($"/v1/removal-orders/{order.GetProperty("id").GetInt64()}/execute", null);

        string page = System.Text.RegularExpressions.Regex.Replace(
            await (await _factory.ClientAsync("cleo", browser: true)).GetStringAsync("/compliance"), @">\s+<", "><", System.Text.RegularExpressions.RegexOptions.NonBacktracking);
        Assert.Contains("id=\"dsa-orders\"", page, StringComparison.Ordinal);
        Assert.Contains("<td>IE</td><td>terrorist_content</td><td>1</td>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"tco-orders\"", page, StringComparison.Ordinal);
        Assert.Contains("<td>executed</td><td>1</td>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"tco-orders_not_executed\"", page, StringComparison.Ordinal);
    }

    /// <summary>The real clock moved on by <paramref name="by"/> (retention looks at the time it runs).</summary>
    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + by;
    }
}
