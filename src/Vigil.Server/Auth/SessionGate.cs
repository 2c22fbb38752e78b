using Microsoft.Extensions.Options;
using Vigil.Storage.Users;

namespace Vigil.Server.Auth;

/// <summary>
/// What a signed-in user must do before anything else: set a new password after an admin reset it
/// (<c>/account/password</c>), and, when <see cref="VigilServerOptions.RequireAdminTwoFactor"/> is on, an admin without
/// two-factor enrols first (<c>/account/two-factor</c>). Every other UI request is redirected there; signing out stays
/// possible. API keys are not concerned.
/// </summary>
public static class SessionGate
{
    public const string PasswordPath = "/account/password";
    public const string TwoFactorPath = "/account/two-factor";

    public static async Task ApplyAsync(HttpContext context, RequestDelegate next)
    {
        if (VigilAuth.Session(context) is { } state && Pending(context, state) is { } path
            && !context.Request.Path.StartsWithSegments(path) && !context.Request.Path.StartsWithSegments("/signout"))
        {
            context.Response.Redirect(path);
            return;
        }

        await next(context);
    }

    private static string? Pending(HttpContext context, Vigil.Moderation.Access.SessionState state)
    {
        if (state.Security.MustChangePassword && state.Session.Via == "password")
        {
            return PasswordPath;
        }

        bool required = context.RequestServices.GetRequiredService<IOptions<VigilServerOptions>>().Value.RequireAdminTwoFactor;
        return required && state.User.Role == Role.Admin && !state.Security.TwoFactorEnabled && state.Session.Via == "password" ? TwoFactorPath : null;
    }
}
