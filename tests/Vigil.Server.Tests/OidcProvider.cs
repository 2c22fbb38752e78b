using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Vigil.Server.Tests;

/// <summary>
/// A minimal OpenID Connect provider on loopback, for the tests only: discovery, an authorization endpoint that signs in
/// whoever <see cref="NextUser"/> names at once (no page), a token endpoint that answers an ID token signed with RS256
/// (with the user's groups), and the key set to check it.
/// </summary>
internal sealed class OidcProvider : IAsyncDisposable
{
    public const string ClientId = "vigil-test";
    public const string ClientSecret = "test-client-secret";

    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    private readonly ConcurrentDictionary<string, (string User, string[] Groups, string? Nonce)> _codes = new();

    private OidcProvider(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = "";

    /// <summary>Who the next authorization signs in, with which groups.</summary>
    public (string User, string[] Groups) NextUser { get; set; } = ("someone", []);

    public static async Task<OidcProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new OidcProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Issuer,
            ["authorization_endpoint"] = provider.Issuer + "/authorize",
            ["token_endpoint"] = provider.Issuer + "/token",
            ["jwks_uri"] = provider.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(provider._key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/authorize", (HttpContext context) =>
        {
            var query = context.Request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code")
            {
                return Results.BadRequest();
            }

            string code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            provider._codes[code] = (provider.NextUser.User, provider.NextUser.Groups, query["nonce"]);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"].ToString())}");
        });
        app.MapPost("/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            bool client = (form["client_id"] == ClientId && form["client_secret"] == ClientSecret) || context.Request.Headers.Authorization.Count > 0;
            if (!client || form["grant_type"] != "authorization_code" || !provider._codes.TryRemove(form["code"].ToString(), out var grant))
            {
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            }

            var claims = new Dictionary<string, object>
            {
                ["sub"] = "sub-" + grant.User,
                ["preferred_username"] = grant.User,
                ["groups"] = grant.Groups,
            };
            if (grant.Nonce is not null)
            {
                claims["nonce"] = grant.Nonce;
            }

            string idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = provider.Issuer,
                Audience = ClientId,
                Claims = claims,
                IssuedAt = DateTime.UtcNow,
                NotBefore = DateTime.UtcNow,
                Expires = DateTime.UtcNow.AddMinutes(5),
                SigningCredentials = new SigningCredentials(provider._key, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new { access_token = "opaque", token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
        await app.StartAsync();
        provider.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Rsa.Dispose();
    }
}
