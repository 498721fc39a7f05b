using Herald.Core;
using Herald.Core.Engine;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Point 6, seed 002 scenario 2: "Patients with mBC meeting the 3 following criteria can be considered to
/// possess clinical resistance to anti-HER2: At least 3 consecutive lines of anti-HER2 therapy; At least 1 dual
/// anti-HER2 targeted therapy; Progression of the disease after the first assessment of tumor during fourth- or
/// later-line treatment".
/// </summary>
public class ResistanceTests
{
    private static PatientBuilder FourAntiHer2Lines(bool? earlyProgressionOnFourth) => Patient().DeNovo("2021-01-10")
        .Line("2021-01-20", "2022-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
        .Line("2022-03-15", "2023-05-01", ["trastuzumab-emtansine"])
        .Line("2023-05-15", "2024-07-01", ["tucatinib", "trastuzumab", "capecitabine"])
        .Line("2024-07-15", "2024-09-20", ["trastuzumab-deruxtecan"], earlyProgression: earlyProgressionOnFourth);

    private static Tri Criterion(Core.Decisions.Decision d, ResistanceCriterionId id) =>
        d.Resistance.Criteria.Single(c => c.Id == id).Status;

    [Fact]
    public void All_three_criteria_met_is_clinical_resistance_with_evidence_per_criterion()
    {
        var d = Decide(FourAntiHer2Lines(earlyProgressionOnFourth: true));

        Assert.Equal(Tri.True, d.Resistance.Met);
        Assert.Equal(4, d.Resistance.Criteria.Single(c => c.Id == ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines).Lines.Count);
        Assert.Equal(1, d.Resistance.Criteria.Single(c => c.Id == ResistanceCriterionId.DualAntiHer2Therapy).Lines[0].Number);
        Assert.Equal(4, d.Resistance.Criteria.Single(c => c.Id == ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine).Lines[0].Number);
        Assert.True(d.HasAlertFrom("cons16-scenario-2-clinical-resistance"));
        Assert.All(d.Recommendations.Where(r => r.Agents.Overlaps(Kb.Her2Directed)),
            r => Assert.Contains(r.Cautions, c => c.Statement?.Id == "cons16-scenario-2-clinical-resistance"));
    }

    [Fact]
    public void Late_progression_on_the_fourth_line_is_not_resistance()
    {
        var d = Decide(FourAntiHer2Lines(earlyProgressionOnFourth: false));

        Assert.Equal(Tri.False, d.Resistance.Met);
        Assert.Equal(Tri.False, Criterion(d, ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine));
        Assert.False(d.HasAlertFrom("cons16-scenario-2-clinical-resistance"));
    }

    [Fact]
    public void An_unrecorded_first_assessment_leaves_resistance_unknown_and_asks_for_it()
    {
        var d = Decide(FourAntiHer2Lines(earlyProgressionOnFourth: null));

        Assert.Equal(Tri.Unknown, d.Resistance.Met);
        Assert.Equal(Tri.Unknown, Criterion(d, ResistanceCriterionId.EarlyProgressionInFourthOrLaterLine));
        Assert.True(d.AsksFor("metastaticRegimens[].progressionAtFirstAssessment"));
    }

    [Fact]
    public void Without_dual_blockade_the_second_criterion_is_not_met()
    {
        var d = Decide(Patient().DeNovo("2021-01-10")
            .Line("2021-01-20", "2022-03-01", ["paclitaxel", "trastuzumab"])
            .Line("2022-03-15", "2023-05-01", ["trastuzumab-emtansine"])
            .Line("2023-05-15", "2024-07-01", ["trastuzumab", "capecitabine"])
            .Line("2024-07-15", "2024-09-20", ["trastuzumab-deruxtecan"], earlyProgression: true));

        Assert.Equal(Tri.False, Criterion(d, ResistanceCriterionId.DualAntiHer2Therapy));
        Assert.Equal(Tri.False, d.Resistance.Met);
    }

    [Fact]
    public void A_line_without_anti_her2_therapy_breaks_the_consecutive_run()
    {
        var d = Decide(Patient().DeNovo("2021-01-10")
            .Line("2021-01-20", "2022-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Line("2022-03-15", "2023-05-01", ["eribulin"])
            .Line("2023-05-15", "2024-07-01", ["trastuzumab-emtansine"])
            .Line("2024-07-15", "2024-09-20", ["trastuzumab-deruxtecan"], earlyProgression: true));

        var consecutive = d.Resistance.Criteria.Single(c => c.Id == ResistanceCriterionId.ThreeConsecutiveAntiHer2Lines);
        Assert.Equal(Tri.False, consecutive.Status);
        Assert.Equal(2, consecutive.Lines.Count);
    }

    [Fact]
    public void Before_any_metastatic_line_resistance_is_not_assessed()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        Assert.Empty(d.Resistance.Criteria);
        Assert.Equal(Tri.False, d.Resistance.Met);
    }
}
