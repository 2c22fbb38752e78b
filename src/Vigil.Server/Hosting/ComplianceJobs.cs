using Vigil.Moderation.Compliance;
using Vigil.Server.Webhooks;

namespace Vigil.Server.Hosting;

/// <summary>
/// The compliance background jobs: every <see cref="ComplianceSettings.ClockCheckInterval"/> the clocks of open removal
/// orders (warnings and breaches: <see cref="RemovalOrders.CheckClocksAsync"/>), and every
/// <see cref="ComplianceSettings.RetentionInterval"/> (and at start) retention (<see cref="Retention.RunAsync"/>). A
/// failed step is logged and tried again at its next turn.
/// </summary>
public sealed partial class ComplianceJobs(
    RemovalOrders orders, Retention retention, ComplianceSettings settings, WebhookWakeUp wakeUp, TimeProvider time, ILogger<ComplianceJobs> logger) : BackgroundService
{
    /// <summary>The actor of the retention job's audit entries.</summary>
    public const string RetentionActor = "system:retention";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextRetention = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if ((await orders.CheckClocksAsync(stoppingToken)).Count > 0)
                {
                    wakeUp.Signal();
                }

                if (time.GetUtcNow() >= nextRetention)
                {
                    var run = await retention.RunAsync(dryRun: false, RetentionActor, stoppingToken);
                    if (run.Items.Count > 0)
                    {
                        LogPurged(logger, run.Items.Count);
                    }

                    nextRetention = time.GetUtcNow() + settings.RetentionInterval;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }

            try
            {
                await Task.Delay(settings.ClockCheckInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted the text and bytes of {Count} item(s)")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "A compliance job failed; it runs again at its next turn")]
    private static partial void LogFailed(ILogger logger, Exception error);
}
