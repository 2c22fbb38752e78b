using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;
using NATS.Net;
using Vigil.Moderation.Queue;

namespace Vigil.Queue.Nats;

/// <summary>
/// The work queue on NATS JetStream. Content ids go to a file-backed stream with work-queue retention, published with
/// <c>Nats-Msg-Id: content-ID</c> (a repeated publish within the duplicate window is stored once); workers share one
/// durable pull consumer with explicit acknowledgement, so a message a worker took and never acknowledged (it was killed)
/// is delivered again after <see cref="NatsQueueOptions.AckWait"/>. Dead letters are JSON messages in a stream of their
/// own. The hash banks' version is a key in a key-value bucket that workers watch.
/// </summary>
public sealed class NatsWorkBroker : IWorkBroker, IBankChangeFeed, IAsyncDisposable
{
    private const string BanksKey = "banks";
    private readonly NatsQueueOptions _options;
    private readonly NatsConnection _connection;
    private readonly INatsJSContext _js;
    private readonly SemaphoreSlim _setup = new(1, 1);
    private bool _ready;

    public NatsWorkBroker(NatsQueueOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _connection = new NatsConnection(NatsOpts.Default with
        {
            Url = options.Url,
            Name = $"vigil-{Environment.ProcessId}",
            ConnectTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = options.PublishTimeout,
        });
        _js = _connection.CreateJetStreamContext();
    }

    /// <summary>The server's address as given, without credentials.</summary>
    public string Location => Describe(_options.Url);

    /// <summary><paramref name="url"/> without a user or password.</summary>
    public static string Describe(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}:{(uri.IsDefaultPort ? 4222 : uri.Port)}" : url;

    public async Task PublishAsync(long contentId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await EnsureAsync(timeout.Token);
            var ack = await _js.PublishAsync(
                _options.Subject,
                contentId.ToString(CultureInfo.InvariantCulture),
                opts: new NatsJSPubOpts { MsgId = $"content-{contentId}" },
                cancellationToken: timeout.Token);
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess(); // a duplicate is the message already queued: nothing to do
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
        {
            throw new QueueUnavailableException(Why(e), e);
        }
    }

    public async IAsyncEnumerable<IWorkItem> ConsumeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IAsyncEnumerator<INatsJSMsg<string>>? messages = null;
            try
            {
                await EnsureAsync(cancellationToken);
                var consumer = await _js.GetConsumerAsync(_options.Stream, _options.Consumer, cancellationToken);
                messages = consumer.ConsumeAsync<string>(opts: new NatsJSConsumeOpts { MaxMsgs = _options.Prefetch }, cancellationToken: cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
            {
                _ready = false;
            }

            if (messages is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            await using (messages)
            {
                while (true)
                {
                    bool next;
                    try
                    {
                        next = await messages.MoveNextAsync();
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
                    {
                        _ready = false;
                        break; // the consumer is set up again
                    }

                    if (!next)
                    {
                        break;
                    }

                    yield return new WorkItem(this, messages.Current);
                }
            }
        }
    }

    public async Task<QueueStatus> StatusAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await EnsureAsync(timeout.Token);
            var consumer = await _js.GetConsumerAsync(_options.Stream, _options.Consumer, timeout.Token);
            var dead = await _js.GetStreamAsync(_options.DeadStream, cancellationToken: timeout.Token);
            var info = consumer.Info;
            return new QueueStatus(true, null, (long)info.NumPending, info.NumAckPending, info.NumRedelivered, (long)dead.Info.State.Messages, info.NumWaiting);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
        {
            return QueueStatus.Unreachable(Why(e));
        }
    }

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, 1000);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            await EnsureAsync(timeout.Token);
            var stream = await _js.GetStreamAsync(_options.DeadStream, cancellationToken: timeout.Token);
            ulong last = stream.Info.State.LastSeq;
            ulong first = Math.Max(stream.Info.State.FirstSeq, last >= (ulong)limit ? last - (ulong)limit + 1 : 1);
            var found = new List<DeadLetter>();
            if (stream.Info.State.Messages == 0)
            {
                return found;
            }

