namespace Herald.Audit;

/// <summary>
/// The audit trail's state for /health. <see cref="StoreReachable"/> is the outcome of the last store
/// call; <see cref="Pending"/> the records and feedback waiting in the spool; the rest count since start.
/// <see cref="LastStoreError"/> names the last store failure (exception type and message, no record content).
/// </summary>
public sealed record AuditHealth(
    string Backend,
    bool StoreReachable,
    int Pending,
    long Spooled,
    long Drained,
    long Discarded,
    string? LastStoreError);
