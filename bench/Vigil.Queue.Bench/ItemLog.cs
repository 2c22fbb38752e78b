using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vigil.Queue.Bench;

/// <summary>Every item of a run, by index: when it was due, when the submission was answered and how, and when its
/// <c>content.assessed</c> event arrived. Times are milliseconds since the run's start.</summary>
internal sealed class ItemLog(int capacity, string prefix)
{
    private readonly double[] _due = new double[capacity];
    private readonly double[] _answered = new double[capacity];
    private readonly double[] _assessed = new double[capacity];
    private readonly int[] _status = new int[capacity];
    private int _count;
    private long _assessedCount, _repeats;

    public Stopwatch Clock { get; } = Stopwatch.StartNew();
    public string Prefix { get; } = prefix;
    public int Count => Volatile.Read(ref _count);
    public long AssessedCount => Interlocked.Read(ref _assessedCount);

    /// <summary>Events that arrived again for an item already seen (a retried delivery; not an error).</summary>
    public long Repeats => Interlocked.Read(ref _repeats);

    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public double Now => Clock.Elapsed.TotalMilliseconds;

    public int Next(double due)
    {
        int index = Interlocked.Increment(ref _count) - 1;
        if (index >= capacity)
        {
            throw new InvalidOperationException("the item log is full");
        }

        _due[index] = due;
        return index;
    }

    public string ContentId(int index) => $"{Prefix}{index}";

    public void Answered(int index, int status)
    {
        _answered[index] = Now;
        Volatile.Write(ref _status[index], status);
    }

    public void Assessed(string? contentId)
    {
        if (contentId is null || !contentId.StartsWith(Prefix, StringComparison.Ordinal)
            || !int.TryParse(contentId.AsSpan(Prefix.Length), out int index) || index >= capacity)
        {
            return;
        }

        double now = Now;
        if (Interlocked.CompareExchange(ref _assessed[index], now, 0) == 0)
        {
            Interlocked.Increment(ref _assessedCount);
        }
        else
        {
            Interlocked.Increment(ref _repeats);
        }
    }

    public int Status(int index) => Volatile.Read(ref _status[index]);
    public double Due(int index) => _due[index];
    public double AnsweredAt(int index) => _answered[index];
    public double AssessedAt(int index) => Volatile.Read(ref _assessed[index]);
}

/// <summary>The platform's webhook endpoint: Kestrel on loopback, recording when each item's event arrives.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public static async Task<WebhookReceiver> StartAsync(ItemLog log)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            if (body.RootElement.TryGetProperty("content", out var content) && content.TryGetProperty("content_id", out var id))
            {
                log.Assessed(id.GetString());
            }

            return Results.NoContent();
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookReceiver(app, new Uri(new Uri(address), "/hook"));
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
