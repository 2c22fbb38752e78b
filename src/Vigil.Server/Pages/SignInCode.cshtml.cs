using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages;

/// <summary>The second step of signing in for a user with two-factor: a TOTP code or a recovery code. Wrong codes count
/// as failed sign-ins for the name (the same throttle and lockout).</summary>
[RequestSizeLimit(16 * 1024)]
public sealed class SignInCodeModel(TwoFactor twoFactor, Sessions sessions, AccessThrottles throttles, IDataProtectionProvider protection) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public IActionResult OnGet() => PendingUser(HttpContext, protection) is null ? LocalRedirect("/signin") : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (PendingUser(HttpContext, protection) is not { } name)
        {
            return LocalRedirect("/signin");
        }

        string account = "account:" + name.ToLowerInvariant();
        var check = throttles.SignInAccounts.Check(account);
        if (check.Locked)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = SignIns.RetryAfterSeconds(check.RetryAfter);
            Error = "Too many wrong codes: sign in again later.";
            return Page();
        }

        if (Code is not { Length: > 0 and <= 32 } || !await twoFactor.VerifyAsync(name, Code, cancellationToken)
            || await twoFactor.UserAsync(name, cancellationToken) is not { Disabled: false } user)
        {
            throttles.SignInAccounts.RecordFailure(account);
            Error = "The code is not right (or was used already).";
            return Page();
        }

        Response.Cookies.Delete(PendingCookie);
        var (session, stamp) = await sessions.StartAsync(user, HttpContext.Connection.RemoteIpAddress?.ToString(), "password", cancellationToken);
        await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(user, session, stamp));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/queue");
    }

    /// <summary>The cookie that carries, for 5 minutes, who gave the right password and now owes a code.</summary>
    public const string PendingCookie = "vigil.signin";

    private const string Purpose = "Vigil.SignIn.PendingTwoFactor";

    /// <summary>Notes that <paramref name="username"/> gave the right password and must now give a code.</summary>
    public static void SetPending(HttpContext context, IDataProtectionProvider protection, string username)
    {
        string value = protection.CreateProtector(Purpose).ToTimeLimitedDataProtector().Protect(username, TimeSpan.FromMinutes(5));
        context.Response.Cookies.Append(PendingCookie, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromMinutes(5),
            Path = "/signin",
        });
    }

    private static string? PendingUser(HttpContext context, IDataProtectionProvider protection)
    {
        if (context.Request.Cookies[PendingCookie] is not { } value)
        {
            return null;
        }

        try
        {
            return protection.CreateProtector(Purpose).ToTimeLimitedDataProtector().Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
