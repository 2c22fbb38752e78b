using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Access;
using Vigil.Server.Hosting;
using Vigil.Storage.Users;

namespace Vigil.Server.Auth;

/// <summary>
/// Who may do what. The API (<c>/v1</c>) authenticates API keys only (header <c>Authorization: Bearer vgl_…</c> or
/// <c>X-Api-Key</c>) and checks their scopes; the review UI authenticates signed-in users by cookie and checks their
/// role. Nothing else is reachable without one of the two, except <c>/health</c> and the sign-in page. API routes
/// (<see cref="ApiRoutes"/>) answer a missing credential with 401 and a refusal with 403, as problem JSON; UI routes
/// redirect to the sign-in page or to <c>/denied</c>. A 403 says which scope or role was needed.
/// </summary>
public static class VigilAuth
{
    public const string ApiKeyScheme = "ApiKey";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string EitherScheme = "KeyOrCookie";

    /// <summary>Where a request authenticated by <see cref="EitherScheme"/> is challenged or refused: the API key scheme
    /// (401/403 problem JSON) for API routes and requests with a key, the cookie scheme (redirects) for the UI.</summary>
    public const string ChallengeScheme = "KeyOrSignIn";
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

    /// <summary>What a refused request needed (<see cref="RecordRefusal"/>), for the 403 answer.</summary>
    private const string NeededKey = "vigil.needed";

    public static IServiceCollection AddVigilAuth(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, RefusalRecorder>();
        services.AddAuthentication(CookieScheme)
            .AddCookie(CookieScheme, o =>
            {
                o.Events.OnRedirectToAccessDenied = RedirectToDeniedAsync(o.Events.OnRedirectToAccessDenied);
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
            .AddPolicyScheme(EitherScheme, "API key or cookie", o =>
            {
                o.ForwardDefaultSelector = context => HasKey(context.Request) ? ApiKeyScheme : CookieScheme;
                o.ForwardChallenge = ChallengeScheme;
                o.ForwardForbid = ChallengeScheme;
            })
            .AddPolicyScheme(ChallengeScheme, "API key on API routes, sign-in elsewhere", o => o.ForwardDefaultSelector = context =>
                HasKey(context.Request) || ApiRoutes.Contains(context.Request.Path) ? ApiKeyScheme : CookieScheme);

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

    /// <summary>Notes what a request was refused for lacking (the scopes or roles of <paramref name="failure"/>'s
    /// requirements), for the 403 answer or the <c>/denied</c> page to name.</summary>
    public static void RecordRefusal(HttpContext context, AuthorizationFailure? failure)
    {
        foreach (var requirement in failure?.FailedRequirements ?? [])
        {
            var needed = requirement switch
            {
                ClaimsAuthorizationRequirement { ClaimType: ScopeClaim, AllowedValues: { } scopes } => new Needed("scope", [.. scopes]),
                RolesAuthorizationRequirement roles => new Needed("role", [.. roles.AllowedRoles]),
                _ => null,
            };
            if (needed is not null)
            {
                context.Items[NeededKey] = needed;
                return;
            }
        }
    }

    /// <summary>What <see cref="RecordRefusal"/> noted for this request, if anything.</summary>
    public static Needed? Refusal(HttpContext context) => context.Items[NeededKey] as Needed;

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

    private static bool HasKey(HttpRequest request) =>
        request.Headers.ContainsKey("X-Api-Key") || request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    /// <summary>The cookie scheme's redirect to <c>/denied</c>, naming the roles that were needed (<c>?needs=admin</c>).</summary>
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> RedirectToDeniedAsync(Func<RedirectContext<CookieAuthenticationOptions>, Task> redirect) =>
        context =>
        {
            if (Refusal(context.HttpContext) is { Kind: "role" } needed)
            {
                context.RedirectUri = QueryHelpers.AddQueryString(context.RedirectUri, "needs", string.Join(',', needed.Values));
            }

            return redirect(context);
        };

    /// <summary>Records what a request the authorization middleware refuses needed, then answers as ASP.NET Core does.</summary>
    private sealed class RefusalRecorder : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden)
            {
                RecordRefusal(context, authorizeResult.AuthorizationFailure);
            }

            return _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}

/// <summary>What a refused request needed: one of <paramref name="Values"/>, of kind <c>scope</c> (API keys) or
/// <c>role</c> (signed-in users).</summary>
public sealed record Needed(string Kind, IReadOnlyList<string> Values)
{
    /// <summary>"the admin scope", "one of the roles admin, moderator".</summary>
    public override string ToString() => Values.Count == 1 ? $"the {Values[0]} {Kind}" : $"one of the {Kind}s {string.Join(", ", Values)}";
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
                Detail = result.Failure?.Message ?? (Request.Path.StartsWithSegments("/v1")
                    ? "Send an API key: 'Authorization: Bearer vgl_…' or 'X-Api-Key: vgl_…'."
                    : "Send an API key ('Authorization: Bearer vgl_…' or 'X-Api-Key: vgl_…'), or sign in at /signin."),
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var scopes = Context.User.FindAll(VigilAuth.ScopeClaim).Select(c => c.Value).ToList();
        string needed = VigilAuth.Refusal(Context) is { } refusal ? $": {refusal}" : "";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Forbidden",
                Detail = $"This API key does not have the scope this endpoint needs{needed} (the key has {(scopes.Count == 0 ? "none" : string.Join(", ", scopes))}).",
            },
        });
    }
}
