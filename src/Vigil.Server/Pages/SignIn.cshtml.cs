using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages;

/// <summary>The sign-in form, over <see cref="SignIns"/> (input caps, throttling, audit). A form body over 16 KiB is
/// refused before it is read (413).</summary>
[RequestSizeLimit(16 * 1024)]
public sealed class SignInModel(SignIns signIns) : PageModel
{
    public string? Error { get; private set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await signIns.SignInAsync(Username, Password, HttpContext.Connection.RemoteIpAddress?.ToString(), cancellationToken);
        Password = null;
        if (Username is { Length: > SignIns.MaxUsernameLength })
        {
            Username = null;
        }

        switch (result.Status)
        {
            case SignInStatus.SignedIn:
                await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(result.User!));
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
