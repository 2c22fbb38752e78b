using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages.Account;

/// <summary>A signed-in user sets a new password (required after an admin reset it); their other sessions end, and this
/// one goes on as a new session.</summary>
[RequestSizeLimit(16 * 1024)]
public sealed class PasswordModel(UserLifecycle lifecycle, Sessions sessions) : PageModel
{
    public bool Required { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? Again { get; set; }

    public void OnGet() => Required = VigilAuth.Session(HttpContext)?.Security.MustChangePassword == true;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Required = VigilAuth.Session(HttpContext)?.Security.MustChangePassword == true;
        if (NewPassword is not { Length: >= UserLifecycle.MinPasswordLength and <= SignIns.MaxPasswordLength })
        {
            Error = $"A password has {UserLifecycle.MinPasswordLength} to {SignIns.MaxPasswordLength} characters.";
            return Page();
        }

        if (NewPassword != Again)
        {
            Error = "The two passwords differ.";
            return Page();
        }

        string name = User.Identity!.Name!;
        await lifecycle.ChangePasswordAsync(name, NewPassword, cancellationToken);
        if (await lifecycle.GetAsync(name, cancellationToken) is not { Disabled: false } user)
        {
            return LocalRedirect("/signin");
        }

        var (session, stamp) = await sessions.StartAsync(user, HttpContext.Connection.RemoteIpAddress?.ToString(), "password", cancellationToken);
        await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(user, session, stamp));
        return LocalRedirect("/queue");
    }
}
