using Vigil.Moderation.Compliance;
using Vigil.Storage;

namespace Vigil.Server.Webhooks;

/// <summary>Once a minute, announces the statements of reasons whose withholding by an order has ended
/// (<see cref="StatementsOfReasons.DiscloseDueAsync"/>), then wakes the webhook dispatcher.</summary>
public sealed class StatementDisclosureWorker(IVigilStore store, TimeProvider time, WebhookWakeUp wakeUp, ILogger<StatementDisclosureWorker> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await StatementsOfReasons.DiscloseDueAsync(store, time, stoppingToken) > 0)
                {
                    wakeUp.Signal();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Disclosing withheld statements of reasons failed; trying again in {Interval}.", Interval);
            }

            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
