using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages;

/// <summary>The sign-in form, over <see cref="SignIns"/> (input caps, throttling, audit). A form body over 16 KiB is
/// refused before it is read (413).</summary>
[RequestSizeLimit(16 * 1024)]
public sealed class SignInModel(SignIns signIns, Sessions sessions, TwoFactor twoFactor, IDataProtectionProvider protection, IOptions<VigilServerOptions> options) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    /// <summary>Single sign-on, when configured: its button's text; null otherwise.</summary>
    public string? SsoButton => options.Value.Oidc.Enabled ? options.Value.Oidc.ButtonText : null;

    [BindProperty(SupportsGet = true, Name = "sso")]
    public string? SsoResult { get; set; }

    public void OnGet()
    {
        if (SsoResult == "refused")
        {
            Error = "Single sign-on did not let you in: your account there is not in a group that has a Vigil role, or is disabled here. Ask an admin.";
        }
    }

    /// <summary>Starts single sign-on (<c>/signin?handler=Sso</c>): off to the identity provider.</summary>
    public IActionResult OnGetSso() =>
        options.Value.Oidc.Enabled
            ? Challenge(new AuthenticationProperties { RedirectUri = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/queue" }, SingleSignOn.Scheme)
            : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        string? address = HttpContext.Connection.RemoteIpAddress?.ToString();
        var result = await signIns.SignInAsync(Username, Password, address, cancellationToken);
        Password = null;
        if (Username is { Length: > SignIns.MaxUsernameLength })
        {
            Username = null;
        }

        switch (result.Status)
        {
            case SignInStatus.SignedIn when await twoFactor.IsEnabledAsync(result.User!.Username, cancellationToken):
                SignInCodeModel.SetPending(HttpContext, protection, result.User.Username);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? $"/signin/code?returnUrl={Uri.EscapeDataString(ReturnUrl!)}" : "/signin/code");
            case SignInStatus.SignedIn:
                var (session, stamp) = await sessions.StartAsync(result.User!, address, "password", cancellationToken);
                await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(result.User!, session, stamp));
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/queue");
            case SignInStatus.Throttled:
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = SignIns.RetryAfterSeconds(result.RetryAfter);
                Error = $"Too many failed sign-ins: try again in {Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalMinutes))} minute(s).";
                return Page();
            default:
                Error = "The username or password is not right.";
                return Page();
        }
    }
}
