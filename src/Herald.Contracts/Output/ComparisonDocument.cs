using Herald.Core.Decisions;

namespace Herald.Contracts.Output;

// One patient decided under every edition, side by side: what 2014 ASCO, the 2016 consensus and the 2021 panel (and
// the combined current edition) each recommend, with the differences marked. It is built from each edition's
// DecisionDocument, so it says nothing the single-edition answers do not.

public sealed record ComparisonDocument(
    string KnowledgeBaseVersion,
    string PatientId,
    string AsOf,
    IReadOnlyList<EditionAnswerDocument> Editions,
    bool DecisionPointDiffers,
    IReadOnlyList<ComparisonRowDocument> Rows);

public sealed record EditionAnswerDocument(
    string Edition,
    string EditionName,
    DecisionPointDocument DecisionPoint,
    IReadOnlyList<RecommendationSummaryDocument> Recommendations,
    IReadOnlyList<VerdictDocument> Excluded,
    int MissingDataCount);

public sealed record RecommendationSummaryDocument(
    int Rank,
    bool Tied,
    RegimenDocument Regimen,
    string Strength,
    string StrengthLabel,
    string Preference,
    string RankedBy);

/// <summary>One regimen across the editions; <c>Differs</c> when its status or rank is not the same in all of them.</summary>
public sealed record ComparisonRowDocument(RegimenDocument Regimen, IReadOnlyList<ComparisonCellDocument> Cells, bool Differs);

/// <summary>
/// <c>Status</c>: <c>recommended</c> (with rank and strength), <c>excluded</c> for this patient, <c>not-indicated</c>
/// (the edition covers the regimen but not in this situation), or <c>not-in-edition</c> (the edition does not mention it).
/// </summary>
public sealed record ComparisonCellDocument(string Edition, string Status, int? Rank, bool? Tied, string? StrengthLabel, IReadOnlyList<string> Reasons);

public static class ComparisonDocumentMapper
{
    public static ComparisonDocument Map(IReadOnlyList<Decision> decisions, RecordReading? reading = null)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (decisions.Count == 0)
        {
            throw new ArgumentException("Compare at least one decision.", nameof(decisions));
        }

        var documents = decisions.Select(d => DecisionDocumentMapper.Map(d, reading)).ToArray();
        var first = documents[0];

        // Regimens in the order a reader meets them: best rank anywhere first, then the ones only ever excluded.
        var regimens = new Dictionary<string, (RegimenDocument Regimen, int BestRank, int Seen)>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            foreach (var option in document.Recommendations)
            {
                Note(option.Regimen, option.Rank);
            }

            foreach (var verdict in document.Excluded)
            {
                Note(verdict.Regimen, int.MaxValue);
            }
        }

        var rows = regimens.Values
            .OrderBy(r => r.BestRank)
            .ThenBy(r => r.Seen)
            .Select(r => Row(r.Regimen, documents))
            .ToArray();

        return new ComparisonDocument(
            first.KnowledgeBaseVersion,
            first.PatientId,
            first.AsOf,
            documents.Select(d => new EditionAnswerDocument(
                d.Edition,
                d.EditionName,
                d.DecisionPoint,
                d.Recommendations.Select(o => new RecommendationSummaryDocument(o.Rank, o.Tied, o.Regimen, o.Strength, o.StrengthLabel, o.Preference, o.RankedBy)).ToArray(),
                d.Excluded,
                d.MissingData.Count)).ToArray(),
            documents.Select(d => (d.DecisionPoint.Kind, d.DecisionPoint.Line)).Distinct().Count() > 1,
            rows);

        void Note(RegimenDocument regimen, int rank)
        {
            if (regimens.TryGetValue(regimen.Id, out var known))
            {
                regimens[regimen.Id] = known with { BestRank = Math.Min(known.BestRank, rank) };
            }
            else
            {
                regimens[regimen.Id] = (regimen, rank, regimens.Count);
            }
        }
    }

    private static ComparisonRowDocument Row(RegimenDocument regimen, IReadOnlyList<DecisionDocument> documents)
    {
        var cells = documents.Select(d => Cell(regimen.Id, d)).ToArray();
        var differs = cells.Select(c => (c.Status, c.Rank)).Distinct().Count() > 1;
        return new ComparisonRowDocument(regimen, cells, differs);
    }

    private static ComparisonCellDocument Cell(string regimenId, DecisionDocument document)
    {
        if (document.Recommendations.FirstOrDefault(o => o.Regimen.Id == regimenId) is { } option)
        {
            return new ComparisonCellDocument(document.Edition, "recommended", option.Rank, option.Tied, option.StrengthLabel, []);
        }

        if (document.Excluded.FirstOrDefault(v => v.Regimen.Id == regimenId) is { } excluded)
        {
            return new ComparisonCellDocument(document.Edition, "excluded", null, null, null, excluded.Reasons.Select(r => r.Text).ToArray());
        }

        if (document.NotIndicated.FirstOrDefault(v => v.Regimen.Id == regimenId) is { } notIndicated)
        {
            return new ComparisonCellDocument(document.Edition, "not-indicated", null, null, null, notIndicated.Reasons.Select(r => r.Text).ToArray());
        }

        return new ComparisonCellDocument(document.Edition, "not-in-edition", null, null, null, []);
    }
}
