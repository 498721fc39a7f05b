namespace Herald.Audit;

// What the server records for every answer, and the store behind it. One schema for SQLite and
// PostgreSQL; docs/audit.md describes it and what happens when a write fails.

/// <summary>
/// One answered call. The answer itself is not kept: <see cref="OutputDigest"/> (SHA-256 of the bytes sent) proves it,
/// <see cref="Summary"/> says what it decided, and <see cref="Input"/> (compressed, <see cref="AuditInput"/>) is what it
/// was decided from, so <c>herald audit replay</c> can derive it again and check the digest byte for byte.
/// </summary>
/// <param name="OutputDigest">Null only for a record written before schema version 3, whose full answer is kept instead.</param>
/// <param name="Input">The encoded <see cref="AuditInput"/>; null when nothing was read (a body over the size limit), and
/// in what <see cref="IAuditStore.QueryAsync"/> returns.</param>
public sealed record AuditRecord(
    Guid Id,
    DateTimeOffset Time,
    string Caller,
    string Service,
    string? Hook,
    string? HookInstance,
    string? PatientId,
    string? Edition,
    string? KnowledgeBaseVersion,
    string InputDigest,
    string? OutputDigest,
    double LatencyMs,
    int Status,
    AuditSummary Summary,
    byte[]? Input)
{
    /// <summary>The cards the answer held, in order (CDS Hooks); feedback attaches to them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> CardIds => Summary.Cards;
}

/// <summary>
/// What an answer decided, in ids and codes: the decision point, the regimens ranked and excluded, the alerts, the
/// cards. A comparison across editions has one <see cref="AuditEditionSummary"/> per edition instead.
/// </summary>
public sealed record AuditSummary(
    string? DecisionPoint,
    int? Line,
    IReadOnlyList<string> Ranked,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> Alerts,
    IReadOnlyList<string> Cards,
    IReadOnlyList<AuditEditionSummary>? Editions = null)
{
    /// <summary>An answer that decided nothing (an error, a problem): no decision point, no regimens, no cards.</summary>
    public static AuditSummary None { get; } = new(null, null, [], [], [], []);
}

/// <summary>One edition's decision within a comparison.</summary>
public sealed record AuditEditionSummary(string Edition, string DecisionPoint, int? Line, IReadOnlyList<string> Ranked, IReadOnlyList<string> Excluded);

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

/// <summary>One write to the trail: a record or a piece of feedback, never both. It is also one line of the spool.</summary>
public sealed record AuditWrite(AuditRecord? Record, AuditFeedback? Feedback)
{
    public static AuditWrite Of(AuditRecord record) => new(record, null);

    public static AuditWrite Of(AuditFeedback feedback) => new(null, feedback);
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
/// <param name="LegacyOutput">The full answer of a record written before schema version 3 (null for later records).</param>
public sealed record AuditEntry(AuditRecord Record, IReadOnlyList<AuditFeedback> Feedback, string? LegacyOutput = null);

public interface IAuditStore
{
    /// <summary>Creates the schema, or migrates it to the current version; safe to call at every start.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes records and feedback in one transaction (one commit, one flush to disk), in order, and returns one
    /// result per write: true for a record (a record id already stored changes nothing: the first write wins); for
    /// feedback, whether it attached to the newest record of the same caller and service that produced the card
    /// (a feedback id already stored changes nothing). Nothing is written when it throws.
    /// </summary>
    Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<AuditWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>The caller's records, newest first, without their inputs; never another caller's.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

public static class AuditStoreExtensions
{
    /// <summary>Stores one record in its own transaction.</summary>
    public static Task AppendAsync(this IAuditStore store, AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.WriteAsync([AuditWrite.Of(record)], cancellationToken);
    }

    /// <summary>Stores one piece of feedback; false when no record of this caller and service produced the card.</summary>
    public static async Task<bool> AppendFeedbackAsync(this IAuditStore store, AuditFeedback feedback, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        return (await store.WriteAsync([AuditWrite.Of(feedback)], cancellationToken).ConfigureAwait(false))[0];
    }
}
