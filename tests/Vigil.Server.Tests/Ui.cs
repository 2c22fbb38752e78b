using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Vigil.Server.Tests;

/// <summary>The review UI as a client sees it: signing in, and posting forms with their antiforgery token.</summary>
internal static class Ui
{
    /// <summary>What a browser sends when it navigates to a page.</summary>
    public const string BrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    /// <summary>A client that does not follow redirects, signed in as <paramref name="user"/> (when given).</summary>
    public static async Task<HttpClient> ClientAsync(this VigilFactory factory, string? user, bool browser = false)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (browser)
        {
            client.DefaultRequestHeaders.Accept.ParseAdd(BrowserAccept);
        }

        if (user is not null)
        {
            string page = await client.GetStringAsync("/signin");
            var response = await client.PostAsync("/signin", Form(page, ("Username", user), ("Password", VigilFactory.Password)));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/queue", response.Headers.Location!.OriginalString);
        }

        return client;
    }

    /// <summary>A form post carrying the page's antiforgery token.</summary>
    public static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields)
    {
        const string marker = "name=\"__csrf\" type=\"hidden\" value=\"";
        int start = page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "the page has no antiforgery token");
        start += marker.Length;
        string token = page[start..page.IndexOf('"', start)];
        var values = fields.ToDictionary(f => f.Name, f => f.Value);
        values["__csrf"] = token;
        return new FormUrlEncodedContent(values);
    }
}
