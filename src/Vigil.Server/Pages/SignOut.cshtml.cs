using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Pages;

/// <summary>Signing out ends the session server-side (a copy of the cookie stops working), then deletes the cookie.</summary>
public sealed class SignOutModel(Sessions sessions) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst(VigilAuth.SessionClaim)?.Value is { } id)
        {
            await sessions.EndAsync(id, cancellationToken);
        }

        await HttpContext.SignOutAsync(VigilAuth.CookieScheme);
        return LocalRedirect("/signin");
    }
}
