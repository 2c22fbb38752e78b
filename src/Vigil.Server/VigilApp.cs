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
using Vigil.Moderation.Access;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Compliance;
using Vigil.Moderation.Hosting;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Policies;
using Vigil.Moderation.Queue;
using Vigil.Moderation.Secrets;
using Vigil.Moderation.Webhooks;
using Vigil.Server.Api;
using Vigil.Server.Auth;
using Vigil.Server.Hosting;
using Vigil.Server.Queue;
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
        // The server's own access settings, before the use cases' defaults (AddVigilModeration uses TryAdd).
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return new AccessLimits
            {
                SignInFailuresPerAccount = options.SignInFailuresPerAccount,
                SignInFailuresPerAddress = options.SignInFailuresPerAddress,
                ApiKeyFailuresPerAddress = options.ApiKeyFailuresPerAddress,
                Lockout = options.FailureLockout,
            };
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return new SessionSettings(options.SessionLifetime, options.SessionCheckInterval);
        });
        AddPipelineServices(services, configuration);
        services.AddVigilRateLimits();
        AddWebhookDelivery(services);
        services.AddHostedService<ComplianceJobs>();
        services.AddHostedService<StatementDisclosureWorker>();
        services.TryAddSingleton<QueueContent>(sp => new QueueContent(
            sp.GetRequiredService<IVigilStore>(),
            sp.GetRequiredService<QueueConnection>().Broker ?? throw new InvalidOperationException("No work queue is configured (Vigil:Queue)."),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<BankChangeAnnouncer>();

        // Cookie and antiforgery keys live in a folder only its owner may open (next to a SQLite database by default),
        // so that sessions survive a restart; processes serving one site share it; sealed with the operator's key when
        // there is one.
        services.AddDataProtection().SetApplicationName("Vigil");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<VigilServerOptions>, ILoggerFactory, SecretBox>((keys, vigil, logs, box) =>
        {
            keys.XmlRepository = new FileSystemXmlRepository(KeyFolder(KeysFolder(vigil.Value)), logs);
            if (box.HasKey)
            {
                keys.XmlEncryptor = new KeyRingEncryptor(box);
            }
        });
        services.AddVigilProblems();
        services.Configure<JsonOptions>(o => ApiJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddVigilAuth();
        services.AddVigilTransport();
        services.AddVigilSingleSignOn(configuration);
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
                o.Conventions.AllowAnonymousToPage("/SignInCode");
                o.Conventions.AuthorizePage("/Audit", VigilAuth.UiAdmin);
                o.Conventions.AuthorizeFolder("/Compliance", VigilAuth.UiCompliance);
                o.Conventions.AuthorizePage("/Compliance", VigilAuth.UiCompliance);
                o.Conventions.AuthorizePage("/Records", VigilAuth.UiCompliance);
                o.Conventions.AuthorizePage("/Users", VigilAuth.UiAdmin);
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

    /// <summary>The compliance settings (section <c>Vigil:Compliance</c>), checked: a wrong warning point stops the start.</summary>
    public static ComplianceSettings ComplianceOptions(IConfiguration configuration)
    {
        var settings = configuration.GetSection(ComplianceSettings.Section).Get<ComplianceSettings>() ?? new ComplianceSettings();
        _ = settings.WarningPoints();
        return settings;
    }

    /// <summary>Webhook delivery, for the service and a worker alike: the target policy checked at connect time, the
    /// operator's key that unseals the secrets, and the dispatcher with its HTTP client.</summary>
    public static void AddWebhookDelivery(IServiceCollection services)
    {
        services.TryAddSingleton(sp => WebhookTargetPolicy.Parse(sp.GetRequiredService<IOptions<VigilServerOptions>>().Value.WebhookAllowedNetworks));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return SecretBox.Load(options.SecretsKeyFile, options.SecretsKey);
        });
        services.TryAddSingleton<WebhookWakeUp>();
        services.AddHostedService<WebhookDispatcher>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Vigil-Webhooks/1"))
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookConnector.Handler(sp.GetRequiredService<WebhookTargetPolicy>()));
    }

    /// <summary>What the service and a worker share: the settings, the store, the use cases, the detectors, the policy,
    /// the banks and the content pipeline, and the work queue (when one is configured).</summary>
    public static void AddPipelineServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VigilServerOptions>().Bind(configuration.GetSection(VigilServerOptions.Section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddVigilStorage(sp => sp.GetRequiredService<IOptions<VigilServerOptions>>().Value.Database);
        services.TryAddSingleton(_ => ComplianceOptions(configuration));
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
        services.TryAddSingleton<QueueConnection>();
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

    /// <summary>The data-protection key folder next to the database, created for its owner only (0700).</summary>
    private static DirectoryInfo KeyFolder(string path)
    {
        if (!Directory.Exists(path))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return new DirectoryInfo(path);
    }

    /// <summary>Opens the store, records the policy in force (auditing a change) and says how to create the first admin.</summary>
    private static async Task InitializeAsync(WebApplication app, CancellationToken cancellationToken)
    {
        // Settings that can be wrong (the key file, the webhook allow-list) fail here, at start-up, not on first use.
        var secrets = app.Services.GetRequiredService<SecretBox>();
        _ = app.Services.GetRequiredService<WebhookTargetPolicy>();
        var store = await app.Services.GetRequiredService<StorageHolder>().OpenAsync(cancellationToken);
        var policy = app.Services.GetRequiredService<PolicyHolder>();
        _ = app.Services.GetRequiredService<ContentPipeline>(); // load the detectors now, not on the first request
        var (changed, previous) = await app.Services.GetRequiredService<PolicyHistory>().RecordAsync(policy.Current.Version, policy.Json, "system", cancellationToken);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Vigil");
        LogStarted(logger, store.Location, policy.Current.Version, changed ? $"changed from {previous?.Version ?? "none"}" : "unchanged");
        if (!secrets.HasKey)
        {
            LogNoSecretsKey(logger);
        }

        if (await store.Users.CountAsync(cancellationToken) == 0)
        {
            LogNoUsers(logger, store.Location);
        }
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseVigilTransport();
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
        app.Use(SessionGate.ApplyAsync);
        app.UseAuthorization();
        app.UseRateLimiter(); // after authorization, which has put the API key's principal on the request
        app.UseAntiforgery();

        app.MapGet("/health", async Task<Results<Ok<HealthDto>, ProblemHttpResult>> (IVigilStore store, CancellationToken ct) =>
            {
                await store.Users.CountAsync(ct);
                return TypedResults.Ok(new HealthDto("ok"));
            })
            .AllowAnonymous()
            .WithTags("health")
            .WithName("Health")
            .WithSummary("Liveness and database reachability; without authentication.");
        app.MapGet("/health/ready", ReadyAsync)
            .AllowAnonymous()
            .WithTags("health")
            .WithName("Ready")
            .WithSummary("Whether this instance can take submissions: the database and the work queue (when configured), each reported; 503 when one is down.");
        var v1 = app.MapGroup("/v1");
        ContentEndpoints.Map(v1);
        CaseEndpoints.Map(v1);
        AdminEndpoints.Map(v1);
        UserEndpoints.Map(v1);
        BankEndpoints.Map(v1);
        OrderEndpoints.Map(v1);
        ComplianceEndpoints.Map(v1);
        app.MapOpenApi().RequireAuthorization(VigilAuth.AnyAuthenticated);
        UiEndpoints.Map(app);
        app.MapRazorPages();
    }

    /// <summary><c>/health/ready</c>: the database and the queue, each <c>ok</c>, <c>down</c> (with why) or <c>off</c>.</summary>
    private static async Task<IResult> ReadyAsync(IVigilStore store, QueueConnection queue, CancellationToken cancellationToken)
    {
        string database = "ok";
        string? databaseProblem = null;
        try
        {
            await store.Users.CountAsync(cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            database = "down";
            databaseProblem = e.Message;
        }

        QueueStatus? status = queue.Broker is { } broker ? await broker.StatusAsync(cancellationToken) : null;
        string queueState = status is null ? "off" : status.Reachable ? "ok" : "down";
        var body = new ReadyDto(
            database == "ok" && queueState != "down" ? "ready" : "not ready",
            new ReadyPartDto(database, databaseProblem, null),
            new ReadyPartDto(queueState, status?.Problem, status is { Reachable: true } ? status.Waiting + status.InProgress : null));
        return Results.Json(body, statusCode: body.Status == "ready" ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "No key to seal secrets at rest: webhook secrets and the sign-in key ring are stored unencrypted. Give Vigil a key file (setting SecretsKeyFile, mode 0600; make one with: openssl rand -base64 32) or the environment variable Vigil__SecretsKey")]
    private static partial void LogNoSecretsKey(ILogger logger);

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
