using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Server.Tests;

/// <summary>
/// Every endpoint and page of the app's own route table, called by every kind of caller; the answers must be those of
/// <see cref="Expected"/>, and a route without a row there fails the test (docs/service.md, "Authorization matrix").
/// </summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime, IDisposable
{
    /// <summary>The callers, in the order of the columns of <see cref="Expected"/>.</summary>
    private static readonly string[] Callers = ["anonymous", "key:ingest", "key:review", "key:admin", "analyst", "moderator", "admin", "disabled-cookie", "revoked-key", "compliance"];

    /// <summary>
    /// The one table of expected answers: per route (method and pattern), one answer per caller (columns as
    /// <see cref="Callers"/>). <c>ok</c>: let through (whatever the endpoint then answers); <c>401</c>, <c>403</c>: refused
    /// with that status; <c>signin</c>, <c>denied</c>: a redirect to the sign-in page or to /denied.
    /// </summary>
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        // Columns: no credentials; keys with ingest, review, admin; sessions of an analyst, a moderator, an admin; a disabled
        // user's old cookie; a revoked key; a session of a compliance officer.
        ["DELETE /v1/banks/{name}/entries/{signal_type}/{value}"] = "401     403     403     ok      401     401     401     401     401     401",
        ["DELETE /v1/keys/{id}"] = "401     403     403     ok      401     401     401     401     401     401",
        ["DELETE /v1/webhooks/{id:long}"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /account/password"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /account/two-factor"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /audit"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  denied",
        ["GET /cases/{id:long}"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /compliance"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /denied"] = "signin  signin  signin  signin  403     403     403     signin  signin  403",
        ["GET /docs"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /health"] = "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok",
        ["GET /health/ready"] = "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok",
        ["GET /openapi/{documentName}.json"] = "401     ok      ok      ok      ok      ok      ok      401     401     ok",
        ["GET /orders"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /orders/{id:long}"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /orders/{id:long}/{annex}"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /preservation"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /queue"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /records"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /signin"] = "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok",
        ["GET /signin/code"] = "signin  signin  signin  signin  signin  signin  signin  signin  signin  signin",
        ["GET /signout"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /ui/content/{id:long}/image"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["GET /ui/orders/{id:long}/annex-ii.json"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /ui/orders/{id:long}/annex-iii.json"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /ui/orders/{id:long}/document"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["GET /users"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  denied",
        ["GET /v1/admin/dead-letters"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/admin/records"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/audit/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/audit/verify"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/banks/"] = "401     403     ok      ok      401     401     401     401     401     401",
        ["GET /v1/banks/{name}"] = "401     403     ok      ok      401     401     401     401     401     401",
        ["GET /v1/banks/{name}/entries"] = "401     403     ok      ok      401     401     401     401     401     401",
        ["GET /v1/banks/{name}/export"] = "401     403     ok      ok      401     401     401     401     401     401",
        ["GET /v1/cases/"] = "401     403     ok      403     401     401     401     401     401     401",
        ["GET /v1/cases/{id:long}"] = "401     403     ok      403     401     401     401     401     401     401",
        ["GET /v1/complaints/{id:long}"] = "401     ok      ok      403     401     401     401     401     401     401",
        ["GET /v1/content/{id:long}"] = "401     ok      ok      403     401     401     401     401     401     401",
        ["GET /v1/keys/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/policy"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/queues"] = "401     403     ok      403     401     401     401     401     401     401",
        ["GET /v1/removal-orders/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/removal-orders/{id:long}"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/removal-orders/{id:long}/annex-ii"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/removal-orders/{id:long}/annex-iii"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/users/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/users/{name}/sessions"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/webhooks/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["GET /v1/webhooks/{id:long}/deliveries"] = "401     403     403     ok      401     401     401     401     401     401",
        ["PATCH /v1/banks/{name}"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /account/password"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /account/two-factor"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /audit"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  denied",
        ["POST /cases/{id:long}"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /compliance"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /denied"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /docs"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /orders"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /orders/{id:long}"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /orders/{id:long}/{annex}"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /preservation"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /queue"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /records"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  ok",
        ["POST /signin"] = "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok",
        ["POST /signin/code"] = "ok      ok      ok      ok      ok      ok      ok      ok      ok      ok",
        ["POST /signout"] = "signin  signin  signin  signin  ok      ok      ok      signin  signin  ok",
        ["POST /users"] = "signin  signin  signin  signin  denied  denied  ok      signin  signin  denied",
        ["POST /v1/banks/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/banks/{name}/disable"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/banks/{name}/enable"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/banks/{name}/entries"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/banks/{name}/import"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/cases/{id:long}/claim"] = "401     403     ok      403     401     401     401     401     401     401",
        ["POST /v1/cases/{id:long}/decision"] = "401     403     ok      403     401     401     401     401     401     401",
        ["POST /v1/cases/{id:long}/release"] = "401     403     ok      403     401     401     401     401     401     401",
        ["POST /v1/classify"] = "401     ok      403     403     401     401     401     401     401     401",
        ["POST /v1/complaints"] = "401     ok      403     403     401     401     401     401     401     401",
        ["POST /v1/complaints/{id:long}/decision"] = "401     403     ok      403     401     401     401     401     401     401",
        ["POST /v1/content"] = "401     ok      403     403     401     401     401     401     401     401",
        ["POST /v1/keys/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/notices"] = "401     ok      403     403     401     401     401     401     401     401",
        ["POST /v1/removal-orders/"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/removal-orders/{id:long}/execute"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/removal-orders/{id:long}/resume"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/removal-orders/{id:long}/stop"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/disable"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/enable"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/reset-password"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/reset-two-factor"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/role"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/users/{name}/signout"] = "401     403     403     ok      401     401     401     401     401     401",
        ["POST /v1/webhooks/"] = "401     403     403     ok      401     401     401     401     401     401",
    };

    // Enough wrong keys for every route: the lockout of an address after 20 would turn the revoked key's answers into 429.
    private readonly VigilFactory _factory = new(new() { ["Vigil:ApiKeyFailuresPerAddress"] = "100000" });
    private readonly Dictionary<string, string> _cookies = [];
    private readonly HashSet<string> _multipart = [];
    private string _revokedKey = "";
    private string _disabledCookie = "";

    public async Task InitializeAsync()
    {
        await _factory.SeedAsync();
        var users = _factory.Services.GetRequiredService<UserAccounts>();
        await users.AddAsync("gone", null, Role.Moderator, VigilFactory.Password, "test", CancellationToken.None);
        _disabledCookie = await SignInAsync("gone");
        await _factory.Services.GetRequiredService<UserLifecycle>().DisableAsync("gone", "test", CancellationToken.None);
        var keys = _factory.Services.GetRequiredService<ApiKeys>();
        var (key, secret) = await keys.CreateAsync("revoked", ApiScopes.Ingest | ApiScopes.Review | ApiScopes.Admin, "test", CancellationToken.None);
        await keys.RevokeAsync(key.Id, "test", CancellationToken.None);
        _revokedKey = secret;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Every_route_answers_every_caller_as_the_table_says()
    {
        var routes = Routes();
        Assert.True(routes.Count > 40, $"only {routes.Count} routes found");
        var missing = new StringBuilder();
        var wrong = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            string route = $"{method} {pattern}";
            var answers = new List<string>();
            foreach (var caller in Callers)
            {
                answers.Add(await CallAsync(method, Concrete(pattern), caller, _multipart.Contains(route)));
            }

            string actual = string.Join(' ', answers.Select(a => a.PadRight(7)));
            if (!Expected.TryGetValue(route, out var expected))
            {
                missing.AppendLine($"        [\"{route}\"] = \"{actual.TrimEnd()}\",");
            }
            else if (Normalize(expected) != Normalize(actual))
            {
                wrong.Add($"{route}: expected {Normalize(expected)}, got {Normalize(actual)}");
            }
        }

        Assert.True(missing.Length == 0, "routes without a row in the table (add them, with the answers they should give):\n" + missing);
        Assert.Empty(wrong);
        Assert.Empty(Expected.Keys.Except(routes.Select(r => $"{r.Method} {r.Pattern}"))); // no row for a route that is gone
    }

    private static string Normalize(string row) => string.Join(' ', row.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Every route of the app: minimal API endpoints with their methods, pages with GET and POST.</summary>
    private List<(string Method, string Pattern)> Routes()
    {
        var source = _factory.Services.GetRequiredService<EndpointDataSource>();
        var routes = new SortedSet<(string, string)>();
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            string pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            bool multipart = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes is { } types
                && types.Contains("multipart/form-data") && !types.Contains("application/json");
            foreach (var method in methods)
            {
                routes.Add((method, pattern));
                if (multipart)
                {
                    _multipart.Add($"{method} {pattern}");
                }
            }
        }

        return [.. routes];
    }

    /// <summary>A path for a pattern: parameters filled with values that exist or not (authorization comes first).</summary>
    private static string Concrete(string pattern)
    {
        var path = new StringBuilder();
        int i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '{')
            {
                int end = pattern.IndexOf('}', i);
                string name = pattern[(i + 1)..end].Split(':')[0].TrimStart('*');
                path.Append(name switch
                {
                    "documentName" => "v1",
                    "name" => "nobody",
                    _ when pattern[(i + 1)..end].Contains(":long", StringComparison.Ordinal) || pattern[(i + 1)..end].Contains(":int", StringComparison.Ordinal) => "999999",
                    _ => "none",
                });
                i = end + 1;
            }
            else
            {
                path.Append(pattern[i++]);
            }
        }

        return path.ToString();
    }

    private async Task<string> CallAsync(string method, string path, string caller, bool multipart)
    {
        var client = _factory.CreateDefaultClient(VigilFactory.BaseAddress);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT" or "PATCH")
        {
            // The content type the endpoint takes (else routing answers 415 before authorization is asked).
            request.Content = multipart
                ? new MultipartFormDataContent { { new StringContent("x"), "file", "x.txt" } }
                : new StringContent("{}", Encoding.UTF8, "application/json");
        }

        switch (caller)
        {
            case "anonymous":
                break;
            case "revoked-key":
                request.Headers.Authorization = new("Bearer", _revokedKey);
                break;
            case "disabled-cookie":
                request.Headers.Add("Cookie", _disabledCookie);
                break;
            case var key when key.StartsWith("key:", StringComparison.Ordinal):
                request.Headers.Authorization = new("Bearer", _factory.Keys[key[4..]]);
                break;
            default:
                // A fresh session for a call that may end it (signing out), the same one otherwise.
                if (!_cookies.TryGetValue(caller, out var cookie) || method != "GET")
                {
                    cookie = _cookies[caller] = await SignInAsync(caller switch { "moderator" => "mod", "compliance" => "cleo", _ => caller });
                }

                request.Headers.Add("Cookie", cookie);
                break;
        }

        var response = await client.SendAsync(request);
        var location = response.Headers.Location;
        string? target = location is null ? null : location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString.Split('?')[0];
        return (response.StatusCode, target) switch
        {
            (HttpStatusCode.Unauthorized, _) => "401",
            (HttpStatusCode.Forbidden, _) => "403",
            (HttpStatusCode.Redirect, "/signin") => "signin",
            (HttpStatusCode.Redirect, "/denied") => "denied",
            // Let through: the endpoint answered (with its result, or a complaint about the empty or made-up request).
            ({ } status, _) when (int)status < 400 || status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed
                or HttpStatusCode.Conflict or HttpStatusCode.UnsupportedMediaType => "ok",
            ({ } status, _) => ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), // 429, 500: never expected
        };
    }

    /// <summary>Signs in and returns the session cookie (name=value).</summary>
    private async Task<string> SignInAsync(string user)
    {
        var client = await _factory.ClientAsync(null);
        string page = await client.GetStringAsync("/signin");
        var response = await client.PostAsync("/signin", Ui.Form(page, ("Username", user), ("Password", VigilFactory.Password)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil.session=", StringComparison.Ordinal)).Split(';')[0];
    }
}
