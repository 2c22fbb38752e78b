using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Audit;
using Vigil.Storage.Users;

namespace Vigil.Server.Pages;

public sealed class SignInModel(IVigilStore store) : PageModel
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
        var credentials = name.Length is > 0 and <= 64 ? await store.Users.GetCredentialsAsync(name, cancellationToken) : null;
        bool ok = PasswordHasher.Verify(Password ?? "", credentials?.PasswordHash);
        string details = JsonSerializer.Serialize(new Dictionary<string, string?> { ["remote"] = HttpContext.Connection.RemoteIpAddress?.ToString() });
        if (!ok || credentials is null)
        {
            await store.Audit.AppendAsync(new AuditRecord($"user:{(name.Length is > 0 and <= 64 ? name : "?")}", "signin.failed", $"user:{name}", details), cancellationToken);
            Error = "The username or password is not right.";
            Password = null;
            return Page();
        }

        var user = credentials.Value.User;
        await store.Audit.AppendAsync(new AuditRecord($"user:{user.Username}", "signin.succeeded", $"user:{user.Username}", details), cancellationToken);
        await HttpContext.SignInAsync(VigilAuth.CookieScheme, VigilAuth.UserPrincipal(user));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/queue");
    }
}
