using Microsoft.Extensions.Options;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Content;
using Vigil.Server.Auth;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Compliance;

namespace Vigil.Server.Api;

/// <summary>A notice from the platform's "report" button (DSA Art 16). <c>text</c> and/or <c>image_base64</c> (with
/// <c>author_id</c>) carry content Vigil has not stored yet; as <c>multipart/form-data</c> the image is a file part
/// <c>image</c>.</summary>
public sealed record NoticeJson(
    string? ContentId,
    string? Url,
    string? Explanation,
    string? Category,
    string? NotifierName,
    string? NotifierEmail,
    bool? GoodFaith,
    bool? TrustedFlagger,
    string? Text,
    string? AuthorId,
    string? ImageBase64 = null);

/// <summary>A complaint against a decision (DSA Art 20): by the <c>uploader</c> or the <c>notifier</c>.</summary>
public sealed record ComplaintJson(long? DecisionId, string? Complainant, string? Explanation);

/// <summary>A complaint's outcome: <c>upheld</c> or <c>reversed</c>, with the reason.</summary>
public sealed record ComplaintDecisionJson(string? Outcome, string? Reason);

/// <summary>The acknowledgement of a notice (DSA Art 16(4)).</summary>
public sealed record NoticeReceiptDto(long NoticeId, DateTimeOffset ReceivedAt, long ContentId, long CaseId, int Priority, string Acknowledgement);

