using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.HttpsPolicy;
using Microsoft.Extensions.Options;
using Vigil.Server.Auth;

namespace Vigil.Server.Hosting;

/// <summary>
/// Deployment behind a TLS-terminating proxy: the forwarded client address and scheme are believed only from the proxies
/// configured (<see cref="VigilServerOptions.ForwardedProxies"/>); the session and antiforgery cookies are <c>Secure</c>
/// unless plain HTTP is allowed (<see cref="VigilServerOptions.InsecureHttp"/>), and then only loopback clients may use
/// the review UI over it; HTTPS responses carry <c>Strict-Transport-Security</c>.
/// </summary>
public static class Transport
{
    public static IServiceCollection AddVigilTransport(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<VigilServerOptions>>((forwarded, vigil) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var network in Networks(vigil.Value.ForwardedProxies))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
        });
        services.AddOptions<CookieAuthenticationOptions>(VigilAuth.CookieScheme).Configure<IOptions<VigilServerOptions>>((cookie, vigil) =>
        {
            cookie.Cookie.SecurePolicy = vigil.Value.InsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            cookie.ExpireTimeSpan = vigil.Value.SessionIdle;
        });
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>().Configure<IOptions<VigilServerOptions>>((antiforgery, vigil) =>
            antiforgery.Cookie.SecurePolicy = vigil.Value.InsecureHttp ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        services.AddHsts(_ => { });
        services.AddOptions<HstsOptions>().Configure<IOptions<VigilServerOptions>>((hsts, vigil) =>
        {
            hsts.MaxAge = vigil.Value.HstsMaxAge;
            hsts.ExcludedHosts.Clear();
        });
        return services;
    }

    /// <summary>Forwarded headers (when proxies are configured), HSTS, and the loopback-only rule for plain HTTP.</summary>
    public static void UseVigilTransport(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<VigilServerOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.ForwardedProxies))
        {
            app.UseForwardedHeaders();
        }

        if (options.HstsMaxAge > TimeSpan.Zero)
        {
            app.UseHsts();
        }

        app.Use((context, next) => RefusePlainHttpAsync(context, next, options.InsecureHttp));
    }

    /// <summary>The review UI (its cookies) only over HTTPS; with plain HTTP allowed, also over HTTP from this machine.
    /// The API and <c>/health</c> are not concerned (keys are not cookies).</summary>
    private static Task RefusePlainHttpAsync(HttpContext context, RequestDelegate next, bool insecureHttp)
    {
        var address = context.Connection.RemoteIpAddress;
        bool local = address is null || IPAddress.IsLoopback(address);
        if (context.Request.IsHttps || (insecureHttp && local) || ApiRoutes.Contains(context.Request.Path) || context.Request.Path.StartsWithSegments("/health"))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(insecureHttp
            ? "Plain HTTP is allowed from this machine only (Vigil:InsecureHttp); use HTTPS."
            : "The review UI needs HTTPS (or a TLS-terminating proxy listed in Vigil:ForwardedProxies); on this machine, vigil serve --allow-http allows plain HTTP.");
    }

    private static IEnumerable<System.Net.IPNetwork> Networks(string? list)
    {
        foreach (var item in (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (System.Net.IPNetwork.TryParse(item, out var network))
            {
                yield return network;
            }
            else if (IPAddress.TryParse(item, out var address))
            {
                yield return new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }
            else
            {
                throw new FormatException($"Vigil:ForwardedProxies: '{item}' is not an address or a CIDR block (e.g. 10.0.0.5 or 10.0.0.0/24).");
            }
        }
    }
}
