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
}
