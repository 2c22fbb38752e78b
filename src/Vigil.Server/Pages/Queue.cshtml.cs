using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Vigil.Moderation.Compliance;
using Vigil.Server.Api;
using Vigil.Storage;
using Vigil.Storage.Cases;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Pages;

public sealed class QueueModel(IVigilStore store, RemovalOrders orders, TimeProvider time) : PageModel
{
    public static IReadOnlyList<(string Value, string Text)> Ages { get; } =
        [("", "Any age"), ("1h", "1 hour"), ("6h", "6 hours"), ("24h", "1 day"), ("3d", "3 days"), ("7d", "7 days"), ("30d", "30 days")];

    [BindProperty(SupportsGet = true)]
    public string? Queue { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Label { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Language { get; set; }

    [BindProperty(SupportsGet = true, Name = "min_age")]
    public string? MinAge { get; set; }

    [BindProperty(SupportsGet = true, Name = "max_age")]
    public string? MaxAge { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Decided { get; set; }

    public string? Error { get; private set; }

    public IReadOnlyList<ReviewCase> Cases { get; private set; } = [];

    public IReadOnlyDictionary<string, int> Queues { get; private set; } = new Dictionary<string, int>();

    public DateTimeOffset Now { get; private set; }

    /// <summary>The removal orders not executed yet (their cases show the time left; their warnings show as banners).</summary>
    public IReadOnlyList<RemovalOrder> OpenOrders { get; private set; } = [];

    public RemovalOrders UseCase => orders;

    /// <summary>The deadline of the removal order a case belongs to (null while its clock is stopped), by case id.</summary>
    public IReadOnlyDictionary<long, DateTimeOffset?> OrderDeadlines { get; private set; } = new Dictionary<long, DateTimeOffset?>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        Queues = await store.Cases.CountOpenByQueueAsync(cancellationToken);
        OpenOrders = await store.Compliance.ListOrdersAsync(openOnly: true, 200, cancellationToken);
        OrderDeadlines = OpenOrders
            .SelectMany(o => o.Targets.Where(t => t.CaseId is not null).Select(t => (CaseId: t.CaseId!.Value, orders.Clock(o).Deadline)))
            .DistinctBy(x => x.CaseId)
            .ToDictionary(x => x.CaseId, x => x.Deadline);
        try
        {
            var query = CaseEndpoints.ParseQuery(Queue, State, Label, Language, MinAge, MaxAge, "200", null, Now);
            Cases = await store.Cases.ListAsync(query, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            Error = problem.Message;
        }
    }

    public static string Age(TimeSpan age) =>
        age.TotalMinutes < 1 ? "just now"
        : age.TotalHours < 1 ? $"{(int)age.TotalMinutes} min"
        : age.TotalDays < 1 ? $"{(int)age.TotalHours} h"
        : $"{(int)age.TotalDays} d";
}
