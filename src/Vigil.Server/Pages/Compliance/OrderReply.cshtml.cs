using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Server.Hosting;
using Vigil.Storage;

namespace Vigil.Server.Pages.Compliance;

/// <summary>The Annex II or Annex III reply of an order as a printable page (print CSS: the page prints as the form).</summary>
public sealed class OrderReplyModel(IVigilStore store, RemovalOrders orders, TimeProvider time) : PageModel
{
    public long Id { get; private set; }

    public AnnexIIReply? AnnexII { get; private set; }

    public AnnexIIIReply? AnnexIII { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string annex, CancellationToken cancellationToken)
    {
        if (annex is not ("annex-ii" or "annex-iii") || await store.Compliance.GetOrderAsync(id, cancellationToken) is not { } order)
        {
            return Problems.Result(StatusCodes.Status404NotFound, "Not found", $"There is no removal order {id} or no reply '{annex}' (annex-ii, annex-iii).");
        }

        Id = id;
        var now = time.GetUtcNow();
        if (annex == "annex-ii")
        {
            AnnexII = OrderReplies.AnnexII(order, orders.Clock(order), now);
        }
        else
        {
            AnnexIII = OrderReplies.AnnexIII(order, orders.Clock(order), now);
        }

        return Page();
    }
}
