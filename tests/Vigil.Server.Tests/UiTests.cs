using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Vigil.Server.Tests;

/// <summary>The review UI over HTTP: roles, CSRF, sign-in audit, wellbeing cap.</summary>
public sealed class UiTests : IAsyncLifetime, IDisposable
{
    private readonly string _policy = Path.Combine(Path.GetTempPath(), $"vigil-policy-{Guid.NewGuid():N}.json");
    private VigilFactory _factory = null!;

    public async Task InitializeAsync()
    {
        // A strict policy, so that the neutral fixture is violating (and counts towards the wellbeing cap): its strong
        // coded term brings propaganda to the review threshold, which here is also the violating one.
        await File.WriteAllTextAsync(_policy, """
            { "version": "strict-test", "categories": { "terrorism.propaganda": { "review": 0.2, "violating": 0.2 } } }
            """);
        _factory = new VigilFactory(new() { ["Vigil:Policy"] = _policy, ["Vigil:WellbeingDailyCap"] = "1" });
        await _factory.SeedAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _factory.Dispose();
        File.Delete(_policy);
    }

    [Fact]
    public async Task Roles_decide_what_a_reviewer_may_do()
    {
        long caseId = await SubmitAsync();
        var analyst = await SignInAsync("analyst");
        var page = await analyst.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("can read cases but not decide", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"decide\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"claim\"", page, StringComparison.Ordinal);
        var claim = await analyst.PostAsync($"/cases/{caseId}?handler=Claim", Form(page));
        Assert.StartsWith("/denied", claim.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Null((await _factory.Store.Cases.GetAsync(caseId, CancellationToken.None))!.ClaimedBy);
        var post = await analyst.PostAsync($"/cases/{caseId}?handler=Decide", Form(page, ("Decision", "remove"), ("Reason", "no")));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.StartsWith("/denied", post.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Empty(await _factory.Store.Cases.ListDecisionsAsync(caseId, CancellationToken.None));

        foreach (var user in new[] { "analyst", "mod" })
        {
            var client = await SignInAsync(user);
            var audit = await client.GetAsync("/audit");
            Assert.StartsWith("/denied", audit.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            Assert.StartsWith("/denied", (await client.GetAsync("/compliance")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        var admin = await SignInAsync("admin");
        Assert.Contains("The hash chain verifies", await admin.GetStringAsync("/audit"), StringComparison.Ordinal);
        string compliance = await admin.GetStringAsync("/compliance");
        Assert.Contains("id=\"dsa-complaints\"", compliance, StringComparison.Ordinal);
        Assert.Contains("id=\"tco-measures\"", compliance, StringComparison.Ordinal);
        Assert.Contains("id=\"dsa-orders\"", compliance, StringComparison.Ordinal);
        Assert.Contains("href=\"/records\"", compliance, StringComparison.Ordinal);
        Assert.Contains("Record of measures", await admin.GetStringAsync("/records"), StringComparison.Ordinal);
        Assert.Contains("Give the first and last day", await admin.GetStringAsync("/compliance?from=2026-02-01&to=2026-01-01"), StringComparison.Ordinal);
        Assert.Contains("/v1/cases/{id}/decision", await admin.GetStringAsync("/docs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_moderator_decides_with_a_reason_and_forms_need_the_csrf_token()
    {
        long caseId = await SubmitAsync();
        var mod = await SignInAsync("mod");
        string page = await mod.GetStringAsync($"/cases/{caseId}");

        // Opening the case claims nothing: the page offers Claim, a POST with the form's token.
        Assert.Contains("id=\"claim\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"decide\"", page, StringComparison.Ordinal);
        Assert.Null((await _factory.Store.Cases.GetAsync(caseId, CancellationToken.None))!.ClaimedBy);
        Assert.Equal(HttpStatusCode.BadRequest, (await mod.PostAsync($"/cases/{caseId}?handler=Claim", new FormUrlEncodedContent([]))).StatusCode);
        var claim = await mod.PostAsync($"/cases/{caseId}?handler=Claim", Form(page));
        Assert.Equal(HttpStatusCode.Redirect, claim.StatusCode);
        Assert.Equal($"/cases/{caseId}", claim.Headers.Location!.OriginalString);
        Assert.Equal("user:mod", (await _factory.Store.Cases.GetAsync(caseId, CancellationToken.None))!.ClaimedBy);
        page = await mod.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("id=\"decide\"", page, StringComparison.Ordinal);
        Assert.Contains("You hold this case", page, StringComparison.Ordinal);
        Assert.Contains("class=\"blurred\"", page, StringComparison.Ordinal);

        var forged = await mod.PostAsync($"/cases/{caseId}?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string> { ["Decision"] = "remove", ["Reason"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var noReason = await mod.PostAsync($"/cases/{caseId}?handler=Decide", Form(page, ("Decision", "remove"), ("Reason", " ")));
        Assert.Contains("Give a reason", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var other = await SignInAsync("mod2");
        string otherPage = await other.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("user:mod is working on this case", otherPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"claim\"", otherPage, StringComparison.Ordinal);
        Assert.Contains("Another reviewer holds this case", await (await other.PostAsync($"/cases/{caseId}?handler=Claim", Form(otherPage))).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var decided = await mod.PostAsync($"/cases/{caseId}?handler=Decide", Form(page, ("Decision", "report_threat_to_life"), ("Reason", "explicit threat, reported")));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        var decision = Assert.Single(await _factory.Store.Cases.ListDecisionsAsync(caseId, CancellationToken.None));
        Assert.Equal(("user:mod", "strict-test"), (decision.DecidedBy, decision.PolicyVersion));
        Assert.True((await _factory.Store.Cases.GetAsync(caseId, CancellationToken.None))!.ThreatToLife);
    }

    [Fact]
    public async Task Violating_items_count_towards_the_daily_cap_which_suggests_a_pause()
    {
        long caseId = await SubmitAsync();
        var mod = await SignInAsync("mod");
        Assert.Contains("Seen today: 0 / 1", await mod.GetStringAsync("/queue"), StringComparison.Ordinal);
        string page = await mod.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("Seen today: 1 / 1", page, StringComparison.Ordinal);
        Assert.Contains("take a break", page, StringComparison.Ordinal);
        Assert.Contains("Seen today: 1 / 1", await mod.GetStringAsync($"/cases/{caseId}"), StringComparison.Ordinal); // once per case and day
    }

    [Fact]
    public async Task Sign_in_failures_are_refused_and_audited()
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = VigilFactory.BaseAddress });
        string page = await client.GetStringAsync("/signin");
        var response = await client.PostAsync("/signin", Form(page, ("Username", "mod"), ("Password", "wrong password")));
        Assert.Contains("not right", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await _factory.Store.Audit.ListAsync(10, null, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "signin.failed" && e.Subject == "user:mod");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/queue")).StatusCode);
    }

    private async Task<long> SubmitAsync()
    {
        var content = await (await _factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText, ImageBase64 = Convert.ToBase64String(Fixtures.Png), AuthorId = "a-1" })).JsonAsync();
        Assert.Equal("violating", content.GetProperty("result").GetProperty("verdict").GetString());
        return content.GetProperty("case").GetProperty("id").GetInt64();
    }

    private Task<HttpClient> SignInAsync(string user) => _factory.ClientAsync(user);

    private static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields) => Ui.Form(page, fields);
}
