using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Server.Auth;

/// <summary>
/// Single sign-on through an OpenID Connect provider (<see cref="OidcSettings"/>): the authorization code flow with PKCE;
/// the ID token's groups give the Vigil role (<see cref="OidcSettings.Roles"/>; the strongest wins); the user is created
/// or updated as a user of the provider (<see cref="UserLifecycle.SignInFromProviderAsync"/>) and gets an ordinary
/// server-side session (<c>oidc</c>). Someone in no mapped group, a disabled user and a name that belongs to a local
/// account are refused (audited <c>signin.failed</c>, and told so on the sign-in page). Local accounts keep working.
/// </summary>
public static class SingleSignOn
{
    public const string Scheme = "oidc";

    public static IServiceCollection AddVigilSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection($"{VigilServerOptions.Section}:Oidc").Get<OidcSettings>() ?? new OidcSettings();
        if (!settings.Enabled)
        {
            return services;
        }

        services.AddAuthentication().AddOpenIdConnect(Scheme, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.UsePkce = true;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.SignInScheme = VigilAuth.CookieScheme;
            o.CallbackPath = "/signin-oidc";
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            o.Scope.Add("email");
            o.Events.OnTokenValidated = context => SignInAsync(context, settings);
            o.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect("/signin?sso=refused");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
        return services;
    }

    /// <summary>The strongest Vigil role that <paramref name="groups"/> give, or null.</summary>
    public static Role? RoleFor(IEnumerable<string> groups, OidcSettings settings)
    {
        var member = groups.ToHashSet(StringComparer.Ordinal);
        Role? best = null;
        foreach (var (roleName, list) in settings.Roles)
        {
            if (RoleNames.TryParse(roleName.ToLowerInvariant(), out var role)
                && list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Any(member.Contains)
                && (best is null || role > best))
            {
                best = role;
            }
        }

        return best;
    }

    private static async Task SignInAsync(TokenValidatedContext context, OidcSettings settings)
    {
        var http = context.HttpContext;
        var principal = context.Principal!;
        string? name = principal.FindFirstValue(settings.NameClaim) ?? principal.FindFirstValue("email") ?? principal.FindFirstValue("sub");
        string? address = http.Connection.RemoteIpAddress?.ToString();
        string? refusal = null;
        User? user = null;
        if (name is null || name.Length is 0 or > SignIns.MaxUsernameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            refusal = "the provider's name for the user is missing or not a valid Vigil username";
            name = null;
        }
        else if (RoleFor(principal.FindAll(settings.GroupClaim).Select(c => c.Value), settings) is not { } role)
        {
            refusal = "the user is in no group mapped to a Vigil role";
        }
        else
        {
            (user, refusal) = await http.RequestServices.GetRequiredService<UserLifecycle>()
                .SignInFromProviderAsync(name, principal.FindFirstValue("name"), role, address, http.RequestAborted);
        }

        if (user is null)
        {
            string shown = name ?? "?";
            string details = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["remote"] = address, ["via"] = "oidc", ["reason"] = refusal });
            await http.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(new AuditRecord($"user:{shown}", "signin.failed", $"user:{shown}", details), http.RequestAborted);
            context.Fail($"Single sign-on refused: {refusal}.");
            return;
        }

        var (session, stamp) = await http.RequestServices.GetRequiredService<Sessions>().StartAsync(user, address, "oidc", http.RequestAborted);
        context.Principal = VigilAuth.UserPrincipal(user, session, stamp);
    }
}
