using Microsoft.Extensions.Options;
using Vigil.Moderation.Content;
using Vigil.Moderation.Pipeline;
using Vigil.Server.Auth;
using Vigil.Storage;

namespace Vigil.Server.Api;

/// <summary><c>POST /v1/content</c> (store, decide, open a case), <c>GET /v1/content/{id}</c>, <c>POST /v1/classify</c> (stateless).</summary>
public static class ContentEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/content", SubmitAsync)
            .RequireAuthorization(VigilAuth.Ingest)
            .Accepts<SubmissionJson>("application/json", "multipart/form-data")
            .Produces<ContentDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("SubmitContent")
            .WithSummary("Submit content (text, an image or both) with the platform's ids; returns signals, verdict and action, and opens a case when it needs review.")
            .WithTags("content");

        v1.MapGet("/content/{id:long}", GetAsync)
            .RequireAuthorization(VigilAuth.ReadContent)
            .WithName("GetContent")
            .WithSummary("A stored submission with its result and case.")
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
        HttpContext http, SubmitContent submit, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
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

        var stored = await submit.ExecuteAsync(request.ToSubmission(http.User.Actor()), cancellationToken);
        return Results.Created($"/v1/content/{stored.Content.Id}", ContentDto.From(stored.Content, stored.Case));
    }

    private static async Task<IResult> GetAsync(long id, IVigilStore store, CancellationToken cancellationToken)
    {
        var item = await store.Content.GetAsync(id, cancellationToken);
        if (item is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no content item {id}.");
        }

        return Results.Ok(ContentDto.From(item, await store.Cases.GetByContentAsync(id, cancellationToken)));
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
