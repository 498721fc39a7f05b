using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// T-DM1 label (evidence.md): not recommended after trastuzumab was stopped for good for infusion-related reactions or
/// hypersensitivity. An allergy to trastuzumab carries to every regimen with trastuzumab or a conjugate of it.
/// </summary>
public class TrastuzumabHypersensitivityTests
{
    private static PatientBuilder SecondLine() => Patient().DeNovo("2024-01-10")
        .Line("2024-01-20", "2025-10-01", ["pertuzumab", "trastuzumab", "docetaxel"]);

    [Fact]
    public void Anaphylaxis_to_trastuzumab_excludes_tdm1_and_tdxd_as_well_as_trastuzumab()
    {
        var d = Decide(SecondLine().Allergy("trastuzumab"));

        d.AssertExcludedBy("trastuzumab-emtansine", "trastuzumab-hypersensitivity-excludes-trastuzumab-emtansine");
        d.AssertExcludedBy("trastuzumab-deruxtecan", "trastuzumab-hypersensitivity-excludes-trastuzumab-deruxtecan");
        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "allergy-excludes");
        Assert.DoesNotContain(d.Recommendations, r => r.Agents.Contains(Kb.Trastuzumab) || r.Agents.Contains(Kb.TrastuzumabEmtansine)
            || r.Agents.Contains(Kb.FindAgent("trastuzumab-deruxtecan")!));
    }

    [Fact]
    public void Trastuzumab_stopped_for_an_infusion_reaction_excludes_tdm1()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-02-20", ["pertuzumab", "trastuzumab", "docetaxel"], StopReason.Toxicity, causative: ["trastuzumab"], toxicity: ToxicityKind.InfusionReaction));

        d.AssertExcludedBy("trastuzumab-emtansine", "trastuzumab-hypersensitivity-excludes-trastuzumab-emtansine");
    }

    [Fact]
    public void An_allergy_to_another_drug_leaves_tdm1_alone()
    {
        var d = Decide(SecondLine().Allergy("paclitaxel"));

        Assert.True(d.Recommends("trastuzumab-emtansine"));
    }

    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    private static bool HoldsTrastuzumab(Herald.Core.Decisions.RankedOption r) =>
        r.Agents.Contains(Kb.Trastuzumab) || r.Agents.Overlaps(Kb.Conjugates);

    // T-DM1 label 5.5 (evidence.md): not recommended after trastuzumab was stopped for infusion-related reactions or
    // hypersensitivity. The cause not recorded, trastuzumab may have been it. Not blocking: which agent caused it does not
    // change the kind of decision, and waiting would withhold every option; each option with trastuzumab or a conjugate
    // of it is weighed against with a critical caution instead, and the cause is asked for.
    [Fact]
    public void An_infusion_reaction_of_unrecorded_cause_on_trastuzumab_weighs_against_every_trastuzumab_option_and_asks_for_the_cause_without_blocking()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-02-20", Thp, StopReason.Toxicity, toxicity: ToxicityKind.InfusionReaction));

        Assert.NotEqual(Herald.Core.Engine.DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "metastaticRegimens[].causativeAgents" && !m.Blocking);
        var withTrastuzumab = d.Recommendations.Where(HoldsTrastuzumab).ToArray();
        Assert.NotEmpty(withTrastuzumab);
        Assert.All(withTrastuzumab, r =>
        {
            Assert.True(r.WeighedAgainst, r.Regimen.Id);
            var caution = Assert.Single(r.Cautions, c => c.Rule?.Id == "trastuzumab-possible-hypersensitivity");
            Assert.Equal(Herald.Core.Knowledge.Severity.Critical, caution.Rule!.Severity);
            Assert.Contains("T-DM1 label", Herald.Core.Decisions.DecisionText.Note(caution, d.Facts));
        });
    }

    [Fact]
    public void A_hypersensitivity_stop_on_tdm1_of_unrecorded_cause_counts_as_possibly_trastuzumab_too()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-12-01", Thp)
            .Line("2024-12-15", "2025-01-20", ["trastuzumab-emtansine"], StopReason.Toxicity, toxicity: ToxicityKind.InfusionReaction));

        Assert.True(d.AsksFor("metastaticRegimens[].causativeAgents"));
        Assert.Contains(d.Recommendations, HoldsTrastuzumab);
        Assert.All(d.Recommendations.Where(HoldsTrastuzumab), r => Assert.Contains(r.Cautions, c => c.Rule?.Id == "trastuzumab-possible-hypersensitivity"));
    }

    [Fact]
    public void An_infusion_reaction_recorded_as_caused_by_another_agent_leaves_trastuzumab_options_alone()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-02-20", Thp, StopReason.Toxicity, causative: ["docetaxel"], toxicity: ToxicityKind.InfusionReaction));

        Assert.False(d.AsksFor("metastaticRegimens[].causativeAgents"));
        Assert.DoesNotContain(d.Recommendations, r => r.Cautions.Any(c => c.Rule?.Id == "trastuzumab-possible-hypersensitivity"));
        Assert.True(d.Recommends("trastuzumab-emtansine"));
    }

    // Seed 002: re-challenge once LVEF has recovered. The cause not recorded, a cardiac stop of a trastuzumab regimen is
    // read as trastuzumab's, so trastuzumab waits for an LVEF measured after the stop.
    [Fact]
    public void Cardiac_toxicity_of_unrecorded_cause_on_trastuzumab_is_read_as_a_cardiac_stop_of_trastuzumab_and_the_cause_is_asked_for()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-06-20", Thp, StopReason.Toxicity, toxicity: ToxicityKind.Cardiac)
            .Lvef(55, date: "2024-01-15"));

        Assert.DoesNotContain(d.Recommendations, r => r.Agents.Contains(Kb.Trastuzumab));
        Assert.Contains(d.MissingData, m => m.Field == "lvef" && m.Request.Contains("after trastuzumab was stopped for cardiac toxicity"));
        Assert.Contains(d.MissingData, m => m.Field == "metastaticRegimens[].causativeAgents" && !m.Blocking);
    }
}
