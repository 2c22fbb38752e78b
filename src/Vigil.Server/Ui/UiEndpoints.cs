using System.Text.Json;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Wire;
using Vigil.Server.Auth;
using Vigil.Storage;

namespace Vigil.Server.Ui;

/// <summary>Non-page UI resources: a case's image, for signed-in reviewers only; a removal order's document and its
/// Annex II/III replies as JSON downloads, for compliance officers and admins.</summary>
public static class UiEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/ui/content/{id:long}/image", async (long id, HttpContext http, IVigilStore store, CancellationToken ct) =>
            {
                var image = await store.Content.GetPartAsync(id, "image", ct);
                if (image is null)
                {
                    return Results.NotFound();
                }

                if (await store.Compliance.GetPurgedAtAsync(id, ct) is not null)
                {
                    return Results.StatusCode(StatusCodes.Status410Gone); // deleted by retention
                }

                http.Response.Headers.CacheControl = "private, no-store";
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
                http.Response.Headers.ContentDisposition = "inline";
                return Results.Bytes(image.Value.Bytes, image.Value.Part.MediaType);
            })
            .RequireAuthorization(VigilAuth.UiRead)
            .ExcludeFromDescription();

        app.MapGet("/ui/orders/{id:long}/document", async (long id, HttpContext http, IVigilStore store, CancellationToken ct) =>
            {
                if (await store.Compliance.GetOrderDocumentAsync(id, ct) is not { } document)
                {
                    return Results.NotFound();
                }

                http.Response.Headers.CacheControl = "private, no-store";
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
                return Results.File(document.Bytes, document.Document.MediaType, document.Document.Name ?? $"removal-order-{id}{(document.Document.MediaType == "application/pdf" ? ".pdf" : "")}");
            })
            .RequireAuthorization(VigilAuth.UiCompliance)
            .ExcludeFromDescription();

        foreach (string annex in (string[])["annex-ii", "annex-iii"])
        {
            app.MapGet($"/ui/orders/{{id:long}}/{annex}.json", async (long id, IVigilStore store, RemovalOrders orders, TimeProvider time, CancellationToken ct) =>
                {
                    if (await store.Compliance.GetOrderAsync(id, ct) is not { } order)
                    {
                        return Results.NotFound();
                    }

                    object reply = annex == "annex-iii"
                        ? OrderReplies.AnnexIII(order, orders.Clock(order), time.GetUtcNow())
                        : OrderReplies.AnnexII(order, orders.Clock(order), time.GetUtcNow());
                    string name = $"{string.Concat(order.Details.Reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'))}-{annex}.json";
                    return Results.File(JsonSerializer.SerializeToUtf8Bytes(reply, reply.GetType(), WireJson.Options), "application/json", name);
                })
                .RequireAuthorization(VigilAuth.UiCompliance)
                .ExcludeFromDescription();
        }
    }
}
