using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Server.Auth;
using Vigil.Storage.Users;

namespace Vigil.Server.Pages;

/// <summary>Where the UI sends a signed-in user whose role does not allow a page or action (403), naming the role it needed.</summary>
public sealed class DeniedModel : PageModel
{
    /// <summary>The roles that would have been allowed (from <c>?needs=</c>, known role names only), or null.</summary>
    public Needed? Needed { get; private set; }

    public string? Role { get; private set; }

    public void OnGet([FromQuery] string? needs)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        Role = User.FindFirstValue(ClaimTypes.Role);
        var roles = (needs ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(RoleNames.All.Contains).Distinct().ToList();
        Needed = roles.Count > 0 ? new Needed("role", roles) : null;
    }
}
