using System.Net;
using Vigil.Storage.Users;

namespace Vigil.Server.Tests;

/// <summary>Single sign-on against a minimal OpenID Connect provider started on loopback by the test.</summary>
public sealed class SingleSignOnTests
{
    [Fact]
    public async Task An_oidc_sign_in_maps_a_group_to_a_role_and_refuses_someone_in_no_mapped_group()
    {
        await using var provider = await OidcProvider.StartAsync();
        using var factory = new VigilFactory(new()
        {
            ["Vigil:Oidc:Authority"] = provider.Issuer,
            ["Vigil:Oidc:ClientId"] = OidcProvider.ClientId,
            ["Vigil:Oidc:ClientSecret"] = OidcProvider.ClientSecret,
            ["Vigil:Oidc:RequireHttpsMetadata"] = "false",
            ["Vigil:Oidc:Roles:moderator"] = "trust-and-safety",
            ["Vigil:Oidc:Roles:admin"] = "vigil-admins, security",
        });
        await factory.SeedAsync();

        provider.NextUser = ("dana", ["staff", "trust-and-safety"]);
        var dana = await SignInAsync(factory, provider);
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("/queue")).StatusCode);
        var denied = await dana.GetAsync("/audit");
        Assert.Equal("/denied", denied.Headers.Location!.AbsolutePath); // a moderator
        Assert.Equal(Role.Moderator, (await factory.Store.Users.GetAsync("dana", CancellationToken.None))!.Role);

        // Her groups change at the provider: the next sign-in gives the new role (audited).
        provider.NextUser = ("dana", ["security"]);
        var again = await SignInAsync(factory, provider);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/audit")).StatusCode);
        Assert.Equal("oidc", Assert.Single(await factory.Store.Users.ListSessionsAsync("dana", DateTimeOffset.UtcNow, CancellationToken.None)).Via);
        var audit = await factory.Store.Audit.ListAsync(100, null, CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "user.role_changed" && e.Subject == "user:dana" && e.Actor == "oidc");

        // In no mapped group: refused, told so, audited. A local account's name is never taken over.
        foreach (var (user, groups) in new[] { ("eve", new[] { "staff" }), ("mod", new[] { "vigil-admins" }) })
        {
            provider.NextUser = (user, groups);
            var client = await factory.ClientAsync(null);
            var end = await FollowAsync(client, provider);
            Assert.Equal("/signin?sso=refused", end.Headers.Location!.IsAbsoluteUri ? end.Headers.Location.PathAndQuery : end.Headers.Location.OriginalString);
            Assert.Contains("did not let you in", await client.GetStringAsync("/signin?sso=refused"), StringComparison.Ordinal);
        }

        Assert.Null(await factory.Store.Users.GetAsync("eve", CancellationToken.None));
        Assert.Equal(Role.Moderator, (await factory.Store.Users.GetAsync("mod", CancellationToken.None))!.Role);
        Assert.Equal(2, (await factory.Store.Audit.ListAsync(100, null, CancellationToken.None)).Count(e => e.Action == "signin.failed" && e.DetailsJson.Contains("oidc", StringComparison.Ordinal)));
    }

    private static async Task<HttpClient> SignInAsync(VigilFactory factory, OidcProvider provider)
    {
        var client = await factory.ClientAsync(null);
        var end = await FollowAsync(client, provider);
        Assert.Equal("/queue", end.Headers.Location!.IsAbsoluteUri ? end.Headers.Location.PathAndQuery : end.Headers.Location.OriginalString);
        return client;
    }

    /// <summary>The browser's round trip: the sign-in page's SSO link, the provider (which signs in at once), and back.</summary>
    private static async Task<HttpResponseMessage> FollowAsync(HttpClient client, OidcProvider provider)
    {
        Assert.Contains("id=\"sso\"", await client.GetStringAsync("/signin"), StringComparison.Ordinal);
        var toProvider = await client.GetAsync("/signin?handler=Sso");
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        Assert.StartsWith(provider.Issuer + "/authorize", toProvider.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var back = await browser.GetAsync(toProvider.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        var callback = back.Headers.Location!;
        Assert.Equal("/signin-oidc", callback.AbsolutePath);
        var end = await client.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        return end;
    }
}
