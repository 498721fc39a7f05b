using Herald.Audit;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Herald.Server.Pipeline;

/// <summary>
/// Creates or migrates the audit schema at start, then moves spooled records into the database whenever it is
/// reachable again: every <c>DrainInterval</c>, and at once when a commit reaches the database while records wait in
/// the spool (so the server recovers from an outage or a permission fault without a restart). Records keep their ids,
/// so a record drained twice is stored once.
/// </summary>
public sealed class AuditSpoolDrainer(
    IAuditStore store,
    DurableAuditWriter writer,
    IOptions<HeraldServerOptions> options,
    TimeProvider time,
    ILogger<AuditSpoolDrainer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schemaReady = false;
        using var timer = new PeriodicTimer(options.Value.Audit.DrainInterval, time);
        Task<bool>? tick = null;
        Task<bool>? wanted = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!schemaReady)
                {
                    await store.EnsureSchemaAsync(stoppingToken);
                    schemaReady = true;
                }

                var drained = await writer.DrainSpoolAsync(stoppingToken);
                if (drained > 0)
                {
                    log.LogInformation("Audit: moved {Count} spooled records into the database", drained);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Audit database unreachable ({ExceptionType}); records wait in the spool", e.GetType().Name);
            }

            // One wait of each kind outstanding at a time: the timer allows no second waiter.
            tick ??= timer.WaitForNextTickAsync(stoppingToken).AsTask();
            wanted ??= writer.DrainWantedAsync(stoppingToken).AsTask();
            var next = await Task.WhenAny(tick, wanted);
            if (next == tick)
            {
                if (!await tick)
                {
                    return;
                }

                tick = null;
            }
            else
            {
                await wanted;
                wanted = null;
            }
        }
    }
}
