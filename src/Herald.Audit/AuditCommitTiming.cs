namespace Herald.Audit;

/// <summary>
/// One group-commit transaction as <see cref="DurableAuditWriter.CommitTimed"/> reports it: how long the store took,
/// how many writes (records and feedback) it held, and whether it committed (if not, they went to the spool).
/// Counts and times only: nothing of the records themselves.
/// </summary>
public readonly record struct AuditCommitTiming(TimeSpan Duration, int Writes, bool Committed);
