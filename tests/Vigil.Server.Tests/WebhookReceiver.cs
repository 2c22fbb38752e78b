using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Server.Tests;

/// <summary>A platform's webhook endpoint: a real HTTP listener on loopback that records what it receives and can
/// be told to fail the first N deliveries.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    public sealed record Received(IReadOnlyDictionary<string, string> Headers, byte[] Body);

    public ConcurrentQueue<Received> Deliveries { get; } = new();

    /// <summary>The deliveries it answered with 503 (told to fail them), which the sender is to try again.</summary>
    public ConcurrentQueue<Received> Refused { get; } = new();

    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>Forgets what arrived and fails the next <paramref name="failFirst"/> deliveries.</summary>
    public void Reset(int failFirst)
    {
        Deliveries.Clear();
        Refused.Clear();
        Volatile.Write(ref _attempts, 0);
        Volatile.Write(ref _failuresLeft, failFirst);
    }

    /// <summary>Fails the next <paramref name="count"/> deliveries, keeping what arrived.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public Uri Url { get; private set; } = null!;

    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app) { _failuresLeft = failFirst };
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver._attempts);
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var received = new Received(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                receiver.Refused.Enqueue(received);
                return Results.StatusCode(503);
            }

            receiver.Deliveries.Enqueue(received);
            return Results.NoContent();
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(new Uri(address), "/hook");
        return receiver;
    }

    public async Task<Received> WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Deliveries.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Deliveries.Count} of {count} webhook deliveries arrived within {timeout.TotalSeconds} s ({Attempts} attempts).");
            }

            await Task.Delay(50);
        }

        return Deliveries.Last();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
