using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Vigil.Server.Auth;

namespace Vigil.Server.Hosting;

/// <summary>
/// Every error answer says what went wrong: RFC 7807 problem JSON with a <c>detail</c> (filled in here when the
/// framework gives none: an unknown route, a method or content type an endpoint does not take), and for a browser on a
/// UI route (not <see cref="ApiRoutes"/>) the same as an HTML page (<see cref="HtmlProblemWriter"/>).
/// </summary>
public static class Problems
{
    public static void AddVigilProblems(this IServiceCollection services)
    {
        // Before AddProblemDetails' JSON writer: the first writer that can write an answer writes it.
        services.AddSingleton<IProblemDetailsWriter, HtmlProblemWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Complete);
    }

    /// <summary>A result (for pages) that answers with a problem, as JSON or an HTML page as the client accepts.</summary>
    public static IActionResult Result(int status, string title, string detail) => new ProblemActionResult(status, title, detail);

    /// <summary>Gives a problem without a detail one that says what was wrong with the request.</summary>
    private static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var http = context.HttpContext;
        var request = http.Request;
        string path = request.Path.Value ?? "/";
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status401Unauthorized => "Sign in at /signin, or send an API key ('Authorization: Bearer vgl_…').",
            StatusCodes.Status403Forbidden => VigilAuth.Refusal(http) is { } needed ? $"This needs {needed}." : "You are not allowed to do this.",
            StatusCodes.Status404NotFound => ApiRoutes.Contains(request.Path)
                ? $"There is no endpoint at {path}. The API's endpoints are listed at /docs and in /openapi/v1.json."
                : $"There is no page at {path}.",
            StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow.ToString() is { Length: > 0 } allow
                ? $"{request.Method} is not allowed on {path}; it takes {allow}."
                : $"{request.Method} is not allowed on {path}.",
            StatusCodes.Status415UnsupportedMediaType => Unsupported(http),
            _ => $"The request failed: {problem.Status} {ReasonPhrases.GetReasonPhrase(problem.Status ?? 500)}.",
        };
    }

    /// <summary>A 415's detail: the content types the endpoints at this path and method accept, and what was sent.</summary>
    private static string Unsupported(HttpContext http)
    {
        var request = http.Request;
        string sent = string.IsNullOrEmpty(request.ContentType) ? "a body without a Content-Type" : $"'{request.ContentType}'";
        var accepted = new List<string>();
        foreach (var endpoint in http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts
                && endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(request.Method, StringComparer.OrdinalIgnoreCase) != false
                && new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), []).TryMatch(request.Path, []))
            {
                accepted.AddRange(accepts.ContentTypes.Where(t => !accepted.Contains(t, StringComparer.OrdinalIgnoreCase)));
            }
        }

        return accepted.Count > 0
            ? $"{request.Method} {request.Path} takes {string.Join(" or ", accepted)}, not {sent}."
            : $"{request.Method} {request.Path} does not take {sent}.";
    }

    private sealed class ProblemActionResult(int status, string title, string detail) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) =>
            Results.Problem(statusCode: status, title: title, detail: detail).ExecuteAsync(context.HttpContext);
    }
}

/// <summary>
/// A problem as an HTML page, for browsers (the request accepts <c>text/html</c>) on UI routes: what went wrong, in
/// words, and the way back; never for <see cref="ApiRoutes"/>, which always answer problem JSON.
/// </summary>
public sealed class HtmlProblemWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context)
    {
        var request = context.HttpContext.Request;
        return !ApiRoutes.Contains(request.Path)
            && (MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var accepted) ? accepted : [])
                .Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0);
    }

    public async ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context); // as the JSON writer does
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var html = HtmlEncoder.Default;
        int status = problem.Status ?? http.Response.StatusCode;
        string title = html.Encode(problem.Title ?? ReasonPhrases.GetReasonPhrase(status));
        string back = http.User.Identity?.IsAuthenticated == true ? "<a href=\"/queue\">Back to the queue</a>" : "<a href=\"/signin\">Sign in</a>";
        string page = string.Create(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <link rel="icon" href="data:,">
            <title>{{title}} · Vigil</title>
            <style nonce="{{SecurityHeaders.Nonce(http)}}">
                body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: #1a1a1a; }
                main { padding: 1.25rem 1.5rem 3rem; max-width: 48rem; overflow-wrap: anywhere; }
                h1 { font-size: 1.5rem; }
                .notice { padding: .75rem 1rem; border-left: 4px solid #8a1c00; background: #fdecea; }
                .hint { color: #4a4a4a; }
            </style>
            </head>
            <body>
            <main id="main">
            <h1>{{title}}</h1>
            <p class="notice" role="alert" id="problem-detail">{{html.Encode(problem.Detail ?? "")}}</p>
            <p class="hint">HTTP {{status}}. {{back}}.</p>
            </main>
            </body>
            </html>

            """);
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(page, http.RequestAborted);
    }
}

/// <summary>A form posted without its antiforgery token (or with a stale one) is a 400 problem that says so, instead
/// of an empty 400.</summary>
public sealed class AntiforgeryFailureFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = Problems.Result(
                StatusCodes.Status400BadRequest,
                "The form could not be accepted",
                "The form's antiforgery token is missing or no longer valid (it protects you from forms posted by other sites). Go back, reload the page and submit the form again.");
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
