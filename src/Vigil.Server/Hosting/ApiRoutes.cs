namespace Vigil.Server.Hosting;

/// <summary>
/// The routes of API clients rather than browsers: the API (<c>/v1</c>) and its OpenAPI document. They answer every
/// error with problem JSON, and a missing or wrong credential with 401 or 403: never a redirect to the sign-in page
/// or an HTML page.
/// </summary>
public static class ApiRoutes
{
    public static bool Contains(PathString path) => path.StartsWithSegments("/v1") || path.StartsWithSegments("/openapi");
}
