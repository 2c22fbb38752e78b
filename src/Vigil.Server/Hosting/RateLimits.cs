using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Access;
using Vigil.Server.Auth;

namespace Vigil.Server.Hosting;

/// <summary>
/// The per-key request rate on <c>/v1</c>, with ASP.NET Core's rate limiter: each API key has a bucket of
/// <see cref="VigilServerOptions.ApiRequestsPerMinute"/> requests, refilled at that rate; a request that finds it empty
/// gets 429 problem JSON with <c>Retry-After</c> (seconds). Requests without a valid key are not counted here (they are
/// refused before, and their failures counted per client address: <see cref="ApiKeyGate"/>).
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddVigilRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<VigilServerOptions>>((limiter, vigil) =>
        {
            int perMinute = vigil.Value.ApiRequestsPerMinute;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (perMinute <= 0 || !context.Request.Path.StartsWithSegments("/v1")
                    || context.User.FindFirst(VigilAuth.ActorClaim)?.Value is not { } actor || !actor.StartsWith("key:", StringComparison.Ordinal))
                {
                    return RateLimitPartition.GetNoLimiter("none");
                }

                return RateLimitPartition.GetTokenBucketLimiter(actor, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = Math.Max(1, perMinute / 600),
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) * Math.Max(1, perMinute / 600) / perMinute,
                    QueueLimit = 0,
                    AutoReplenishment = false, // the partitioned limiter's timer replenishes
                });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                string retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? SignIns.RetryAfterSeconds(after) : "60";
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = retry;
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This API key may make {perMinute} requests a minute; retry after {retry} s.",
                    },
                });
            };
        });
        return services;
    }
}
