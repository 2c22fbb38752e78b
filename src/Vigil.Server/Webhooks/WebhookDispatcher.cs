using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Vigil.Storage;
using Vigil.Storage.Webhooks;

namespace Vigil.Server.Webhooks;

/// <summary>
/// How deliveries are signed. Each POST carries <c>Vigil-Signature: sha256=HEX</c>, the HMAC-SHA256 of the exact
/// body bytes under the webhook's secret, plus <c>Vigil-Event</c>, <c>Vigil-Delivery</c> (the outbox id: the same on
/// every retry, so receivers can drop duplicates) and <c>Vigil-Timestamp</c> (Unix seconds of this attempt).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Vigil-Signature";
    public const string EventHeader = "Vigil-Event";
    public const string DeliveryHeader = "Vigil-Delivery";
    public const string TimestampHeader = "Vigil-Timestamp";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Checks a received signature in constant time (what a receiver does).</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(signature));
}

/// <summary>Wakes the dispatcher when a delivery was queued, so that it need not wait for its next poll.</summary>
public sealed class WebhookWakeUp
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Signal() => _channel.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(timeout, time, timeoutSource.Token);
        var signal = _channel.Reader.WaitToReadAsync(timeoutSource.Token).AsTask();
        await Task.WhenAny(delay, signal);
        await timeoutSource.CancelAsync();
        while (_channel.Reader.TryRead(out _))
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>
/// Sends the outbox: every due delivery is POSTed, signed; a failure (no answer, or not 2xx) is retried after
/// base x 2^(attempt-1) (with ±20 % jitter, at most the configured maximum) until the attempts run out. The outbox is in
/// the database, so a restart resumes where it stopped and loses nothing (a delivery may be sent twice: receivers
/// deduplicate on <c>Vigil-Delivery</c>).
/// </summary>
public sealed partial class WebhookDispatcher(
    IVigilStore store,
    IHttpClientFactory clients,
    WebhookWakeUp wakeUp,
    TimeProvider time,
    IOptions<VigilServerOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public const string HttpClientName = "vigil-webhooks";
    private const int Batch = 32;
    private const int Parallelism = 4;

    /// <summary>This dispatcher's name on the deliveries it leases (several processes may share one outbox).</summary>
    private readonly string _owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait = settings.WebhookPollInterval;
            try
            {
                // Long enough for the whole batch to be tried, each attempt within its timeout; a dispatcher that dies
                // leaves its deliveries to the others once the lease is over.
                var lease = (settings.WebhookTimeout * ((Batch / Parallelism) + 1)) + TimeSpan.FromSeconds(30);
                var due = await store.Outbox.LeaseDueAsync(time.GetUtcNow(), Batch, _owner, lease, stoppingToken);
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = stoppingToken }, DeliverAsync);
                if (due.Count == Batch)
                {
                    continue;
                }

                if (await store.Outbox.NextDueAsync(stoppingToken) is { } next)
                {
                    wait = TimeSpan.FromTicks(Math.Clamp((next - time.GetUtcNow()).Ticks, 0, settings.WebhookPollInterval.Ticks));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogLoopFailed(logger, e);
            }

            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await wakeUp.WaitAsync(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async ValueTask DeliverAsync(DueDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var message = delivery.Message;
        byte[] body = Encoding.UTF8.GetBytes(message.Payload);
        int? status = null;
        string problem;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Webhook.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(delivery.Webhook.Secret, body));
            request.Headers.Add(WebhookSignature.EventHeader, message.Event);
            request.Headers.Add(WebhookSignature.DeliveryHeader, message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.TimestampHeader, time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.WebhookTimeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.Outbox.MarkDeliveredAsync(message.Id, status.Value, time.GetUtcNow(), CancellationToken.None);
                return;
            }

            problem = $"HTTP {status}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // shutting down: the delivery stays due and is sent after the restart
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            problem = e is OperationCanceledException ? $"no answer within {settings.WebhookTimeout.TotalSeconds:0.#} s" : e.Message;
        }

        int attempts = message.Attempts + 1;
        DateTimeOffset? next = null;
        if (attempts < settings.WebhookMaxAttempts)
        {
            double backoff = Math.Min(settings.WebhookRetryBase.TotalMilliseconds * Math.Pow(2, attempts - 1), settings.WebhookRetryMax.TotalMilliseconds);
            backoff *= 0.8 + (0.4 * Random.Shared.NextDouble());
            next = time.GetUtcNow().AddMilliseconds(backoff);
        }

        LogDeliveryFailed(logger, message.Id, delivery.Webhook.Id, attempts, problem);
        await store.Outbox.MarkFailedAsync(message.Id, status, problem, next, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook dispatcher failed; it carries on")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Delivery} to webhook {Webhook} failed (attempt {Attempt}): {Problem}")]
    private static partial void LogDeliveryFailed(ILogger logger, long delivery, long webhook, int attempt, string problem);
}
