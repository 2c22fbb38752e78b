using Microsoft.Extensions.Options;
using Vigil.Moderation.Banks;
using Vigil.Moderation.Queue;
using Vigil.Queue.Nats;

namespace Vigil.Server.Queue;

/// <summary>The work queue when one is configured (<see cref="VigilServerOptions.Queue"/>), else none: submissions are
/// then assessed at once.</summary>
public sealed class QueueConnection : IAsyncDisposable
{
    private readonly NatsWorkBroker? _broker;

    public QueueConnection(IOptions<VigilServerOptions> options)
    {
        var settings = options.Value;
        if (settings.Queue is { Length: > 0 } url)
        {
            _broker = new NatsWorkBroker(NatsQueueOptions.Named(url, settings.QueueName) with
            {
                AckWait = settings.QueueAckWait,
                MaxWaiting = settings.QueueMaxWaiting,
                Prefetch = Math.Max(1, settings.WorkerParallelism) * 2,
            });
        }
    }

    /// <summary>The queue, or null when submissions are assessed at once.</summary>
    public IWorkBroker? Broker => _broker;

    /// <summary>Where bank changes are announced, or null.</summary>
    public IBankChangeFeed? BankChanges => _broker;

    /// <summary>The queue's address without credentials, or null.</summary>
    public string? Location => _broker?.Location;

    public ValueTask DisposeAsync() => _broker?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>Announces every hash-bank change made in this process on the queue, so that workers rebuild their matcher
/// at once (<see cref="BankChangeListener"/>).</summary>
public sealed class BankChangeAnnouncer(HashBanks banks, QueueConnection queue) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (queue.BankChanges is not null)
        {
            banks.Changed += Announce;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        banks.Changed -= Announce;
        return Task.CompletedTask;
    }

    private void Announce() => _ = queue.BankChanges!.AnnounceAsync(CancellationToken.None);
}

/// <summary>A worker's side: rebuilds the bank matcher whenever a change is announced on the queue.</summary>
public sealed class BankChangeListener(QueueConnection queue, Moderation.Pipeline.IBankMatcherSource matcher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (queue.BankChanges is not { } feed || matcher is not LiveBankMatcher live)
        {
            return;
        }

        try
        {
            await foreach (long _ in feed.WatchAsync(stoppingToken))
            {
                live.Invalidate();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
