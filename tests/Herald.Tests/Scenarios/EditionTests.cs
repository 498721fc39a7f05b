using Herald.Core.Engine;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Editions: each seed alone, and current-seeds with the newer winning.</summary>
public class EditionTests
{
    private static PatientBuilder ThirdLineAfterThpAndTdm1() => Patient().DeNovo("2023-01-10")
        .Line("2023-01-20", "2024-06-01", ["pertuzumab", "trastuzumab", "docetaxel"])
        .Line("2024-06-15", "2025-09-01", ["trastuzumab-emtansine"]);

    [Fact]
    public void The_default_edition_is_current_seeds_and_combines_all_three()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        Assert.Equal("current-seeds", d.Edition.Id);
        Assert.Equal(["asco-2014", "consensus-2016", "panel-2021"], d.Edition.Includes.Select(e => e.Id));
    }

    [Fact]
    public void Agents_introduced_after_an_edition_are_not_part_of_it()
    {
        var d = Decide(ThirdLineAfterThpAndTdm1(), edition: "asco-2014");

        Assert.DoesNotContain(d.Recommendations, r => r.Regimen.Id is "trastuzumab-deruxtecan" or "tucatinib-trastuzumab-capecitabine");
        Assert.DoesNotContain(d.NotIndicated, v => v.Regimen.Id == "trastuzumab-deruxtecan");
    }

    [Fact]
    public void Third_line_differs_between_editions()
    {
        var asco = Decide(ThirdLineAfterThpAndTdm1(), edition: "asco-2014");
        var consensus = Decide(ThirdLineAfterThpAndTdm1(), edition: "consensus-2016");
        var panel = Decide(ThirdLineAfterThpAndTdm1(), edition: "panel-2021");
        var current = Decide(ThirdLineAfterThpAndTdm1());

        Assert.Equal("lapatinib-trastuzumab", consensus.Recommendations[0].Regimen.Id);
        Assert.NotEmpty(asco.Recommendations);
        Assert.All(asco.Recommendations, r => Assert.Equal(1, r.Rank));
        Assert.Contains(panel.Recommendations, r => r.Regimen.Id == "trastuzumab-deruxtecan" && r.Rank == 1);
        Assert.Equal(
            new[] { "trastuzumab-deruxtecan", "tucatinib-trastuzumab-capecitabine" },
            current.Recommendations.Where(r => r.Rank == 1).Select(r => r.Regimen.Id).Order());
    }

    // The newer edition wins where they differ: a regimen ranked by the 2021 panel sits above one that only
    // the 2016 consensus ranks equally.
    [Fact]
    public void Equal_preference_from_a_newer_edition_ranks_higher()
    {
        var d = Decide(Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", ["pertuzumab", "trastuzumab", "docetaxel"]));

        var tdm1 = d.Option("trastuzumab-emtansine")!;
        var dual = d.Option("lapatinib-trastuzumab")!;
        Assert.Equal(tdm1.Preference, dual.Preference);
        Assert.Equal("panel-2021", tdm1.RankedBy.Edition.Id);
        Assert.Equal("consensus-2016", dual.RankedBy.Edition.Id);
        Assert.True(dual.Rank > tdm1.Rank);
    }

    [Fact]
    public void A_superseded_statement_is_reported_as_such_in_the_trace()
    {
        var patient = Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", ["pertuzumab", "trastuzumab", "docetaxel"]).Leptomeningeal();

        var d = Decide(patient, trace: true);

        var silence = d.Trace!.Statements.Single(s => s.Statement.Id == "asco14-leptomeningeal-not-addressed");
        Assert.Equal(Core.Decisions.StatementStatus.Superseded, silence.Status);
        Assert.Equal("panel21-leptomeningeal-no-trials", silence.SupersededBy!.Id);
    }

    [Fact]
    public void Every_edition_can_decide_every_kind_of_patient()
    {
        foreach (var edition in Kb.Editions)
        {
            var d = Decide(ThirdLineAfterThpAndTdm1(), edition: edition.Id);
            Assert.Equal(edition, d.Edition);
            Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        }
    }
}
