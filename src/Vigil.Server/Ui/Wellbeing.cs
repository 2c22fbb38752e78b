using System.Security.Claims;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Access;
using Vigil.Storage;

namespace Vigil.Server.Ui;

/// <summary>A reviewer's exposure today: violating items seen (each counted once a day) against the cap.</summary>
public sealed record Exposure(int SeenToday, int DailyCap)
{
    public bool SuggestPause => SeenToday >= DailyCap;
}

/// <summary>Counts the violating items each reviewer sees per (UTC) day.</summary>
public sealed class Wellbeing(IVigilStore store, UserAccounts users, TimeProvider time, IOptions<VigilServerOptions> options)
{
    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    public async Task<Exposure> RecordAsync(string username, long caseId, CancellationToken cancellationToken) =>
        new(await users.RecordExposureAsync(username, caseId, cancellationToken), options.Value.WellbeingDailyCap);

    public async Task<Exposure> GetAsync(string username, CancellationToken cancellationToken) =>
        new(await store.Users.CountExposureAsync(username, Today, cancellationToken), options.Value.WellbeingDailyCap);
}

/// <summary>Puts the signed-in reviewer's exposure where the layout shows it (after the page handler, so that a case
/// just opened is counted).</summary>
public sealed class WellbeingPageFilter(Wellbeing wellbeing) : IAsyncPageFilter
{
    public const string Key = "vigil.exposure";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await next();
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated == true && http.User.FindFirstValue(ClaimTypes.Name) is { } name && !http.Items.ContainsKey(Key))
        {
            http.Items[Key] = await wellbeing.GetAsync(name, http.RequestAborted);
        }
    }
}
