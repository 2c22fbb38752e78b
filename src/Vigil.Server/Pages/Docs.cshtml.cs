using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OpenApi;

namespace Vigil.Server.Pages;

/// <summary>The API reference, rendered on the server from the same OpenAPI document as <c>/openapi/v1.json</c>.</summary>
public sealed class DocsModel([FromKeyedServices("v1")] IOpenApiDocumentProvider provider) : PageModel
{
    public sealed record Operation(string Method, string Path, string? Summary, string? Tag, IReadOnlyList<string> Parameters, IReadOnlyList<string> Responses);

    public string Title { get; private set; } = "";

    public string? Description { get; private set; }

    public IReadOnlyList<Operation> Operations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
        Title = document.Info?.Title ?? "API";
        Description = document.Info?.Description;
        var operations = new List<Operation>();
        foreach (var (path, item) in document.Paths ?? [])
        {
            foreach (var (method, operation) in item.Operations ?? [])
            {
                operations.Add(new Operation(
                    method.Method.ToUpperInvariant(),
                    path,
                    operation.Summary ?? operation.Description,
                    operation.Tags?.FirstOrDefault()?.Name,
                    [.. (operation.Parameters ?? []).Select(p => $"{p.Name} ({p.In?.ToString().ToLowerInvariant()}{(p.Required ? ", required" : "")})")],
                    [.. (operation.Responses ?? []).Select(r => r.Key)]));
            }
        }

        Operations = [.. operations.OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal)];
    }
}
