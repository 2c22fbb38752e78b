using Vigil.Server.Auth;
using Vigil.Storage;

namespace Vigil.Server.Ui;

/// <summary>Non-page UI resources: a case's image, for signed-in reviewers only.</summary>
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

                http.Response.Headers.CacheControl = "private, no-store";
                http.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
                http.Response.Headers.ContentDisposition = "inline";
                return Results.Bytes(image.Value.Bytes, image.Value.Part.MediaType);
            })
            .RequireAuthorization(VigilAuth.UiRead)
            .ExcludeFromDescription();
    }
}