            var reader = await _js.CreateOrderedConsumerAsync(
                _options.DeadStream,
                new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = first },
                timeout.Token);
            await foreach (var message in reader.ConsumeAsync<string>(cancellationToken: timeout.Token))
            {
                if (message.Data is { } json && JsonSerializer.Deserialize<DeadLetterJson>(json) is { } letter)
                {
                    found.Add(new DeadLetter((long)(message.Metadata?.Sequence.Stream ?? 0), letter.ContentId, letter.Deliveries, letter.Reason, letter.At));
                }

                if (message.Metadata is not { } meta || meta.Sequence.Stream >= last || meta.NumPending == 0)
                {
                    break;
                }
            }

            found.Reverse();
            return found;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
        {
            throw new QueueUnavailableException(Why(e), e);
        }
    }

    public async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            var bucket = await BucketAsync(timeout.Token);
            await bucket.PutAsync(BanksKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), cancellationToken: timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
        {
            // Best effort: workers also refresh their banks on an interval.
        }
    }

    public async IAsyncEnumerable<long> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            IAsyncEnumerator<NatsKVEntry<string>>? changes = null;
            try
            {
                var bucket = await BucketAsync(cancellationToken);
                changes = bucket.WatchAsync<string>(BanksKey, opts: new NatsKVWatchOpts { UpdatesOnly = true }, cancellationToken: cancellationToken)
                    .GetAsyncEnumerator(cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
            {
            }

            if (changes is null)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                continue;
            }

            await using (changes)
            {
                while (true)
                {
                    bool next;
                    try
                    {
                        next = await changes.MoveNextAsync();
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsQueueFailure(e))
                    {
                        break;
                    }

                    if (!next)
                    {
                        break;
                    }

                    yield return (long)changes.Current.Revision;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _setup.Dispose();
    }

    private async Task<INatsKVStore> BucketAsync(CancellationToken cancellationToken) =>
        await _connection.CreateKeyValueStoreContext().CreateStoreAsync(new NatsKVConfig(_options.Bucket) { History = 1 }, cancellationToken);

    /// <summary>Creates (or updates) the streams and the consumer once per connection.</summary>
    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_ready && _connection.ConnectionState == NatsConnectionState.Open)
        {
            return;
        }

        await _setup.WaitAsync(cancellationToken);
        try
        {
            if (_connection.ConnectionState != NatsConnectionState.Open)
            {
                // Given up at the caller's deadline (the connection keeps reconnecting on its own).
                await _connection.ConnectAsync().AsTask().WaitAsync(cancellationToken);
            }

            if (_ready)
            {
                return;
            }

            await _js.CreateOrUpdateStreamAsync(
                new StreamConfig(_options.Stream, [_options.Subject])
                {
                    Storage = StreamConfigStorage.File,
                    Retention = StreamConfigRetention.Workqueue,
                    Discard = StreamConfigDiscard.New,
                    MaxMsgs = _options.MaxWaiting,
                    DuplicateWindow = _options.DuplicateWindow,
                },
                cancellationToken);
            await _js.CreateOrUpdateStreamAsync(
                new StreamConfig(_options.DeadStream, [_options.DeadSubject])
                {
                    Storage = StreamConfigStorage.File,
                    Discard = StreamConfigDiscard.Old,
                    MaxMsgs = 100_000,
                },
                cancellationToken);
            await _js.CreateOrUpdateConsumerAsync(
                _options.Stream,
                new ConsumerConfig(_options.Consumer)
                {
                    AckPolicy = ConsumerConfigAckPolicy.Explicit,
                    AckWait = _options.AckWait,
                    MaxDeliver = -1, // attempts are bounded by the workers, which dead-letter (and so see every give-up)
                    MaxAckPending = 10_000,
                },
                cancellationToken);
            _ready = true;
        }
        finally
        {
            _setup.Release();
        }
    }

    private async Task PublishDeadAsync(DeadLetterJson letter, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var ack = await _js.PublishAsync(_options.DeadSubject, JsonSerializer.Serialize(letter), cancellationToken: cancellationToken);
        ack.EnsureSuccess();
    }

    private static bool IsQueueFailure(Exception e) =>
        e is NatsException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException or IOException;

    private static string Why(Exception e) => e switch
    {
        NatsJSApiException api when api.Error.ErrCode == 10077 => "the queue is full (its most waiting items); try again later",
        NatsJSApiException api => $"the queue refused the message: {api.Error.Description}",
        OperationCanceledException or TimeoutException => "the queue did not answer in time",
        NatsNoRespondersException => "the queue's stream is not available (JetStream not enabled?)",
        _ => $"the queue is unreachable: {e.Message}",
    };

    /// <summary>A dead letter as stored in the dead-letter stream.</summary>
    private sealed record DeadLetterJson(
        [property: System.Text.Json.Serialization.JsonPropertyName("content_id")] long? ContentId,
        [property: System.Text.Json.Serialization.JsonPropertyName("deliveries")] int Deliveries,
        [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string Reason,
        [property: System.Text.Json.Serialization.JsonPropertyName("at")] DateTimeOffset At,
        [property: System.Text.Json.Serialization.JsonPropertyName("message")] string? Message);

    private sealed class WorkItem(NatsWorkBroker broker, INatsJSMsg<string> message) : IWorkItem
    {
        public long? ContentId { get; } =
            long.TryParse(message.Data, NumberStyles.None, CultureInfo.InvariantCulture, out long id) && id > 0 ? id : null;

        public int Delivery => (int)(message.Metadata?.NumDelivered ?? 1);

        public Task AckAsync(CancellationToken cancellationToken) =>
            message.AckAsync(new AckOpts { DoubleAck = true }, cancellationToken).AsTask();

        public Task RetryAsync(TimeSpan delay, CancellationToken cancellationToken) =>
            message.NakAsync(new AckOpts { NakDelay = delay }, cancellationToken).AsTask();

        public async Task DeadLetterAsync(string reason, CancellationToken cancellationToken)
        {
            string? raw = message.Data is { Length: > 200 } long_ ? long_[..200] : message.Data;
            await broker.PublishDeadAsync(new DeadLetterJson(ContentId, Delivery, reason, DateTimeOffset.UtcNow, ContentId is null ? raw : null), cancellationToken);
            await message.AckTerminateAsync(cancellationToken: cancellationToken);
        }
    }
}
