using Herald.Core.Patients;

namespace Herald.Core.Engine;

public enum ResistanceCriterionId
{
    ThreeConsecutiveAntiHer2Lines,
    DualAntiHer2Therapy,
    EarlyProgressionInFourthOrLaterLine,
}

public sealed record ResistanceCriterion(ResistanceCriterionId Id, Tri Status, IReadOnlyList<TherapyLine> Lines);

/// <summary>Consensus 2016, scenario 2: the three criteria of clinical resistance to anti-HER2 therapy.</summary>
public sealed record ResistanceAssessment(Tri Met, IReadOnlyList<ResistanceCriterion> Criteria)
{
    public static readonly ResistanceAssessment NotAssessed = new(Tri.False, []);
}

public static class ResistanceAssessor
{
    public static ResistanceAssessment Assess(IReadOnlyList<TherapyLine> lines)
    {
        // 1. "At least 3 consecutive lines of anti-HER2 therapy": the run ending at the latest line.
        var first = lines.Count;
        while (first > 0 && lines[first - 1].IsAntiHer2)
        {
            first--;
        }

        var run = new TherapyLine[lines.Count - first];
        for (var i = first; i < lines.Count; i++)
        {
            run[i - first] = lines[i];
        }

        var consecutive = new ResistanceCriterion(
            ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines, TriLogic.From(run.Length >= 3), run);

        // 2. "At least 1 dual anti-HER2 targeted therapy".
        var dual = Filter(lines, static l => l.IsDualAntiHer2);
        var dualCriterion = new ResistanceCriterion(
            ResistanceCriterionId.DualAntiHer2Therapy, TriLogic.From(dual.Length > 0), dual);

        // 3. "Progression of the disease after the first assessment of tumor during fourth- or later-line
        //    treatment": early progression (at the first assessment) on a 4th or later metastatic line.
        var candidates = Filter(lines, static l => l.Number >= 4 && l.IsAntiHer2 && l.EndedByProgression);
        var early = Filter(candidates, static l => l.ProgressionAtFirstAssessment == Tri.True);
        var unknown = Filter(candidates, static l => l.ProgressionAtFirstAssessment == Tri.Unknown);
        var earlyCriterion = early.Length > 0
            ? new ResistanceCriterion(ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine, Tri.True, early)
            : unknown.Length > 0
                ? new ResistanceCriterion(ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine, Tri.Unknown, unknown)
                : new ResistanceCriterion(ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine, Tri.False, candidates);

        var met = TriLogic.And(TriLogic.And(consecutive.Status, dualCriterion.Status), earlyCriterion.Status);
        return new ResistanceAssessment(met, [consecutive, dualCriterion, earlyCriterion]);
    }

    private static TherapyLine[] Filter(IReadOnlyList<TherapyLine> lines, Func<TherapyLine, bool> keep)
    {
        var count = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            count += keep(lines[i]) ? 1 : 0;
        }

        if (count == 0)
        {
            return [];
        }

        var result = new TherapyLine[count];
        count = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (keep(lines[i]))
            {
                result[count++] = lines[i];
            }
        }

        return result;
    }
}
