using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Core.Compliance;
using Vigil.Moderation.Compliance;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Pages.Compliance;

/// <summary>One removal order: its record, the countdown, execution, Annex III stops and restarts, and the replies.</summary>
public sealed class OrderModel(IVigilStore store, RemovalOrders orders, PolicyHolder policy, WebhookWakeUp wakeUp, TimeProvider time) : PageModel
{
    public RemovalOrder Order { get; private set; } = null!;

    public OrderClock Clock { get; private set; } = null!;

    /// <summary>The order as a list, for the warnings banner.</summary>
    public IReadOnlyList<RemovalOrder> AsList => [Order];

    public RemovalOrders UseCase => orders;

    public DateTimeOffset Now { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? Ground { get; set; }

    [BindProperty]
    public string? Explanation { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, [FromQuery] string? done, [FromQuery] string? logged, CancellationToken cancellationToken)
    {
        Message = logged is not null ? "Order logged: the clock runs from the time of receipt."
            : done switch
            {
                "executed" => "Order executed: the content was removed and the platform notified (content.removed).",
                "stopped" => "Clock stopped. Send the Annex III information to the authority.",
                "resumed" => "Clock restarted.",
                _ => null,
            };
        return await LoadAsync(id, cancellationToken) ? Page() : NotFoundProblem(id);
    }

    public async Task<IActionResult> OnPostExecuteAsync(long id, CancellationToken cancellationToken) =>
        await AfterAsync(id, await orders.ExecuteAsync(id, User.Actor(), policy.Current.Version, cancellationToken), "executed", cancellationToken);

    public async Task<IActionResult> OnPostStopAsync(long id, CancellationToken cancellationToken)
    {
        if (!OrderReplies.TryParse(Ground, out var ground))
        {
            Error = "Choose the Annex III ground.";
            return await LoadAsync(id, cancellationToken) ? Page() : NotFoundProblem(id);
        }

        return await AfterAsync(id, await orders.StopClockAsync(id, ground, Explanation ?? "", User.Actor(), cancellationToken), "stopped", cancellationToken);
    }

    public async Task<IActionResult> OnPostResumeAsync(long id, CancellationToken cancellationToken) =>
        await AfterAsync(id, await orders.ResumeClockAsync(id, User.Actor(), cancellationToken), "resumed", cancellationToken);

    private async Task<IActionResult> AfterAsync(long id, OrderActionResult result, string done, CancellationToken cancellationToken)
    {
        if (result.Status == OrderActionStatus.Done)
        {
            wakeUp.Signal();
            return LocalRedirect($"/orders/{id}?done={done}");
        }

        Error = result.Status switch
        {
            OrderActionStatus.Executed => "This order was executed already.",
            OrderActionStatus.WrongClockState => "The clock is not in that state any more: reload the page.",
            OrderActionStatus.Invalid => "Give an explanation: it goes to the authority with the Annex III form.",
            _ => null,
        };
        return await LoadAsync(id, cancellationToken) ? Page() : NotFoundProblem(id);
    }

    private async Task<bool> LoadAsync(long id, CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        if (await store.Compliance.GetOrderAsync(id, cancellationToken) is not { } order)
        {
            return false;
        }

        Order = order;
        Clock = orders.Clock(order);
        return true;
    }

    private static IActionResult NotFoundProblem(long id) => Problems.Result(StatusCodes.Status404NotFound, "Not found", $"There is no removal order {id}.");
}
