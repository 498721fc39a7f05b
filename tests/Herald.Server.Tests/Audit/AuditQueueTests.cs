using Herald.Audit;
using Herald.Server.Tests.Endpoints;

namespace Herald.Server.Tests.Audit;

/// <summary>The queue in front of the store is bounded: a call that finds it full is refused at once, never queued without limit.</summary>
public sealed class AuditQueueTests : IDisposable
{
    private readonly AuditTempDirectory temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_call_that_finds_the_queue_full_is_refused_at_once_and_the_queued_ones_are_still_committed()
    {
        var store = new FailingAuditStore();
        var gated = new GatedStore(store);
        await using var writer = new DurableAuditWriter(gated, temp.File("spool"), new AuditQueueOptions { Capacity = 2, StoreTimeout = TimeSpan.FromMinutes(1) });
        var inFlight = writer.AppendAsync(AuditSamples.Record());
        await gated.Entered.Task;
        var queued = new[] { writer.AppendAsync(AuditSamples.Record()), writer.AppendAsync(AuditSamples.Record()) };
        Assert.Equal(2, writer.Health.Queued);

        await Assert.ThrowsAsync<AuditBusyException>(() => writer.AppendAsync(AuditSamples.Record()));
        Assert.Equal(1, writer.Health.Refused);

        gated.Gate.SetResult();
        await inFlight;
        await Task.WhenAll(queued);
        Assert.Equal(3, store.Records.Count);
        Assert.Equal(0, writer.Health.Queued);
    }

    [Fact]
    public async Task A_store_that_does_not_answer_within_the_store_timeout_sends_the_batch_to_the_spool()
    {
        var hanging = new GatedStore(new FailingAuditStore()); // its first write never passes the gate on its own
        await using var writer = new DurableAuditWriter(hanging, temp.File("spool"), new AuditQueueOptions { StoreTimeout = TimeSpan.FromMilliseconds(200) });

        var append = writer.AppendAsync(AuditSamples.Record());
        var finished = await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(10)));

        // The gate ignores the timeout's cancellation, as a hung connection would; the writer must not wait for it.
        Assert.Same(append, finished);
        Assert.Equal(1, writer.Health.Pending);
        Assert.Contains("TimeoutException", writer.Health.LastStoreError, StringComparison.Ordinal);
        hanging.Gate.SetResult();
    }

    [Fact]
    public async Task A_spool_directory_held_by_one_writer_is_refused_to_a_second_one_until_the_first_is_disposed()
    {
        var store = new FailingAuditStore { FailAppends = true };
        var spool = temp.File("spool");
        var first = new DurableAuditWriter(store, spool, new AuditQueueOptions { StoreRetryInterval = TimeSpan.FromMinutes(5) });
        var record = AuditSamples.Record();
        await first.AppendAsync(record); // spooled: the store is down

        // Two writers on one spool could each drain it and delete lines the other had just appended.
        var refused = Assert.Throws<AuditSpoolInUseException>(() => new DurableAuditWriter(store, spool));
        Assert.Contains(Path.GetFullPath(spool), refused.Message, StringComparison.Ordinal);
        Assert.Contains($"(process {Environment.ProcessId} on ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Herald:Audit:SpoolDirectory", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, first.Health.Pending);

        await first.DisposeAsync();
        store.FailAppends = false;
        await using var second = new DurableAuditWriter(store, spool);
        Assert.Equal(1, second.Health.Pending);
        Assert.Equal(1, await second.DrainSpoolAsync());
        Assert.Equal([record.Id], store.Records.Select(r => r.Id));
    }

    [Theory]
    [InlineData(0, 256, 1000)]
    [InlineData(10, 0, 1000)]
    [InlineData(10, 256, 1)]
    public void Unusable_queue_options_are_refused_naming_the_fault(int capacity, int maxBatch, int timeoutMs)
    {
        var error = Assert.Throws<ArgumentException>(() => new DurableAuditWriter(new FailingAuditStore(), temp.File("spool"),
            new AuditQueueOptions { Capacity = capacity, MaxBatch = maxBatch, StoreTimeout = TimeSpan.FromMilliseconds(timeoutMs) }));

        Assert.Contains(capacity < 1 ? "capacity" : maxBatch < 1 ? "batch size" : "store timeout", error.Message, StringComparison.Ordinal);
    }
}
