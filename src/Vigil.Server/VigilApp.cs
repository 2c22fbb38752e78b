using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Core;
using Vigil.Core.Content;
using Vigil.Media;
using Vigil.Media.Ocr;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Hosting;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Policies;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.Ui;
using Vigil.Server.Webhooks;
using Vigil.Storage;
using Vigil.Text;

namespace Vigil.Server;

/// <summary>Builds the moderation service: API under <c>/v1</c>, review UI, webhooks dispatcher, on one store.</summary>
public static partial class VigilApp
{
    /// <summary>Builds the app from command-line style arguments (<c>--Vigil:Database=…</c>, <c>--urls=…</c>);
    /// <paramref name="configure"/> may replace services (tests, the CLI).</summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(VigilApp).Assembly.GetName().Name,
        });
        RequestLogging.AddDefaults(builder.Configuration);
        AddServices(builder.Services, builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        await InitializeAsync(app, cancellationToken);
        UsePipeline(app);
        return app;
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VigilServerOptions>().Bind(configuration.GetSection(VigilServerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddVigilStorage(sp => sp.GetRequiredService<IOptions<VigilServerOptions>>().Value.Database);
        services.AddVigilModeration();
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return TextResources.Load(options.Data ?? TextResources.DefaultDirectory());
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return new TextAnalyzer(sp.GetRequiredService<TextResources>(), new TextAnalyzerOptions(options.IdentifyLanguage, options.Embeddings));
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            string path = options.Policy ?? Path.Combine(options.Data ?? TextResources.DefaultDirectory(), "policy.json");
            string json = File.ReadAllText(path);
            return new PolicyHolder(sp.GetRequiredService<TextAnalyzer>().PolicyFor(Policy.Parse(json)), json);
        });
        services.TryAddSingleton<IBankMatcherSource>(sp => new LiveBankMatcher(
            sp.GetRequiredService<HashBanks>(), sp.GetRequiredService<IOptions<VigilServerOptions>>().Value.BankRefresh, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => MediaGates.From(sp.GetRequiredService<IOptions<VigilServerOptions>>().Value));
        services.TryAddSingleton(CreatePipeline);
        services.TryAddSingleton<WebhookWakeUp>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Vigil-Webhooks/1"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        // Cookie and antiforgery keys live in a folder (next to a SQLite database by default), so that sessions survive a
        // restart; processes serving one site share it.
        services.AddDataProtection().SetApplicationName("Vigil");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<VigilServerOptions>, ILoggerFactory>((keys, vigil, logs) =>
            keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(KeysFolder(vigil.Value)), logs));
        services.AddVigilProblems();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddVigilAuth();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "vigil.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__csrf";
        });
        services.AddScoped<Wellbeing>();
        services.AddRazorPages(o =>
            {
                o.Conventions.AuthorizeFolder("/", VigilAuth.UiRead);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AuthorizePage("/Audit", VigilAuth.UiAdmin);
            })
            .AddMvcOptions(o =>
            {
                o.Filters.Add<WellbeingPageFilter>();
                o.Filters.Add<AntiforgeryFailureFilter>();
            });
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Vigil moderation API";
            document.Info.Version = "v1";
            document.Info.Description = "Submit content, classify, review cases, manage hash banks, keys and webhooks. Authenticate with 'Authorization: Bearer vgl_…' (or X-Api-Key); scopes: ingest, review, admin. Errors are RFC 7807 problem JSON.";
            return Task.CompletedTask;
        }));
    }

    /// <summary>Where the cookie and antiforgery keys live (<see cref="VigilServerOptions.Keys"/>).</summary>
    public static string KeysFolder(VigilServerOptions options) => Path.GetFullPath(
        options.Keys ?? (VigilStorage.IsPostgres(options.Database) ? "vigil.keys" : VigilStorage.Absolute(options.Database) + ".keys"));

    /// <summary>The content pipeline: images decoded under the pixel budget (<see cref="VigilServerOptions.MaxImagePixels"/>),
    /// a bounded number at once; every registered signal type's hashes matched against the banks as they are now; the text
    /// detectors; and OCR with Tesseract when it is installed (said once in the log when it is not), on images reduced to
    /// <see cref="VigilServerOptions.OcrMaxPixels"/>, a bounded number at once.</summary>
    private static ContentPipeline CreatePipeline(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<VigilServerOptions>>().Value;
        var gates = services.GetRequiredService<MediaGates>();
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil.Ocr");
        var detectors = new List<Vigil.Core.Content.IContentDetector> { new TextDetector(services.GetRequiredService<TextAnalyzer>()) };
        if (options.Ocr)
        {
            var tesseract = new TesseractOcr(new TesseractOptions(Timeout: options.OcrTimeout) { MaxPixels = options.OcrMaxPixels });
            detectors.Add(new OcrDetector(tesseract, why => LogOcrUnavailable(log, why), gates.Ocr));
        }

        return new ContentPipeline(
            services.GetRequiredService<Vigil.Core.Signals.SignalTypeRegistry>(),
            [new ImagePartReader(new ImageDecoder(options.MaxImagePixels))],
            detectors,
            services.GetRequiredService<IBankMatcherSource>(),
            services.GetRequiredService<PolicyHolder>().Current,
            gates.Decodes);
    }

    /// <summary>Opens the store, records the policy in force (auditing a change) and says how to create the first admin.</summary>
    private static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        var store = await app.Services.GetRequiredService<StorageHolder>().OpenAsync(cancellationToken);
        var policy = app.Services.GetRequiredService<PolicyHolder>();
        _ = app.Services.GetRequiredService<ContentPipeline>(); // load the detectors now, not on the first request
        var (changed, previous) = await app.Services.GetRequiredService<PolicyHistory>().RecordAsync(policy.Current.Version, policy.Json, "system", cancellationToken);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil");
        LogStarted(logger, store.Location, policy.Current.Version, changed ? $"changed from {previous?.Version ?? "none"}" : "unchanged");
        if (await store.Users.CountAsync(cancellationToken) == 0)
        {
            LogNoUsers(logger, store.Location);
        }
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseMiddleware<RequestLogging>();
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                BusyException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            ExceptionHandler = WriteExceptionAsync,

            // A busy answer is no error of the service: not logged as one.
            SuppressDiagnosticsCallback = c => c.Exception is BusyException,
        });
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapGet("/health", async Task<Results<Ok<HealthDto>, ProblemHttpResult>> (IVigilStore store, CancellationToken ct) =>
            {
                await store.Users.CountAsync(ct);
                return TypedResults.Ok(new HealthDto("ok"));
            })
            .AllowAnonymous()
            .WithTags("health")
            .WithName("Health")
            .WithSummary("Liveness and database reachability; the only endpoint without authentication.");
        var v1 = app.MapGroup("/v1");
        ContentEndpoints.Map(v1);
        CaseEndpoints.Map(v1);
        AdminEndpoints.Map(v1);
        BankEndpoints.Map(v1);
        app.MapOpenApi().RequireAuthorization(VigilAuth.AnyAuthenticated);
        UiEndpoints.Map(app);
        app.MapRazorPages();
    }

    private static async Task WriteExceptionAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        string detail = error switch
        {
            BadHttpRequestException bad when bad.InnerException is System.Text.Json.JsonException json => $"{bad.Message} {json.Message}",
            BadHttpRequestException bad => bad.Message,
            BusyException busy => busy.Message,
            _ => $"An unexpected error occurred; it was logged (trace id {context.TraceIdentifier}).",
        };
        if (error is BusyException { RetryAfter: var retryAfter })
        {
            context.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = error,
            ProblemDetails =
            {
                Status = context.Response.StatusCode,
                Title = context.Response.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "The request is too large",
                    StatusCodes.Status503ServiceUnavailable => "Busy",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    < 500 => "The request is not valid",
                    _ => "Internal error",
                },
                Detail = detail,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Vigil serving from {Database}; policy {Version} ({Change})")]
    private static partial void LogStarted(ILogger logger, string database, string version, string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Why}")]
    private static partial void LogOcrUnavailable(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No users yet. Create the first admin: vigil user add NAME --role admin --db {Database}")]
    private static partial void LogNoUsers(ILogger logger, string database);
}

/// <summary>Security headers on every answer (error pages included); the CSP allows only this request's inline style
/// and script (by nonce). An endpoint may set a stricter CSP of its own.</summary>
public static class SecurityHeaders
{
    public const string NonceKey = "vigil.csp-nonce";

    public static Task ApplyAsync(HttpContext context, Func<Task> next)
    {
        string nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        // When the answer starts, so that an error handler clearing the response does not drop them.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = $"default-src 'none'; img-src 'self' data:; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'";
            }

            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next();
    }

    public static string Nonce(HttpContext context) => context.Items[NonceKey] as string ?? "";
}
