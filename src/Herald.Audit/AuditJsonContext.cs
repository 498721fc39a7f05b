using System.Text.Json.Serialization;

namespace Herald.Audit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(AuditWrite))]
[JsonSerializable(typeof(AuditInputHeader))]
[JsonSerializable(typeof(StoredSummary))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;

/// <summary>The summary as the <c>summary</c> column keeps it: the cards are in the <c>cards</c> column (or <c>audit_card</c>), not repeated here.</summary>
internal sealed record StoredSummary(
    string? DecisionPoint,
    int? Line,
    IReadOnlyList<string>? Ranked,
    IReadOnlyList<string>? Excluded,
    IReadOnlyList<string>? Alerts,
    IReadOnlyList<AuditEditionSummary>? Editions)
{
    public static StoredSummary From(AuditSummary summary) =>
        new(summary.DecisionPoint, summary.Line, summary.Ranked, summary.Excluded, summary.Alerts, summary.Editions);

    public AuditSummary With(IReadOnlyList<string> cards) =>
        new(DecisionPoint, Line, Ranked ?? [], Excluded ?? [], Alerts ?? [], cards, Editions);
}
