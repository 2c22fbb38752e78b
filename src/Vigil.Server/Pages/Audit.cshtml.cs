using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Storage;
using Vigil.Storage.Audit;

namespace Vigil.Server.Pages;

public sealed class AuditModel(IVigilStore store) : PageModel
{
    public AuditVerification Verification { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = await store.Audit.VerifyAsync(cancellationToken);
        Entries = await store.Audit.ListAsync(200, null, cancellationToken);
    }
}
