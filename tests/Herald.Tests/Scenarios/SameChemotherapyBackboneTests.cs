using Herald.Core.Decisions;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Herald's rule: a new HER2 agent on the chemotherapy the disease has just progressed on is said to be so.</summary>
public class SameChemotherapyBackboneTests
{
    private static PatientBuilder AfterLapatinibCapecitabine() => Patient().DeNovo("2022-01-10")
        .Line("2022-01-20", "2023-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
        .Line("2023-03-15", "2024-05-01", ["trastuzumab-emtansine"])
        .Line("2024-05-15", "2025-09-01", ["lapatinib", "capecitabine"]);

    [Theory]
    [InlineData("neratinib-capecitabine")]
    [InlineData("tucatinib-trastuzumab-capecitabine")]
    public void Capecitabine_with_another_her2_agent_straight_after_lapatinib_and_capecitabine_carries_the_caution(string regimen)
    {
        var d = Decide(AfterLapatinibCapecitabine());

        var option = d.Option(regimen);
        Assert.True(option is not null, d.Describe());
        var caution = Assert.Single(option!.Cautions, c => c.Rule?.Id == "same-chemotherapy-backbone-after-progression");
        var text = DecisionText.Note(caution, d.Facts);
        Assert.Contains("line 3 (lapatinib + capecitabine", text);
        Assert.Contains("Herald's rule", text);
    }

    [Fact]
    public void A_regimen_without_that_chemotherapy_carries_no_such_caution()
    {
        var d = Decide(AfterLapatinibCapecitabine());

        Assert.DoesNotContain(d.Option("trastuzumab-deruxtecan")!.Cautions, c => c.Rule?.Id == "same-chemotherapy-backbone-after-progression");
        var chemotherapy = d.Option("trastuzumab-chemotherapy")!;
        Assert.Contains(chemotherapy.Cautions, c => c.Kind == NoteKind.PartnerToAvoid && c.Agents.Contains(Kb.FindAgent("capecitabine")!));
    }
}
