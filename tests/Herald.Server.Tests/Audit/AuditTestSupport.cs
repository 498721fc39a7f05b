using Herald.Audit;

namespace Herald.Server.Tests.Audit;

/// <summary>Records and feedback for the audit tests, with every field set to something recognisable.</summary>
internal static class AuditSamples
{
    public static readonly DateTimeOffset Noon = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    public static AuditRecord Record(
        string caller = "https://ehr-a.example/issuer",
        DateTimeOffset? time = null,
        string service = "herald-patient-view",
        string? patientId = "patient-1",
        string? hookInstance = null,
        IReadOnlyList<string>? cardIds = null,
        string output = """{"cards":[]}""") =>
        new(
            Guid.NewGuid(),
            time ?? Noon,
            caller,
            service,
            "patient-view",
            hookInstance ?? Guid.NewGuid().ToString(),
            patientId,
            "current-seeds",
            "2026.11.0",
            AuditDigest.Of("{}"u8),
            AuditDigest.Of(System.Text.Encoding.UTF8.GetBytes(output)),
            12.5,
            200,
            new AuditSummary("later-line", 2, ["regimen-a", "regimen-b"], ["regimen-c"], ["alert-1"], cardIds ?? [Guid.NewGuid().ToString()]),
            new AuditInput("application/json", new Dictionary<string, string>(), time ?? Noon, "{}"u8.ToArray(), false, new Dictionary<string, AuditFetch>()).Encode());

    public static AuditFeedback Accepted(AuditRecord record, string cardId, params string[] suggestions) =>
        new(record.Caller, record.Service, cardId, "accepted", null, null, null, null, suggestions, Noon.AddMinutes(5), Noon.AddMinutes(6));

    public static AuditFeedback Overridden(AuditRecord record, string cardId, string? caller = null, string? service = null) =>
        new(caller ?? record.Caller, service ?? record.Service, cardId, "overridden",
            "patient-declined", "https://herald.example/override-reasons", "Patient declined", "Wants to discuss at the tumour board",
            [], Noon.AddMinutes(7), Noon.AddMinutes(8));
}

/// <summary>A store that can be switched off, or made to refuse chosen records, in front of a real one.</summary>
internal sealed class FlakyStore(IAuditStore inner) : IAuditStore
{
    public bool Down { get; set; }

    /// <summary>Writes the record, then fails as if the acknowledgement were lost on the way back.</summary>
    public bool FailAfterWriting { get; set; }

    public HashSet<Guid> Refused { get; } = [];

    public int Calls { get; private set; }

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => inner.EnsureSchemaAsync(cancellationToken);

    /// <summary>The batches written, one list per transaction.</summary>
    public List<IReadOnlyList<AuditWrite>> Transactions { get; } = [];

    public async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditWrite> writes, CancellationToken cancellationToken = default)
    {
        Calls++;
        ThrowIfDown();
        if (writes.Any(w => w.Record is { } record && Refused.Contains(record.Id)))
        {
            throw new InvalidOperationException("This record is refused by the test.");
        }

        var results = await inner.WriteAsync(writes, cancellationToken);
        lock (Transactions)
        {
            Transactions.Add(writes);
        }

        if (FailAfterWriting)
        {
            throw new IOException("Connection reset after the write.");
        }

        return results;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        Calls++;
        ThrowIfDown();
        return inner.QueryAsync(query, cancellationToken);
    }

    private void ThrowIfDown()
    {
        if (Down)
        {
            throw new TimeoutException("The audit database does not answer (test).");
        }
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long ticks = AuditSamples.Noon.UtcTicks;

    public void Advance(TimeSpan by) => ticks += by.Ticks;

    public override DateTimeOffset GetUtcNow() => new(ticks, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => ticks;
}

/// <summary>A temporary directory for SQLite files and spools, deleted afterwards.</summary>
internal sealed class AuditTempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "herald-audit-" + Guid.NewGuid().ToString("N"));

    public AuditTempDirectory() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}

/// <summary>A store whose first write waits at a gate, so the test can queue more writes behind it.</summary>
internal sealed class GatedStore(IAuditStore inner) : IAuditStore
{
    private int writes;

    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The batches written, one list per transaction, in order.</summary>
    public List<IReadOnlyList<AuditWrite>> Transactions { get; } = [];

    public Task EnsureSchemaAsync(CancellationToken cancellationToken = default) => inner.EnsureSchemaAsync(cancellationToken);

    public async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditWrite> batch, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref writes) == 1)
        {
            Entered.TrySetResult();
            await Gate.Task;
        }

        var results = await inner.WriteAsync(batch, cancellationToken);
        lock (Transactions)
        {
            Transactions.Add(batch);
        }

        return results;
    }

    public Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
}

internal static class Eventually
{
    /// <summary>Waits until the condition holds (checked every 10 ms), failing after 10 seconds.</summary>
    public static async Task True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still not so after 10 s: {what}");
            }

            await Task.Delay(10);
        }
    }
}
