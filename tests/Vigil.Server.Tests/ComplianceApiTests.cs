using System.Net;

namespace Vigil.Server.Tests;

/// <summary><c>POST /v1/notices</c> and <c>/v1/complaints</c> through the API, with its keys.</summary>
public sealed class ComplianceApiTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task A_notice_is_acknowledged_decided_contested_and_the_complaint_refused_to_the_deciders_key()
    {
        var ingest = _factory.Api("ingest");
        var notice = await ingest.PostJsonAsync("/v1/notices", new
        {
            content_id = "post-n1",
            explanation = "It glorifies an attack.",
            notifier_email = "n@example.org",
            good_faith = true,
            trusted_flagger = true,
            text = "the gardening club meets on tuesday",
        });
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        var receipt = await notice.JsonAsync();
        long caseId = receipt.GetProperty("case_id").GetInt64();
        Assert.Equal(85, receipt.GetProperty("priority").GetInt32());
        Assert.Contains("received", receipt.GetProperty("acknowledgement").GetString(), StringComparison.Ordinal);

        Assert.Contains("good_faith", await (await ingest.PostJsonAsync("/v1/notices", new { content_id = "post-n1", explanation = "x" })).ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("carry the content", await (await ingest.PostJsonAsync("/v1/notices", new { content_id = "post-unknown", explanation = "x", good_faith = true })).ProblemAsync(422), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Api("review").PostJsonAsync("/v1/notices", new { content_id = "post-n1" })).StatusCode);

        var review = _factory.Api("review");
        Assert.Equal(HttpStatusCode.OK, (await review.PostAsync($"/v1/cases/{caseId}/claim", null)).StatusCode);
        var decided = await review.PostJsonAsync($"/v1/cases/{caseId}/decision", new { decision = "remove", reason = "glorification" });
        Assert.Equal(HttpStatusCode.Created, decided.StatusCode);
        long decisionId = (await decided.JsonAsync()).GetProperty("id").GetInt64();

        var complaint = await ingest.PostJsonAsync("/v1/complaints", new { decision_id = decisionId, complainant = "uploader", explanation = "It was satire." });
        Assert.Equal(HttpStatusCode.Created, complaint.StatusCode);
        long complaintId = (await complaint.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Contains("open complaint", await (await ingest.PostJsonAsync("/v1/complaints", new { decision_id = decisionId, complainant = "uploader", explanation = "Again." })).ProblemAsync(409), StringComparison.Ordinal);

        var same = await review.PostJsonAsync($"/v1/complaints/{complaintId}/decision", new { outcome = "reversed", reason = "satire" });
        Assert.Contains("someone else decides", await same.ProblemAsync(403), StringComparison.Ordinal);
        var other = await _factory.Api("review2").PostJsonAsync($"/v1/complaints/{complaintId}/decision", new { outcome = "reversed", reason = "satire" });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("reversed", (await other.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal("reversed", (await (await review.GetAsync($"/v1/complaints/{complaintId}")).JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await review.GetAsync("/v1/complaints/999")).StatusCode);
    }

    [Fact]
    public async Task The_record_of_measures_lists_the_policy_its_thresholds_and_every_bank_change_with_who_and_when()
    {
        var admin = _factory.Api("admin");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJsonAsync("/v1/banks", new { name = "tvec", description = "known terrorist content" })).StatusCode);
        var response = await admin.GetAsync("/v1/admin/records");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(record.GetProperty("policy_version").GetString()));
        Assert.True(record.GetProperty("thresholds").GetProperty("terrorism.support").GetProperty("review").GetDouble() > 0);
        var change = Assert.Single(record.GetProperty("changes").EnumerateArray(), c => c.GetProperty("action").GetString() == "bank.created");
        Assert.Equal("bank:tvec", change.GetProperty("subject").GetString());
        Assert.StartsWith("key:", change.GetProperty("actor").GetString(), StringComparison.Ordinal);
        Assert.Equal("known terrorist content", Assert.Single(record.GetProperty("banks").EnumerateArray()).GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await _factory.Api("review").GetAsync("/v1/admin/records")).StatusCode);
    }
}
