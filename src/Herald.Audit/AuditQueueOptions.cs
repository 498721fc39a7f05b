namespace Herald.Audit;

/// <summary>How <see cref="DurableAuditWriter"/> queues and commits (docs/audit.md, "Group commit").</summary>
public sealed record AuditQueueOptions
{
    /// <summary>Calls waiting for their record to be committed, at most; one more is refused (the server answers 503).</summary>
    public int Capacity { get; init; } = 1024;

    /// <summary>Writes committed in one transaction, at most; a drain of the spool takes this many lines at a time too.</summary>
    public int MaxBatch { get; init; } = 256;

    /// <summary>
    /// How long a commit may wait on the store (a held lock, a database that does not answer) before its records go to
    /// the spool instead.
    /// </summary>
    public TimeSpan StoreTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>After a store failure, writes go straight to the spool for this long instead of waiting on the store again.</summary>
    public TimeSpan StoreRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Every fault, in words; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var faults = new List<string>();
        if (Capacity < 1)
        {
            faults.Add($"the audit queue capacity must be 1 or more, not {Capacity}");
        }

        if (MaxBatch < 1)
        {
            faults.Add($"the audit batch size must be 1 or more, not {MaxBatch}");
        }

        if (StoreTimeout < TimeSpan.FromMilliseconds(10) || StoreTimeout > TimeSpan.FromMinutes(5))
        {
            faults.Add($"the audit store timeout must be from 10 ms to 5 minutes, not {StoreTimeout}");
        }

        if (StoreRetryInterval < TimeSpan.Zero)
        {
            faults.Add($"the audit store retry interval must not be negative, not {StoreRetryInterval}");
        }

        return faults;
    }
}
