using Microsoft.Extensions.Options;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Queue;
using Vigil.Server.Auth;
using Vigil.Server.Queue;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Content;

namespace Vigil.Server.Api;

/// <summary><c>POST /v1/content</c> (store, decide, open a case; or, with a work queue, store and queue),
/// <c>GET /v1/content/{id}</c>, <c>POST /v1/classify</c> (stateless).</summary>
public static class ContentEndpoints
{
    /// <summary>The header that makes a submission idempotent (the same key by the same key holder: the same item).</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>How long a client is asked to wait before trying again when the queue cannot take a submission.</summary>
    public const int RetryAfterSeconds = 5;

    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/content", SubmitAsync)
            .RequireAuthorization(VigilAuth.Ingest)
            .Accepts<SubmissionJson>("application/json", "multipart/form-data")
            .Produces<ContentDto>(StatusCodes.Status201Created)
            .Produces<ContentDto>(StatusCodes.Status200OK)
            .Produces<ContentDto>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithName("SubmitContent")
            .WithSummary("Submit content (text, an image or both) with the platform's ids; returns signals, verdict and action, and opens a case when it needs review. With a work queue: 202 and the item's URL (its result follows in GET and the content.assessed webhook; ?wait=true waits for it a while); 503 with Retry-After when the queue cannot take it. An Idempotency-Key header (or, with a queue, the platform's content id) makes a repeated submission return the first item (200).")
            .WithTags("content");

        v1.MapGet("/content/{id:long}", GetAsync)
            .RequireAuthorization(VigilAuth.ReadContent)
            .WithName("GetContent")
            .WithSummary("A stored submission with its result and case. An ingest key reads only what it submitted (404 for another key's items); a key with review or admin reads every item.")
            .WithTags("content");

        v1.MapPost("/classify", ClassifyAsync)
            .RequireAuthorization(VigilAuth.Ingest)
            .Accepts<SubmissionJson>("application/json", "multipart/form-data")
            .Produces<VerdictDto>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithName("Classify")
            .WithSummary("Classify without storing anything: signals, verdict and action.")
            .WithTags("content");
    }

    private static async Task<IResult> SubmitAsync(
        HttpContext http, IOptions<VigilServerOptions> options, QueueConnection queue, WebhookWakeUp wakeUp, CancellationToken cancellationToken, bool wait = false)
    {
        SubmissionRequest request;
        try
        {
            request = await SubmissionReader.ReadAsync(http.Request, options.Value, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult();
        }

        string? key = http.Request.Headers[IdempotencyHeader].ToString() is { Length: > 0 } given ? given.Trim() : null;
        if (key is { Length: > 200 } || (key is not null && key.Any(char.IsControl)))
        {
            return ApiProblemException.BadRequest($"The {IdempotencyHeader} header must be at most 200 characters, without control characters.").ToResult();
        }

        var submission = request.ToSubmission(http.User.Actor()) with { IdempotencyKey = key };
        if (queue.Broker is null)
        {
            var stored = await http.RequestServices.GetRequiredService<SubmitContent>().ExecuteAsync(submission, cancellationToken);
            if (!stored.Created)
            {
                return Results.Ok(ContentDto.From(stored.Content, stored.Case));
            }

            wakeUp.Signal();
            return Results.Created($"/v1/content/{stored.Content.Id}", ContentDto.From(stored.Content, stored.Case));
        }

        Queued queued;
        try
        {
            queued = await http.RequestServices.GetRequiredService<QueueContent>().ExecuteAsync(submission, cancellationToken);
        }
        catch (QueueUnavailableException unavailable)
        {
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The work queue cannot take the submission now",
                detail: $"Nothing was stored: {unavailable.Message}. Try again after {RetryAfterSeconds} s.");
        }

        var item = queued.Content;
        if (wait && item.Pending)
        {
            item = await WaitForResultAsync(http.RequestServices.GetRequiredService<IVigilStore>(), item, options.Value.QueueWait, cancellationToken);
        }

        var store = http.RequestServices.GetRequiredService<IVigilStore>();
        var dto = ContentDto.From(item, item.Pending ? null : await store.Cases.GetByContentAsync(item.Id, cancellationToken));
        string location = $"/v1/content/{item.Id}";
        return item.Pending ? Results.Accepted(location, dto)
            : queued.Created ? Results.Created(location, dto)
            : Results.Ok(dto);
    }

    /// <summary>Reads the item again until a worker has stored its result or <paramref name="limit"/> has passed.</summary>
    private static async Task<ContentItem> WaitForResultAsync(IVigilStore store, ContentItem item, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        var delay = TimeSpan.FromMilliseconds(20);
        while (item.Pending && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 250));
            item = await store.Content.GetAsync(item.Id, cancellationToken) ?? item;
        }

        return item;
    }

    private static async Task<IResult> GetAsync(long id, HttpContext http, ContentReads reads, CancellationToken cancellationToken)
    {
        bool readsAll = http.User.HasClaim(VigilAuth.ScopeClaim, "review") || http.User.HasClaim(VigilAuth.ScopeClaim, "admin");
        if (await reads.GetAsync(id, new ContentReader(http.User.Actor(), readsAll), cancellationToken) is not var (item, reviewCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no content item {id}.");
        }

        return Results.Ok(ContentDto.From(item, reviewCase));
    }

    private static async Task<IResult> ClassifyAsync(HttpContext http, ContentPipeline pipeline, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        SubmissionRequest request;
        try
        {
            request = await SubmissionReader.ReadAsync(http.Request, options.Value, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult();
        }

        var result = await pipeline.AssessAsync(request.ToSubmission(http.User.Actor()).Parts(), cancellationToken);
        return Results.Ok(VerdictDto.From(result.Outcome.Verdict, result.Assessment.Signals, result.Outcome.Action, result.Outcome.Rule));
    }
}
