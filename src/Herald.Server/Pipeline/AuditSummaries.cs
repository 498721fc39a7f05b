using Herald.Audit;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Engine;

namespace Herald.Server.Pipeline;

/// <summary>What an answer decided, in ids and codes, for its audit record.</summary>
public static class AuditSummaries
{
    public static AuditSummary Of(DecisionDocument document, IReadOnlyList<string>? cards = null) =>
        new(
            document.DecisionPoint.Kind,
            document.DecisionPoint.Line,
            document.Recommendations.Select(r => r.Regimen.Id).ToArray(),
            document.Excluded.Select(v => v.Regimen.Id).ToArray(),
            document.Alerts.Select(a => a.Code).ToArray(),
            cards ?? []);

    /// <summary>The same summary from the typed decision, for answers that render it without a decision document (the cards).</summary>
    public static AuditSummary Of(Decision decision, IReadOnlyList<string>? cards = null) =>
        new(
            decision.Point.Kind.Id(),
            decision.Point.Line,
            decision.Recommendations.Select(r => r.Regimen.Id).ToArray(),
            decision.Excluded.Select(v => v.Regimen.Id).ToArray(),
            decision.Alerts.Select(DecisionText.AlertCode).ToArray(),
            cards ?? []);

    public static AuditSummary Of(ComparisonDocument document) =>
        AuditSummary.None with
        {
            Editions = document.Editions.Select(e => new AuditEditionSummary(
                e.Edition,
                e.DecisionPoint.Kind,
                e.DecisionPoint.Line,
                e.Recommendations.Select(r => r.Regimen.Id).ToArray(),
                e.Excluded.Select(v => v.Regimen.Id).ToArray())).ToArray(),
        };

    /// <summary>Cards only: an answer that gave cards without a decision (more data needed, an unchecked order).</summary>
    public static AuditSummary OfCards(IReadOnlyList<string> cards) => AuditSummary.None with { Cards = cards };
}
