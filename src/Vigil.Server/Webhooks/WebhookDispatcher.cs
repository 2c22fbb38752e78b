using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Secrets;
using Vigil.Moderation.Webhooks;
using Vigil.Storage;
using Vigil.Storage.Webhooks;

namespace Vigil.Server.Webhooks;

/// <summary>
/// How deliveries are signed. Each POST carries <c>Vigil-Timestamp</c> (Unix seconds of this attempt) and
/// <c>Vigil-Signature-V2: sha256=HEX</c>, the HMAC-SHA256 under the webhook's secret of the timestamp, a dot and the
/// exact body bytes: a receiver that checks it and refuses timestamps more than <see cref="Tolerance"/> away from its
/// clock refuses a delivery recorded and replayed later (<see cref="VerifyTimestamped"/>). Also <c>Vigil-Event</c>,
/// <c>Vigil-Delivery</c> (the outbox id: the same on every retry, so receivers can drop duplicates) and, unless the
/// setting <c>WebhookLegacySignature</c> is false, the first version's <c>Vigil-Signature: sha256=HEX</c> over the body
/// alone (which a replay passes: receivers should move to the V2 header).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "Vigil-Signature";
    public const string TimestampedHeader = "Vigil-Signature-V2";
    public const string EventHeader = "Vigil-Event";
    public const string DeliveryHeader = "Vigil-Delivery";
    public const string TimestampHeader = "Vigil-Timestamp";

    /// <summary>How far a delivery's timestamp may be from the receiver's clock (docs/service.md tells receivers).</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The first version's signature, over the body alone.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>The V2 signature: over <paramref name="timestamp"/> (as sent in <c>Vigil-Timestamp</c>), "." and the body.</summary>
    public static string SignTimestamped(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(timestamp);
        byte[] signed = [.. Encoding.ASCII.GetBytes(timestamp + "."), .. body];
        return Sign(secret, signed);
    }

    /// <summary>Checks a received first-version signature in constant time.</summary>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(signature));

    /// <summary>What a receiver does (docs/service.md): the timestamp is within <paramref name="tolerance"/> (default
    /// <see cref="Tolerance"/>) of <paramref name="now"/>, and the V2 signature over it and the body matches, compared in
    /// constant time.</summary>
    public static bool VerifyTimestamped(string secret, string? timestamp, ReadOnlySpan<byte> body, string? signature, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (signature is null || !long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? Tolerance).TotalSeconds)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SignTimestamped(secret, timestamp!, body)), Encoding.ASCII.GetBytes(signature));
    }
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
/// deduplicate on <c>Vigil-Delivery</c>). A failure is recorded for admins as "refused by policy" (the target's address is
/// one the policy refuses), "failed" (no connection, no answer in time) or the HTTP status, never the socket's words:
/// those go to the log only, so that the deliveries list is no probe of the service's network.
/// </summary>
public sealed partial class WebhookDispatcher(
    IVigilStore store,
    WebhookSubscriptions webhooks,
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
        string detail;
        try
        {
            string secret = webhooks.SecretOf(delivery.Webhook);
            string timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Webhook.Url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(WebhookSignature.TimestampedHeader, WebhookSignature.SignTimestamped(secret, timestamp, body));
            if (settings.WebhookLegacySignature)
            {
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, body));
            }

            request.Headers.Add(WebhookSignature.EventHeader, message.Event);
            request.Headers.Add(WebhookSignature.DeliveryHeader, message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.WebhookTimeout);
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                await store.Outbox.MarkDeliveredAsync(message.Id, status.Value, time.GetUtcNow(), CancellationToken.None);
                return;
            }

            problem = detail = $"HTTP {status}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // shutting down: the delivery stays due and is sent after the restart
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or SecretKeyException)
        {
            var refused = Cause<WebhookTargetRefusedException>(e);
            problem = refused is not null ? "refused by policy" : "failed";
            detail = refused?.Message ?? e switch
            {
                OperationCanceledException => $"no answer within {settings.WebhookTimeout.TotalSeconds:0.#} s",
                SecretKeyException => $"the webhook's secret cannot be opened: {e.Message}",
                _ => e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message,
            };
        }

        int attempts = message.Attempts + 1;
        DateTimeOffset? next = null;
        if (attempts < settings.WebhookMaxAttempts)
        {
            double backoff = Math.Min(settings.WebhookRetryBase.TotalMilliseconds * Math.Pow(2, attempts - 1), settings.WebhookRetryMax.TotalMilliseconds);
            backoff *= 0.8 + (0.4 * Random.Shared.NextDouble());
            next = time.GetUtcNow().AddMilliseconds(backoff);
        }

        LogDeliveryFailed(logger, message.Id, delivery.Webhook.Id, attempts, problem, detail);
        await store.Outbox.MarkFailedAsync(message.Id, status, problem, next, CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The webhook dispatcher failed; it carries on")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    /// <summary>The exception of type <typeparamref name="T"/> in <paramref name="e"/>'s chain of causes, or null.</summary>
    private static T? Cause<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {Delivery} to webhook {Webhook} failed (attempt {Attempt}): {Problem}: {Detail}")]
    private static partial void LogDeliveryFailed(ILogger logger, long delivery, long webhook, int attempt, string problem, string detail);
}
