using System.Net;
using System.Text.Json;

namespace Vigil.Server.Tests;

/// <summary>Error answers: problem JSON with a detail everywhere, an HTML page for browsers on UI routes, 401 (never a
/// redirect) on API routes, and 403s that name what was needed.</summary>
public sealed class ErrorTests : IAsyncLifetime, IDisposable
{
    private readonly VigilFactory _factory = new();

    public async Task InitializeAsync() => await _factory.SeedAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Every_error_answer_says_what_was_wrong()
    {
        var ingest = _factory.Api("ingest");
        var admin = _factory.Api("admin");
        string detail = await (await ingest.PostRawAsync("/v1/content", "caption", "text/plain")).ProblemAsync(415);
        Assert.Contains("takes application/json or multipart/form-data, not 'text/plain", detail, StringComparison.Ordinal);
        Assert.Contains("application/json", await (await ingest.PostRawAsync("/v1/classify", "caption", "text/plain")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("takes application/json", await (await admin.PostRawAsync("/v1/keys", "name=x", "application/x-www-form-urlencoded")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("takes application/json", await (await admin.PostRawAsync("/v1/webhooks", "url", "text/plain")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("multipart/form-data", await (await admin.PostRawAsync("/v1/banks/b/import", "{}")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("application/json", await (await admin.PostRawAsync("/v1/banks", "name=b", "application/x-www-form-urlencoded")).ProblemAsync(415), StringComparison.Ordinal);
        Assert.Contains("no endpoint at /v1/nothing", await (await ingest.GetAsync("/v1/nothing")).ProblemAsync(404), StringComparison.Ordinal);
        Assert.Contains("GET is not allowed on /v1/classify; it takes POST", await (await ingest.GetAsync("/v1/classify")).ProblemAsync(405), StringComparison.Ordinal);

        // Forms without their antiforgery token: the sign-in form, and a decision.
        var anonymous = await _factory.ClientAsync(null);
        var signIn = await anonymous.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "mod", ["Password"] = "x" }));
        Assert.Contains("antiforgery token is missing", await signIn.ProblemAsync(400), StringComparison.Ordinal);
        long caseId = await OpenCaseAsync();
        var mod = await _factory.ClientAsync("mod");
        var decide = await mod.PostAsync($"/cases/{caseId}?handler=Decide", new FormUrlEncodedContent(new Dictionary<string, string> { ["Decision"] = "remove", ["Reason"] = "x" }));
        Assert.Contains("antiforgery token is missing", await decide.ProblemAsync(400), StringComparison.Ordinal);
        Assert.Contains("There is no case 999", await (await mod.GetAsync("/cases/999")).ProblemAsync(404), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Browsers_get_an_html_page_for_errors_on_ui_routes_and_api_routes_stay_json()
    {
        var anonymous = await _factory.ClientAsync(null, browser: true);
        var signIn = await anonymous.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["Username"] = "mod", ["Password"] = "x" }));
        string page = await HtmlAsync(signIn, 400);
        Assert.Contains("<h1>The form could not be accepted</h1>", page, StringComparison.Ordinal);
        Assert.Contains("antiforgery token is missing", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/signin\">Sign in</a>", page, StringComparison.Ordinal);
        // The page's style is allowed by this answer's CSP nonce, as every page's.
        string csp = signIn.Headers.GetValues("Content-Security-Policy").Single();
        string nonce = csp.Split("'nonce-")[1].Split('\'')[0];
        Assert.Contains($"<style nonce=\"{nonce}\">", page, StringComparison.Ordinal);

        var mod = await _factory.ClientAsync("mod", browser: true);
        Assert.Contains("There is no case 999.", await HtmlAsync(await mod.GetAsync("/cases/999"), 404), StringComparison.Ordinal);
        string missing = await HtmlAsync(await mod.GetAsync("/no/such/page"), 404);
        Assert.Contains("There is no page at /no/such/page.", missing, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/queue\">Back to the queue</a>", missing, StringComparison.Ordinal);

        // API routes answer problem JSON, whoever asks.
        var key = _factory.Api("ingest");
        key.DefaultRequestHeaders.Accept.ParseAdd(Ui.BrowserAccept);
        await (await key.GetAsync("/v1/nothing")).ProblemAsync(404);
        await (await key.PostRawAsync("/v1/content", "caption", "text/plain")).ProblemAsync(415);
    }

    [Fact]
    public async Task Api_routes_answer_401_and_never_redirect_to_the_sign_in_page()
    {
        foreach (bool browser in new[] { false, true })
        {
            var anonymous = await _factory.ClientAsync(null, browser);
            foreach (var (method, url) in new[] { ("GET", "/openapi/v1.json"), ("GET", "/v1/nothing"), ("POST", "/v1/nothing/else"), ("GET", "/v1"), ("GET", "/v1/cases") })
            {
                var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url));
                Assert.Contains("API key", await response.ProblemAsync(401), StringComparison.Ordinal);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            }

            // UI routes still send a visitor to the sign-in page.
            var queue = await anonymous.GetAsync("/queue");
            Assert.Equal(HttpStatusCode.Redirect, queue.StatusCode);
            Assert.StartsWith("/signin", queue.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        // A signed-in reviewer reads the OpenAPI document (the API page links it); so does any key.
        var analyst = await _factory.ClientAsync("analyst");
        Assert.Equal(HttpStatusCode.OK, (await analyst.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.Api("ingest").GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task A_403_names_the_scope_or_role_that_was_needed()
    {
        var ingest = _factory.Api("ingest");
        Assert.Contains("needs: the admin scope (the key has ingest)", await (await ingest.GetAsync("/v1/keys")).ProblemAsync(403), StringComparison.Ordinal);
        Assert.Contains("needs: one of the scopes review, admin", await (await ingest.GetAsync("/v1/banks")).ProblemAsync(403), StringComparison.Ordinal);
        Assert.Contains("needs: the review scope", await (await _factory.Api("admin").GetAsync("/v1/cases")).ProblemAsync(403), StringComparison.Ordinal);

        var analyst = await _factory.ClientAsync("analyst");
        var audit = await analyst.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, audit.StatusCode);
        string denied = audit.Headers.Location!.PathAndQuery;
        Assert.Contains("This needs the admin role; you are signed in as analyst", await DeniedAsync(analyst, denied), StringComparison.Ordinal);

        long caseId = await OpenCaseAsync();
        string page = await analyst.GetStringAsync($"/cases/{caseId}");
        var decide = await analyst.PostAsync($"/cases/{caseId}?handler=Decide", Ui.Form(page, ("Decision", "remove"), ("Reason", "no")));
        Assert.Equal(HttpStatusCode.Redirect, decide.StatusCode);
        Assert.Contains("This needs one of the roles admin, moderator", await DeniedAsync(analyst, decide.Headers.Location!.PathAndQuery), StringComparison.Ordinal);

        // Only role names are shown, whatever the link says.
        Assert.Contains("Your role does not allow this", await DeniedAsync(analyst, "/denied?needs=%3Cb%3Eroot"), StringComparison.Ordinal);
    }

    private static async Task<string> DeniedAsync(HttpClient client, string url)
    {
        Assert.StartsWith("/denied", url, StringComparison.Ordinal);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> HtmlAsync(HttpResponseMessage response, int status)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", body, StringComparison.Ordinal);
        return body;
    }

    private async Task<long> OpenCaseAsync()
    {
        var content = await (await _factory.Api("ingest").PostJsonAsync("/v1/content", new { Text = Fixtures.ReviewText })).JsonAsync();
        Assert.Equal(JsonValueKind.Object, content.GetProperty("case").ValueKind);
        return content.GetProperty("case").GetProperty("id").GetInt64();
    }
}
