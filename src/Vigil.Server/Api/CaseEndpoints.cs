using System.Globalization;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Cases;
using Vigil.Moderation.Wire;
using Vigil.Server.Auth;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Cases;

namespace Vigil.Server.Api;

/// <summary>Cases: list by queue and priority, get, claim (a lease), release, decide.</summary>
public static class CaseEndpoints
{
    public const int MaxReasonLength = 2000;

    public static void Map(RouteGroupBuilder v1)
    {
        var cases = v1.MapGroup("/cases").RequireAuthorization(VigilAuth.Review).WithTags("cases");
        cases.MapGet("/", ListAsync)
            .WithName("ListCases")
            .WithSummary("Cases by priority (highest first, then oldest). Filters: queue, state (open|closed|all), label, language (or 'unknown'), min_age and max_age (e.g. 30m, 12h, 7d); limit (1-500) and offset.")
            .Produces<CaseListDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        cases.MapGet("/{id:long}", GetAsync).WithName("GetCase").WithSummary("A case with its content, evidence and decisions.");
        cases.MapPost("/{id:long}/claim", ClaimAsync)
            .WithName("ClaimCase")
            .WithSummary("Take (or renew) the lease on a case; 409 while another reviewer holds it.")
            .Produces<CaseDto>()
            .ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapPost("/{id:long}/release", ReleaseAsync).WithName("ReleaseCase").WithSummary("Give the lease back.");
        cases.MapPost("/{id:long}/decision", DecideAsync)
            .WithName("DecideCase")
            .WithSummary("Record a decision (keep_up, remove, restrict, escalate, report_threat_to_life) with a reason; needs the lease. Queues a signed webhook to every subscribed endpoint.")
            .Produces<DecisionDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        v1.MapGet("/queues", async (IVigilStore store, CancellationToken ct) => Results.Ok(await store.Cases.CountOpenByQueueAsync(ct)))
            .RequireAuthorization(VigilAuth.Review)
            .WithTags("cases")
            .WithName("ListQueues")
            .WithSummary("Open cases per queue.");
    }

    public static CaseQuery ParseQuery(string? queue, string? state, string? label, string? language, string? minAge, string? maxAge, string? limit, string? offset, DateTimeOffset now)
    {
        CaseState? parsedState = state switch
        {
            null or "" or "open" => CaseState.Open,
            "closed" => CaseState.Closed,
            "all" => null,
            _ => throw ApiProblemException.BadRequest($"'state' must be open, closed or all, not '{state}'."),
        };
        int parsedLimit = Number(limit, "limit", 50, 1, 500);
        int parsedOffset = Number(offset, "offset", 0, 0, int.MaxValue);
        var min = Age(minAge, "min_age");
        var max = Age(maxAge, "max_age");
        return new CaseQuery(
            Empty(queue),
            parsedState,
            Empty(label),
            Empty(language),
            max is { } m ? now - m : null,
            min is { } n ? now - n : null,
            parsedLimit,
            parsedOffset);
    }

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static int Number(string? value, string name, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
            ? n
            : throw ApiProblemException.BadRequest($"'{name}' must be a whole number from {min} to {max}, not '{value}'.");
    }

    /// <summary>Parses 30m, 12h, 7d.</summary>
    public static TimeSpan? Age(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length >= 2 && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= 100_000)
        {
            switch (value[^1])
            {
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        throw ApiProblemException.BadRequest($"'{name}' must be a number followed by m, h or d (e.g. 30m, 12h, 7d), not '{value}'.");
    }

    private static async Task<IResult> ListAsync(
        IVigilStore store, TimeProvider time, CancellationToken cancellationToken,
        string? queue = null, string? state = null, string? label = null, string? language = null,
        string? min_age = null, string? max_age = null, string? limit = null, string? offset = null)
    {
        CaseQuery query;
        try
        {
            query = ParseQuery(queue, state, label, language, min_age, max_age, limit, offset, time.GetUtcNow());
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult();
        }

        var items = await store.Cases.ListAsync(query with { Limit = query.Limit + 1 }, cancellationToken);
        int? next = items.Count > query.Limit ? query.Offset + query.Limit : null;
        return Results.Ok(new CaseListDto([.. items.Take(query.Limit).Select(CaseDto.From)], next));
    }

    private static async Task<IResult> GetAsync(long id, IVigilStore store, CancellationToken cancellationToken)
    {
        var reviewCase = await store.Cases.GetAsync(id, cancellationToken);
        if (reviewCase is null)
        {
            return NotFound(id);
        }

        var content = await store.Content.GetAsync(reviewCase.ContentId, cancellationToken);
        var decisions = await store.Cases.ListDecisionsAsync(id, cancellationToken);
        return Results.Ok(new CaseDetailDto(CaseDto.From(reviewCase), ContentDto.From(content!, reviewCase), [.. decisions.Select(DecisionDto.From)]));
    }

    private static async Task<IResult> ClaimAsync(long id, HttpContext http, CaseWorkflow workflow, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        var result = await workflow.ClaimAsync(id, http.User.Actor(), options.Value.ClaimLease, cancellationToken);
        return result.Status switch
        {
            ClaimStatus.Claimed => Results.Ok(CaseDto.From(result.Case!)),
            ClaimStatus.NotFound => NotFound(id),
            ClaimStatus.Closed => Conflict($"Case {id} is closed."),
            _ => Conflict($"Case {id} is claimed by {result.Case!.ClaimedBy} until {result.Case.LeaseExpiresAt:O}."),
        };
    }

    private static async Task<IResult> ReleaseAsync(long id, HttpContext http, CaseWorkflow workflow, CancellationToken cancellationToken) =>
        await workflow.ReleaseAsync(id, http.User.Actor(), cancellationToken)
            ? Results.NoContent()
            : Conflict($"You hold no lease on case {id}.");

    private static async Task<IResult> DecideAsync(
        long id, DecisionRequest request, HttpContext http, CaseWorkflow workflow, PolicyHolder policy, WebhookWakeUp wakeUp, CancellationToken cancellationToken)
    {
        if (!ReviewDecisionNames.TryParse(request.Decision, out var value))
        {
            return ApiProblemException.BadRequest($"'decision' must be one of {string.Join(", ", ReviewDecisionNames.All)}.").ToResult();
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReasonLength)
        {
            return ApiProblemException.BadRequest($"'reason' is required: 1-{MaxReasonLength} characters saying why.").ToResult();
        }

        var result = await workflow.DecideAsync(new DecideCase(id, value, request.Reason.Trim(), http.User.Actor(), policy.Current.Version), cancellationToken);
        if (result.Status == DecideStatus.Decided)
        {
            wakeUp.Signal();
        }

        return result.Status switch
        {
            DecideStatus.Decided => Results.Created($"/v1/cases/{id}", DecisionDto.From(result.Decision!)),
            DecideStatus.NotFound => NotFound(id),
            DecideStatus.Closed => Conflict($"Case {id} is already closed."),
            _ => Conflict($"Claim case {id} first (POST /v1/cases/{id}/claim); a decision needs a live lease."),
        };
    }

    private static IResult NotFound(long id) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no case {id}.");

    private static IResult Conflict(string detail) => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);
}
