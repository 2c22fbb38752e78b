using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Moderation.Hosting;
using Vigil.Moderation.Pipeline;
using Vigil.Moderation.Queue;
using Vigil.Server.Webhooks;

namespace Vigil.Server.Queue;

/// <summary>
/// <c>vigil worker</c>: a process without HTTP that takes submissions from the work queue and assesses them with the
/// same pipeline, policy and banks as the service (<see cref="QueueWorker"/>), on the same database. It also sends
/// webhook deliveries (the outbox is leased, so several processes share it safely) and rebuilds its bank matcher when a
/// change is announced on the queue.
/// </summary>
public static class VigilWorker
{
    /// <summary>Builds the worker from command-line style settings (<c>--Vigil:Database=…</c>, <c>--Vigil:Queue=…</c>).</summary>
    public static async Task<IHost> BuildAsync(string[] args, Action<HostApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "Vigil.Worker" });
        AddServices(builder.Services, builder.Configuration);
        configure?.Invoke(builder);
        var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<VigilServerOptions>>().Value;
        if (string.IsNullOrEmpty(options.Queue))
        {
            throw new ArgumentException("A worker needs a work queue (--queue nats://HOST:PORT).");
        }

        await host.Services.GetRequiredService<StorageHolder>().OpenAsync(cancellationToken);
        _ = host.Services.GetRequiredService<ContentPipeline>(); // load the detectors now, not on the first message
        return host;
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        VigilApp.AddPipelineServices(services, configuration);
        VigilApp.AddWebhookDelivery(services); // the same target policy and sealed secrets as the service
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<VigilServerOptions>>().Value;
            return new QueueWorker(
                sp.GetRequiredService<QueueConnection>().Broker ?? throw new InvalidOperationException("No work queue is configured (Vigil:Queue)."),
                sp.GetRequiredService<AssessQueuedContent>(),
                new QueueWorkerOptions(options.QueueMaxAttempts, options.WorkerParallelism));
        });
        services.AddHostedService<QueueWorkerService>();
        services.AddHostedService<BankChangeListener>();
    }
}

/// <summary>Runs the <see cref="QueueWorker"/> for the host's lifetime, logging what fails and waking the webhook
/// dispatcher after each assessment.</summary>
public sealed partial class QueueWorkerService(QueueWorker worker, WebhookWakeUp wakeUp, ILogger<QueueWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        worker.Handled += OnHandled;
        try
        {
            await worker.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            worker.Handled -= OnHandled;
        }
    }

    private void OnHandled(long? contentId, WorkOutcome outcome, Exception? error)
    {
        switch (outcome)
        {
            case WorkOutcome.Assessed:
                wakeUp.Signal();
                break;
            case WorkOutcome.Retried:
                LogRetried(logger, contentId, error?.Message);
                break;
            case WorkOutcome.DeadLettered:
                LogDeadLettered(logger, contentId, error?.Message ?? "see the dead letters");
                break;
            case WorkOutcome.Abandoned:
                LogAbandoned(logger, contentId, error?.Message);
                break;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assessing content item {ContentId} failed; it is retried: {Error}")]
    private static partial void LogRetried(ILogger logger, long? contentId, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Content item {ContentId} was given up (dead letter): {Error}")]
    private static partial void LogDeadLettered(ILogger logger, long? contentId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The queue lost the acknowledgement of content item {ContentId}; it is delivered again: {Error}")]
    private static partial void LogAbandoned(ILogger logger, long? contentId, string? error);
}
