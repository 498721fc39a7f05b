namespace Herald.Audit;

/// <summary>
/// The audit trail's state for /health. <see cref="StoreReachable"/> is the outcome of the last store call;
/// <see cref="Pending"/> the records and feedback waiting in the spool; <see cref="Queued"/> the calls waiting for their
/// commit, out of <see cref="Capacity"/>; the counters run since start (<see cref="Commits"/>: transactions that stored
/// queued writes; <see cref="Refused"/>: calls refused because the queue was full). <see cref="LastStoreError"/> names
/// the last store failure (exception type and message, no record content).
/// </summary>
public sealed record AuditHealth(
    string Backend,
    bool StoreReachable,
    int Pending,
    long Spooled,
    long Drained,
    long Discarded,
    string? LastStoreError,
    int Queued = 0,
    int Capacity = 0,
    long Commits = 0,
    long Refused = 0);
