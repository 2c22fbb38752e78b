using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Server.Auth;
using Vigil.Storage.Audit;

namespace Vigil.Server.Pages;

public sealed class SignInModel(UserAccounts users, AuditTrail audit) : PageModel
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
        string name = Username?.Trim() ?? "";
        var user = await users.SignInAsync(name.Length is > 0 and <= 64 ? name : "", Password ?? "", cancellationToken);
        string details = JsonSerializer.Serialize(new Dictionary<string, string?> { ["remote"] = HttpContext.Connection.RemoteIpAddress?.ToString() });
        if (user is null)
        {
            await audit.RecordAsync(new AuditRecord($"user:{(name.Length is > 0 and <= 64 ? name : "?")}", "signin.failed", $"user:{name}", details), cancellationToken);
            Error = "The username or password is not right.";
            Password = null;
            return Page();
        }

        await audit.RecordAsync(new AuditRecord($"user:{user.Username}", "signin.succeeded", $"user:{user.Username}", details), cancellationToken);
        await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(user));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/queue");
    }
}
