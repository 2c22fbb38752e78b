using Microsoft.Extensions.Configuration.Memory;
using Vigil.Server.Auth;

namespace Vigil.Server.Hosting;

/// <summary>
/// One information line per request (method, path, status, time, and the key or user that made it), in category
/// <see cref="Category"/>; ASP.NET Core's own lines about each request are at debug unless the configuration says
/// otherwise (<see cref="AddDefaults"/>).
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILoggerFactory loggers, TimeProvider time)
{
    public const string Category = "Vigil.Requests";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>
    /// The service's logging levels when its configuration sets none: information for Vigil and the host's start and
    /// stop; only warnings and errors from ASP.NET Core (with its authentication handlers) and the HTTP client, whose lines about every request and webhook
    /// delivery are information or debug. Any <c>Logging:LogLevel:…</c> setting (arguments, environment, appsettings)
    /// overrides them.
    /// </summary>
    public static void AddDefaults(IConfigurationBuilder configuration) =>
        configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",

                // ASP.NET Core's lines about the API key scheme (authenticated, challenged, forbidden) use the handler's name.
                [$"Logging:LogLevel:{typeof(ApiKeyAuthenticationHandler).FullName}"] = "Warning",
            },
        });

    public async Task InvokeAsync(HttpContext context)
    {
        long started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                double milliseconds = time.GetElapsedTime(started).TotalMilliseconds;
                string actor = context.User.FindFirst(VigilAuth.ActorClaim)?.Value ?? "anonymous";
                LogRequest(_logger, context.Request.Method, context.Request.Path.Value ?? "/", context.Response.StatusCode, milliseconds, actor);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} {Status} {Milliseconds:0.0} ms {Actor}")]
    private static partial void LogRequest(ILogger logger, string method, string path, int status, double milliseconds, string actor);
}
