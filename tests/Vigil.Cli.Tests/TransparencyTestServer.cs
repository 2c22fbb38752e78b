using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vigil.Core.Compliance;

namespace Vigil.Cli.Tests;

/// <summary>
/// A stand-in for the EU DSA Transparency Database's <c>POST /api/v1/statements</c> on loopback, answering as the real one
/// documents (digital-services-act/transparency-database, <c>StatementMultipleAPIController</c>): a Bearer token; 1-100
/// statements; every statement validated, and any invalid one refuses the whole batch with 422
/// <c>{"errors":{"statement_N":{field:[…]}}}</c>; a PUID it has (or one twice in the batch) refuses it with 422
/// <c>{"errors":{"puid":[…],"existing_puids":[…]}}</c>; otherwise 201. It can fail the first requests with 503.
/// </summary>
internal sealed class TransparencyTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private int _failuresLeft;

    private TransparencyTestServer(WebApplication app) => _app = app;

    public const string Token = "test-token-1";

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The size of every batch that reached validation.</summary>
    public List<int> BatchSizes { get; } = [];

    public int Requests { get; private set; }

    /// <summary>The PUIDs it holds.</summary>
    public IReadOnlyCollection<string> Known => _known;

    public static async Task<TransparencyTestServer> StartAsync(IEnumerable<string> known, int failFirst)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new TransparencyTestServer(app) { _failuresLeft = failFirst };
        server._known.UnionWith(known);
        app.MapPost("/api/v1/statements", (Func<HttpContext, Task<IResult>>)server.HandleAsync);
        await app.StartAsync();
        server.Endpoint = new Uri(app.Urls.First() + "/api/v1/statements");
        return server;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        lock (_known)
        {
            Requests++;
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                return Results.StatusCode(503);
            }
        }

        if (context.Request.Headers.Authorization.ToString() != $"Bearer {Token}")
        {
            return Results.Json(new { message = "Unauthenticated." }, statusCode: 401);
        }

        var body = await JsonSerializer.DeserializeAsync<Batch>(context.Request.Body);
        var statements = body?.Statements ?? [];
        lock (_known)
        {
            if (statements.Count is < 1 or > 100)
            {
                return Results.Json(new { message = "The statements field must have between 1 and 100 items.", errors = new { statements = new[] { "between 1 and 100" } } }, statusCode: 422);
            }

            BatchSizes.Add(statements.Count);
            var errors = new Dictionary<string, Dictionary<string, string[]>>();
            for (int i = 0; i < statements.Count; i++)
            {
                var problems = TransparencyValidator.Validate(statements[i]);
                if (problems.Count > 0)
                {
                    errors[$"statement_{i}"] = problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => $"The {g.Key} field {p.Message}.").ToArray());
                }
            }

            if (errors.Count > 0)
            {
                return Results.Json(new { errors }, statusCode: 422);
            }

            var puids = statements.Select(s => s.Puid!).ToList();
            var duplicates = puids.Where(p => _known.Contains(p)).Concat(puids.GroupBy(p => p).Where(g => g.Count() > 1).Select(g => g.Key)).Distinct().ToList();
            if (duplicates.Count > 0)
            {
                const string message = "The platform identifier(s) are not all unique within this call.";
                return Results.Json(new { message, errors = new { puid = new[] { message }, existing_puids = duplicates } }, statusCode: 422);
            }

            _known.UnionWith(puids);
            return Results.Json(new { statements = statements.Select(s => new { s.Puid, uuid = Guid.NewGuid() }) }, statusCode: 201);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Batch([property: System.Text.Json.Serialization.JsonPropertyName("statements")] List<TransparencyStatement>? Statements);
}
