using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Audit;
using Vigil.Storage;
using Vigil.Storage.Audit;

namespace Vigil.Server.Pages;

public sealed class AuditModel(IVigilStore store, AuditTrail audit) : PageModel
{
    public AuditVerification Verification { get; private set; } = null!;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = await audit.VerifyAsync(cancellationToken);
        Entries = await store.Audit.ListAsync(200, null, cancellationToken);
    }
}