/// <summary><c>POST /v1/notices</c>, <c>POST /v1/complaints</c>, <c>GET /v1/complaints/{id}</c>,
/// <c>POST /v1/complaints/{id}/decision</c>, <c>GET /v1/admin/records</c>: thin calls of <see cref="Notices"/>,
/// <see cref="Complaints"/> and <see cref="MeasuresRecord"/>.</summary>
public static class ComplianceEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/notices", SubmitNoticeAsync)
            .RequireAuthorization(VigilAuth.Ingest)
            .Accepts<NoticeJson>("application/json", "multipart/form-data")
            .Produces<NoticeReceiptDto>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithName("SubmitNotice")
            .WithSummary("A notice (DSA Art 16): acknowledged, assessed, put before a moderator (trusted flaggers first); answered by the webhook notice.decided. Content Vigil has not stored yet comes with it: text and/or an image (image_base64, or a multipart file part 'image'), under the limits of POST /v1/content; an image that does not decode goes to review.")
            .WithTags("compliance");
        v1.MapPost("/complaints", SubmitComplaintAsync)
            .RequireAuthorization(VigilAuth.Ingest)
            .Produces<Complaint>(StatusCodes.Status201Created)
            .WithName("SubmitComplaint")
            .WithSummary("A complaint against a decision (DSA Art 20), within six months: opens a case in the appeals queue.")
            .WithTags("compliance");
        v1.MapGet("/complaints/{id:long}", GetComplaintAsync)
            .RequireAuthorization(VigilAuth.ReadContent)
            .WithName("GetComplaint")
            .WithTags("compliance");
        v1.MapPost("/complaints/{id:long}/decision", DecideComplaintAsync)
            .RequireAuthorization(VigilAuth.Review)
            .Produces<Complaint>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithName("DecideComplaint")
            .WithSummary("Upheld or reversed, by someone other than the contested decision's maker; a reversal reinstates (webhook content.reinstated).")
            .WithTags("compliance");
        v1.MapGet("/admin/records", async (IVigilStore store, PolicyHolder policy, StatementSettings statements, ComplianceSettings compliance, TimeProvider time, CancellationToken ct) =>
                Results.Ok(await MeasuresRecord.BuildAsync(store, policy.Current, statements, compliance, time, ct)))
            .RequireAuthorization(VigilAuth.Admin)
            .Produces<MeasuresRecord>()
            .WithName("GetRecords")
            .WithSummary("The record of the measures in force (UK OSA 2023 s.23): policy and thresholds, every policy and bank change with who and when, the banks in force, the statement settings, the retention in force (preservation period, kept-up retention, deletion schedule).")
            .WithTags("compliance");
    }

    private static async Task<IResult> SubmitNoticeAsync(HttpContext http, Notices notices, IOptions<VigilServerOptions> options, CancellationToken cancellationToken)
    {
        string actor = http.User.Actor();
        NoticeForm form;
        try
        {
            form = await NoticeReader.ReadAsync(http.Request, options.Value, cancellationToken);
        }
        catch (ApiProblemException problem)
        {
            return problem.ToResult();
        }

        var request = form.Fields;
        var content = string.IsNullOrEmpty(request.Text) && form.Image is null
            ? null
            : new Submission(request.ContentId, request.AuthorId, request.Url, null, string.IsNullOrEmpty(request.Text) ? null : request.Text, form.Image is null ? [] : [form.Image], actor);
        try
        {
            var receipt = await notices.SubmitAsync(
                new NoticeRequest(request.ContentId, request.Url, request.Explanation, request.Category, request.NotifierName, request.NotifierEmail, request.GoodFaith == true, request.TrustedFlagger == true, content, actor),
                cancellationToken);
            return Results.Created(
                $"/v1/content/{receipt.Content.Id}",
                new NoticeReceiptDto(
                    receipt.Notice.Id, receipt.Notice.ReceivedAt, receipt.Content.Id, receipt.Case.Id, receipt.Case.Priority,
                    "Your notice was received and will be assessed; you will be told the decision and how to contest it."));
        }
        catch (NoticeException e)
        {
            return Results.Problem(statusCode: e.ContentMissing ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest, title: "The notice is not valid", detail: e.Message);
        }
    }

    private static async Task<IResult> SubmitComplaintAsync(ComplaintJson request, HttpContext http, Complaints complaints, CancellationToken cancellationToken)
    {
        if (request.DecisionId is not { } decisionId)
        {
            return ApiProblemException.BadRequest("'decision_id' is required: the decision contested.").ToResult();
        }

        try
        {
            var complaint = await complaints.SubmitAsync(new ComplaintRequest(decisionId, request.Complainant, request.Explanation, http.User.Actor()), cancellationToken);
            return Results.Created($"/v1/complaints/{complaint.Id}", complaint);
        }
        catch (ComplaintException e)
        {
            return Problem(e);
        }
    }

    private static async Task<IResult> GetComplaintAsync(long id, IVigilStore store, CancellationToken cancellationToken) =>
        await store.Notices.GetComplaintAsync(id, cancellationToken) is { } complaint
            ? Results.Ok(complaint)
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"There is no complaint {id}.");

    private static async Task<IResult> DecideComplaintAsync(
        long id, ComplaintDecisionJson request, HttpContext http, Complaints complaints, PolicyHolder policy, WebhookWakeUp wakeUp, CancellationToken cancellationToken)
    {
        if (request.Outcome is not ("upheld" or "reversed"))
        {
            return ApiProblemException.BadRequest("'outcome' must be 'upheld' or 'reversed'.").ToResult();
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > CaseEndpoints.MaxReasonLength)
        {
            return ApiProblemException.BadRequest($"'reason' is required: 1-{CaseEndpoints.MaxReasonLength} characters saying why.").ToResult();
        }

        try
        {
            var (complaint, _) = await complaints.DecideAsync(id, request.Outcome == "reversed", request.Reason, http.User.Actor(), policy.Current.Version, cancellationToken);
            wakeUp.Signal();
            return Results.Ok(complaint);
        }
        catch (ComplaintException e)
        {
            return Problem(e);
        }
    }

    private static IResult Problem(ComplaintException e) => e.Problem switch
    {
        ComplaintProblem.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: e.Message),
        ComplaintProblem.SameDecider => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Someone else decides this complaint", detail: e.Message),
        ComplaintProblem.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: e.Message),
        _ => ApiProblemException.BadRequest(e.Message).ToResult(),
    };
}
