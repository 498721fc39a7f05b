namespace Herald.Audit;

// What the server records for every answer, and the store behind it. One schema for SQLite and
// PostgreSQL; docs/audit.md describes it and what happens when a write fails.

/// <summary>One answered call.</summary>
public sealed record AuditRecord(
    Guid Id,
    DateTimeOffset Time,
    string Caller,
    string Service,
    string? Hook,
    string? HookInstance,
    string? PatientId,
    string? Edition,
    string InputDigest,
    string Output,
    double LatencyMs,
    int Status,
    IReadOnlyList<string> CardIds);

/// <summary>
/// Feedback on one card, as CDS Hooks sends it. <see cref="Id"/> identifies this piece of feedback so a
/// retried write (from the spool) stores it once; it defaults to a new id.
/// </summary>
public sealed record AuditFeedback(
    string Caller,
    string Service,
    string CardId,
    string Outcome,
    string? OverrideReasonCode,
    string? OverrideReasonSystem,
    string? OverrideReasonDisplay,
    string? UserComment,
    IReadOnlyList<string> AcceptedSuggestions,
    DateTimeOffset? OutcomeTime,
    DateTimeOffset ReceivedAt)
{
    public Guid Id { get; init; } = Guid.NewGuid();
}

/// <summary>
/// A caller's query of its own records: <see cref="From"/> inclusive, <see cref="To"/> exclusive,
/// newest first, at most <see cref="Limit"/> (1 to <see cref="MaxLimit"/>; larger values are capped).
/// </summary>
public sealed record AuditQuery(
    string Caller,
    string? PatientId = null,
    string? Service = null,
    string? HookInstance = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = 50)
{
    public const int MaxLimit = 1000;
}

/// <summary>A record as read back, with the feedback received on its cards.</summary>
public sealed record AuditEntry(AuditRecord Record, IReadOnlyList<AuditFeedback> Feedback);

public interface IAuditStore
{
    /// <summary>Creates the schema, or migrates it to the current version; safe to call at every start.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a record; appending an id already stored changes nothing (the first write wins).</summary>
    Task AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores feedback against the newest record of the same caller and service that produced the card;
    /// false when there is none. Appending a feedback id already stored changes nothing.
    /// </summary>
    Task<bool> AppendFeedbackAsync(AuditFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>The caller's records, newest first; never another caller's.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
