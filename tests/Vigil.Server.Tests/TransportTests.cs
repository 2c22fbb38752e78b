using System.Net;

namespace Vigil.Server.Tests;

/// <summary>Behind a TLS-terminating proxy: forwarded headers believed from the configured proxies only, Secure cookies,
/// HSTS; plain HTTP only when allowed, and then from this machine only.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task A_configured_proxy_forwards_https_and_the_client_address_and_gets_secure_cookies_and_hsts()
    {
        using var factory = new VigilFactory(new() { ["Vigil:ForwardedProxies"] = "10.1.2.3" });
        var client = factory.CreateDefaultClient(new Uri("http://vigil.example"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add(TestRemoteAddress.Header, "10.1.2.3");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
        Assert.Contains("secure", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil.csrf", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_from_anyone_else_are_ignored()
    {
        using var factory = new VigilFactory(new() { ["Vigil:ForwardedProxies"] = "10.1.2.3" });
        var client = factory.CreateDefaultClient(new Uri("http://vigil.example"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin");
        request.Headers.Add(TestRemoteAddress.Header, "192.0.2.50");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request);
        Assert.False(response.Headers.Contains("Strict-Transport-Security")); // still plain HTTP: refused for the UI
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("needs HTTPS", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_when_allowed_serves_loopback_clients_only_and_without_secure_cookies()
    {
        using var factory = new VigilFactory(new() { ["Vigil:InsecureHttp"] = "true" });
        var client = factory.CreateDefaultClient(new Uri("http://localhost"));
        using var local = new HttpRequestMessage(HttpMethod.Get, "/signin");
        local.Headers.Add(TestRemoteAddress.Header, "127.0.0.1");
        var response = await client.SendAsync(local);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("secure", response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("vigil.csrf", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);

        using var remote = new HttpRequestMessage(HttpMethod.Get, "/signin");
        remote.Headers.Add(TestRemoteAddress.Header, "192.0.2.50");
        var refused = await client.SendAsync(remote);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("HTTPS", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
