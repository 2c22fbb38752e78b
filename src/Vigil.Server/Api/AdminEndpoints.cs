using Vigil.Moderation.Access;
using Vigil.Moderation.Audit;
using Vigil.Moderation.Webhooks;
using Vigil.Server.Auth;
using Vigil.Storage;
using Vigil.Storage.Users;

namespace Vigil.Server.Api;

/// <summary>API keys, webhooks, the audit log and the policy: the <c>admin</c> scope.</summary>
public static class AdminEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        var keys = v1.MapGroup("/keys").RequireAuthorization(VigilAuth.Admin).WithTags("keys");
        keys.MapGet("/", async (IVigilStore store, CancellationToken ct) => Results.Ok((await store.ApiKeys.ListAsync(ct)).Select(KeyDto.From)))
            .WithName("ListKeys").WithSummary("Every API key (never their secrets).").Produces<KeyDto[]>();
        keys.MapPost("/", CreateKeyAsync).WithName("CreateKey").WithSummary("Create a key with scopes ingest, review and/or admin; the secret is shown once.")
            .Produces<CreatedKeyDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        keys.MapDelete("/{id}", async (string id, HttpContext http, ApiKeys keys, CancellationToken ct) =>
                await keys.RevokeAsync(id, http.User.Actor(), ct) ? Results.NoContent() : NotFound($"There is no live key '{id}'."))
            .WithName("RevokeKey").WithSummary("Revoke a key.");

        var hooks = v1.MapGroup("/webhooks").RequireAuthorization(VigilAuth.Admin).WithTags("webhooks");
        hooks.MapGet("/", async (IVigilStore store, CancellationToken ct) => Results.Ok((await store.Webhooks.ListAsync(ct)).Select(WebhookDto.From)))
            .WithName("ListWebhooks").WithSummary("Every webhook (never their secrets).").Produces<WebhookDto[]>();
        hooks.MapPost("/", CreateWebhookAsync).WithName("CreateWebhook")
            .WithSummary("Subscribe an endpoint to decision events; deliveries are signed with HMAC-SHA256 ('Vigil-Signature: sha256=HEX' over the body).")
            .Produces<CreatedWebhookDto>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        hooks.MapDelete("/{id:long}", async (long id, HttpContext http, WebhookSubscriptions webhooks, CancellationToken ct) =>
                await webhooks.DeleteAsync(id, http.User.Actor(), ct) ? Results.NoContent() : NotFound($"There is no webhook {id}."))
            .WithName("DeleteWebhook").WithSummary("Stop a webhook (pending deliveries are dropped).");
        hooks.MapGet("/{id:long}/deliveries", async (long id, IVigilStore store, CancellationToken ct) =>
                await store.Webhooks.GetAsync(id, ct) is null
                    ? NotFound($"There is no webhook {id}.")
                    : Results.Ok((await store.Webhooks.ListDeliveriesAsync(id, 100, ct)).Select(DeliveryDto.From)))
            .WithName("ListDeliveries").WithSummary("The webhook's last 100 deliveries, newest first.").Produces<DeliveryDto[]>();

        var audit = v1.MapGroup("/audit").RequireAuthorization(VigilAuth.Admin).WithTags("audit");
        audit.MapGet("/", async (IVigilStore store, CancellationToken ct, long? before = null, int? limit = null) =>
                Results.Ok((await store.Audit.ListAsync(Math.Clamp(limit ?? 100, 1, 1000), before, ct)).Select(AuditEntryDto.From)))
            .WithName("ListAudit").WithSummary("Audit entries, newest first (page with before=SEQ).").Produces<AuditEntryDto[]>();
        audit.MapGet("/verify", async (AuditTrail trail, CancellationToken ct) => Results.Ok(AuditVerificationDto.From(await trail.VerifyAsync(ct))))
            .WithName("VerifyAudit").WithSummary("Check the hash chain; reports the first broken link.").Produces<AuditVerificationDto>();

        v1.MapGet("/policy", (PolicyHolder policy) => Results.Text(policy.Json, "application/json"))
            .RequireAuthorization(VigilAuth.Admin).WithTags("policy").WithName("GetPolicy").WithSummary("The policy in force (JSON, as loaded).");
    }

    private static async Task<IResult> CreateKeyAsync(KeyRequest request, HttpContext http, ApiKeys keys, CancellationToken cancellationToken)
    {
        string name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            return ApiProblemException.BadRequest("'name' is required (1-100 characters): say who or what uses the key.").ToResult();
        }

        if (request.Scopes is not { Count: > 0 } || !ApiScopeNames.TryParse(request.Scopes, out var scopes))
        {
            return ApiProblemException.BadRequest($"'scopes' must list one or more of {string.Join(", ", ApiScopeNames.All)}.").ToResult();
        }

        var (key, secret) = await keys.CreateAsync(name, scopes, http.User.Actor(), cancellationToken);
        return Results.Created($"/v1/keys/{key.Id}", new CreatedKeyDto(KeyDto.From(key), secret));
    }

    private static async Task<IResult> CreateWebhookAsync(WebhookRequest request, HttpContext http, WebhookSubscriptions webhooks, CancellationToken cancellationToken)
    {
        try
        {
            var (hook, secret) = await webhooks.RegisterAsync(request.Url, request.Events, request.Secret, http.User.Actor(), cancellationToken);
            return Results.Created($"/v1/webhooks/{hook.Id}", new CreatedWebhookDto(WebhookDto.From(hook), secret));
        }
        catch (WebhookRequestException e)
        {
            return ApiProblemException.BadRequest(e.Message).ToResult();
        }
    }

    private static IResult NotFound(string detail) => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);
}
