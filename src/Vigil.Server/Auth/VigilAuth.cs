using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Access;
using Vigil.Storage.Users;

namespace Vigil.Server.Auth;

/// <summary>
/// Who may do what. The API (<c>/v1</c>) authenticates API keys only (header <c>Authorization: Bearer vgl_…</c> or
/// <c>X-Api-Key</c>) and checks their scopes; the review UI authenticates signed-in users by cookie and checks their
/// role. Nothing else is reachable without one of the two, except <c>/health</c> and the sign-in page.
/// </summary>
public static class VigilAuth
{
    public const string ApiKeyScheme = "ApiKey";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string EitherScheme = "KeyOrCookie";
    public const string ScopeClaim = "vigil:scope";
    public const string ActorClaim = "vigil:actor";

    // API (key) policies.
    public const string Ingest = "scope:ingest";
    public const string Review = "scope:review";
    public const string Admin = "scope:admin";

    /// <summary>Reading a submission: a key with ingest or review.</summary>
    public const string ReadContent = "scope:ingest-or-review";

    /// <summary>Reading hash banks and their entries: a key with review or admin.</summary>
    public const string ReadBanks = "scope:review-or-admin";

    // UI (cookie) policies.
    public const string UiRead = "role:any";
    public const string UiDecide = "role:moderator";
    public const string UiAdmin = "role:admin";

    /// <summary>Either a signed-in user or any valid key (the OpenAPI document).</summary>
    public const string AnyAuthenticated = "any";

    public static IServiceCollection AddVigilAuth(this IServiceCollection services)
    {
        services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.LoginPath = "/signin";
                o.LogoutPath = "/signout";
                o.AccessDeniedPath = "/denied";
                o.Cookie.Name = "vigil.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyScheme, null)
            .AddPolicyScheme(EitherScheme, "API key or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey("X-Api-Key") || context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiKeyScheme
                    : CookieScheme);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(EitherScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(Ingest, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireClaim(ScopeClaim, "ingest"))
            .AddPolicy(Review, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireClaim(ScopeClaim, "review"))
            .AddPolicy(Admin, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireClaim(ScopeClaim, "admin"))
            .AddPolicy(ReadContent, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireClaim(ScopeClaim, "ingest", "review"))
            .AddPolicy(ReadBanks, p => p.AddAuthenticationSchemes(ApiKeyScheme).RequireClaim(ScopeClaim, "review", "admin"))
            .AddPolicy(UiRead, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole("admin", "moderator", "analyst"))
            .AddPolicy(UiDecide, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole("admin", "moderator"))
            .AddPolicy(UiAdmin, p => p.AddAuthenticationSchemes(CookieScheme).RequireRole("admin"))
            .AddPolicy(AnyAuthenticated, p => p.AddAuthenticationSchemes(EitherScheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The audit actor of a principal: <c>user:NAME</c> or <c>key:ID</c>.</summary>
    public static string Actor(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ActorClaim) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static ClaimsPrincipal UserPrincipal(User user) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, user.Username),
            new Claim(ClaimTypes.Role, user.Role.ToWire()),
            new Claim(ActorClaim, $"user:{user.Username}"),
        ],
        CookieScheme));
}

/// <summary>Authenticates <c>Authorization: Bearer vgl_…</c> or <c>X-Api-Key: vgl_…</c>; answers 401/403 with problem JSON.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeys keys,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        if (Request.Headers.Authorization.ToString() is { Length: > 7 } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization[7..].Trim();
        }
        else if (Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } header)
        {
            presented = header.Trim();
        }

        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.FindAsync(presented, Context.RequestAborted);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is not valid or was revoked.");
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(VigilAuth.ActorClaim, $"key:{key.Id}") };
        claims.AddRange(key.Scopes.ToWire().Select(s => new Claim(VigilAuth.ScopeClaim, s)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"vigil\"";
        var result = await HandleAuthenticateOnceSafeAsync();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Authentication required",
                Detail = result.Failure?.Message ?? "Send an API key: 'Authorization: Bearer vgl_…' or 'X-Api-Key: vgl_…'.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = "This API key does not have the scope this endpoint needs.",
            },
        });
    }
}
