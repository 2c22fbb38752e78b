using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Vigil.Server.Tests;

/// <summary>Failed sign-ins and API keys are throttled per account and client address; each key has a request rate.</summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task The_sixth_wrong_password_in_a_minute_is_locked_out_and_audited_whether_or_not_the_account_exists()
    {
        using var factory = new VigilFactory();
        await factory.SeedAsync();
        foreach (var (name, address) in new[] { ("mod", "192.0.2.10"), ("nobody", "192.0.2.11") })
        {
            var client = await ClientFromAsync(factory, address);
            string page = await client.GetStringAsync("/signin");
            var clock = Stopwatch.StartNew();
            for (int attempt = 1; attempt <= 5; attempt++)
            {
                var wrong = await client.PostAsync("/signin", Ui.Form(page, ("Username", name), ("Password", "not the password")));
                Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
                Assert.Contains("not right", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // From the second failure the answers are delayed: 0.25 + 0.5 + 1 + 2 s.
            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3.5), $"five failures took {clock.Elapsed.TotalSeconds:0.00} s");

            // The sixth attempt is refused without a check, even with the right password, and says when to try again.
            var locked = await client.PostAsync("/signin", Ui.Form(page, ("Username", name), ("Password", VigilFactory.Password)));
            Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
            Assert.InRange(int.Parse(locked.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 200, 300);
            string body = await locked.Content.ReadAsStringAsync();
            Assert.Contains("Too many failed sign-ins", body, StringComparison.Ordinal);
            var elsewhere = await ClientFromAsync(factory, "192.0.2.99"); // the account is locked from every address
            Assert.Equal(HttpStatusCode.TooManyRequests, (await elsewhere.PostAsync("/signin", Ui.Form(await elsewhere.GetStringAsync("/signin"), ("Username", name), ("Password", VigilFactory.Password)))).StatusCode);
        }

        // One failure entry per name and window (the others counted), and one lockout entry, the same for both names.
        var audit = await factory.Store.Audit.ListAsync(100, null, CancellationToken.None);
        foreach (var name in new[] { "mod", "nobody" })
        {
            Assert.Single(audit, e => e.Action == "signin.failed" && e.Subject == $"user:{name}");
            var lockout = Assert.Single(audit, e => e.Action == "signin.locked" && e.Subject == $"user:{name}");
            var details = JsonDocument.Parse(lockout.DetailsJson).RootElement;
            Assert.Equal(("account", 5), (details.GetProperty("locked").GetString(), details.GetProperty("failures").GetInt32()));
            Assert.Equal(4, details.GetProperty("failures_not_logged").GetInt32());
        }
    }

    [Fact]
    public async Task A_client_address_that_fails_too_often_is_locked_out_for_every_name()
    {
        using var factory = new VigilFactory(new() { ["Vigil:SignInFailuresPerAddress"] = "3" });
        await factory.SeedAsync();
        var client = await ClientFromAsync(factory, "198.51.100.7");
        string page = await client.GetStringAsync("/signin");
        foreach (var name in new[] { "a1", "a2", "a3" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/signin", Ui.Form(page, ("Username", name), ("Password", "x")))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/signin", Ui.Form(page, ("Username", "analyst"), ("Password", VigilFactory.Password)))).StatusCode);
        var other = await ClientFromAsync(factory, "198.51.100.8");
        Assert.Equal(HttpStatusCode.Redirect, (await other.PostAsync("/signin", Ui.Form(await other.GetStringAsync("/signin"), ("Username", "analyst"), ("Password", VigilFactory.Password)))).StatusCode);
        var lockout = Assert.Single(await factory.Store.Audit.ListAsync(100, null, CancellationToken.None), e => e.Action == "signin.locked");
        Assert.Equal("address", JsonDocument.Parse(lockout.DetailsJson).RootElement.GetProperty("locked").GetString());
    }

    [Fact]
    public async Task An_over_long_name_is_refused_unread_and_audited_capped()
    {
        using var factory = new VigilFactory();
        await factory.SeedAsync();
        var client = await ClientFromAsync(factory, "192.0.2.20");
        string page = await client.GetStringAsync("/signin");
        string huge = new('n', 12_000);
        var response = await client.PostAsync("/signin", Ui.Form(page, ("Username", huge), ("Password", "x")));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.RequestEntityTooLarge, $"{response.StatusCode}");
        Assert.DoesNotContain(huge, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var entries = await factory.Store.Audit.ListAsync(100, null, CancellationToken.None);
        Assert.All(entries, e => Assert.True(e.Subject.Length + e.DetailsJson.Length < 200, $"{e.Action}: {e.Subject.Length + e.DetailsJson.Length} characters"));
        if (response.StatusCode == HttpStatusCode.OK)
        {
            var failed = Assert.Single(entries, e => e.Action == "signin.failed");
            Assert.Equal("user:?", failed.Subject);
            Assert.Equal(huge.Length, JsonDocument.Parse(failed.DetailsJson).RootElement.GetProperty("name_length").GetInt32());
        }
    }

    [Fact]
    public async Task Wrong_api_keys_are_throttled_per_client_address()
    {
        using var factory = new VigilFactory(new() { ["Vigil:ApiKeyFailuresPerAddress"] = "3" });
        await factory.SeedAsync();
        var forged = factory.Api(null);
        forged.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "203.0.113.5");
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "vgl_000000000000_nottherealsecret");
        for (int i = 0; i < 3; i++)
        {
            await (await forged.GetAsync("/v1/cases")).ProblemAsync(401);
        }

        var refused = await forged.GetAsync("/v1/cases");
        Assert.Contains("Too many requests with a wrong or revoked API key", await refused.ProblemAsync(429), StringComparison.Ordinal);
        Assert.NotNull(refused.Headers.RetryAfter);

        // The address is refused whatever key it sends now; another address is not.
        var sameAddress = factory.Api("review");
        sameAddress.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "203.0.113.5");
        await (await sameAddress.GetAsync("/v1/cases")).ProblemAsync(429);
        var elsewhere = factory.Api("review");
        elsewhere.DefaultRequestHeaders.Add(TestRemoteAddress.Header, "203.0.113.6");
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/v1/cases")).StatusCode);
    }

    [Fact]
    public async Task Each_key_has_a_request_rate_beyond_which_it_gets_429_with_retry_after()
    {
        using var factory = new VigilFactory(new() { ["Vigil:ApiRequestsPerMinute"] = "3" });
        await factory.SeedAsync();
        var review = factory.Api("review");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await review.GetAsync("/v1/queues")).StatusCode);
        }

        var limited = await review.GetAsync("/v1/queues");
        Assert.Contains("3 requests a minute", await limited.ProblemAsync(429), StringComparison.Ordinal);
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
        Assert.Equal(HttpStatusCode.OK, (await factory.Api("review2").GetAsync("/v1/queues")).StatusCode); // another key's bucket
        Assert.Equal(HttpStatusCode.OK, (await factory.Api(null).GetAsync("/health")).StatusCode); // not the API
    }

    private static async Task<HttpClient> ClientFromAsync(VigilFactory factory, string address)
    {
        var client = await factory.ClientAsync(null);
        client.DefaultRequestHeaders.Add(TestRemoteAddress.Header, address);
        return client;
    }
}
