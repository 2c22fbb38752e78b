using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Vigil.Server.Pages;

public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/queue");
}
