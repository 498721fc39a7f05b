using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 4: maintenance - taxane stop, dual HER2 maintenance, progression on it, complete response.</summary>
public class MaintenanceTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    // Seed 000: "the expert panel recommends discontinuing the taxane after 4 to 6 months or when maximal
    // clinical response has been achieved. After discontinuation of the taxane, the expert panel recommends
    // maintaining the dual HER2-targeted therapy alone."
    [Fact]
    public void After_five_months_of_thp_the_taxane_stops_and_pertuzumab_trastuzumab_continue()
    {
        var d = Decide(Patient().DeNovo("2025-07-01").Ongoing("2025-07-20", Thp).Extracranial(ExtracranialStatus.Responding),
            asOf: "2025-12-22");

        Assert.Equal(DecisionKind.Maintenance, d.Point.Kind);
        var top = d.Recommendations[0];
        Assert.Equal("current-anti-her2-therapy", top.Regimen.Id);
        Assert.Equal("trastuzumab + pertuzumab", Kb.DescribeAgents(top.Agents));
        Assert.True(top.CitedBy("asco14-maintenance-taxane-stop"));
        Assert.False(d.Recommends("current-regimen"));
    }

    [Fact]
    public void Two_months_into_thp_the_regimen_continues_until_four_to_six_months()
    {
        var d = Decide(Patient().DeNovo("2025-09-01").Ongoing("2025-10-01", Thp).Extracranial(ExtracranialStatus.Responding),
            asOf: "2025-12-05");

        Assert.Equal(DecisionKind.Maintenance, d.Point.Kind);
        Assert.Equal("current-regimen", d.Recommendations[0].Regimen.Id);
        Assert.True(d.Recommendations[0].Agents.Overlaps(Kb.Taxanes));
    }

    // Seed 000: "For hormone receptor–positive patients, endocrine therapy can be added at this time, although
    // there are no data to support this approach."
    [Fact]
    public void Hormone_receptor_positive_maintenance_offers_endocrine_therapy_with_no_data()
    {
        var d = Decide(Patient().DeNovo("2025-03-01").HrPositive()
                .Ongoing("2025-03-15", Thp, taxaneStopped: "2025-08-20").Extracranial(ExtracranialStatus.Stable),
            asOf: "2025-12-05");

        Assert.Equal("current-regimen", d.Recommendations[0].Regimen.Id);
        var withEndocrine = d.Option("current-anti-her2-therapy-with-endocrine")!;
        Assert.Equal(Strength.NoData, withEndocrine.Strength);
        Assert.True(withEndocrine.Rank > 1);
    }

    // Seed 000: "For patients who show progression on dual HER2-targeted therapy after the taxane has been
    // discontinued, we feel it is appropriate to consider resuming the taxane or treating according to
    // guidelines for second-line therapy, although data to support either approach are lacking."
    [Fact]
    public void Progression_on_maintenance_offers_resuming_the_taxane_or_second_line_and_says_data_are_lacking()
    {
        var d = Decide(Patient().DeNovo("2024-03-01")
            .Line("2024-03-15", "2025-10-01", Thp, taxaneStopped: "2024-08-20"));

        Assert.Equal(DecisionKind.ProgressionOnMaintenance, d.Point.Kind);
        Assert.Equal(2, d.Point.Line);
        var resume = d.Option("pertuzumab-trastuzumab-taxane-resumed")!;
        Assert.Contains(resume.Cautions, c => c.Kind == Core.Decisions.NoteKind.RetreatmentAllowed);
        Assert.True(d.Recommends("trastuzumab-emtansine"));
        Assert.True(d.HasAlertFrom("asco14-progression-on-maintenance"));
        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "progressed-on-excludes");
    }

    // Seed 002, scenario 5: "After a complete response with an anti-HER2-containing therapy, anti-HER2 therapy can
    // be continued until the progression of disease, unacceptable toxicity or patient decision".
    [Fact]
    public void A_complete_response_on_a_later_line_continues_the_anti_her2_therapy()
    {
        var d = Decide(Patient().DeNovo("2023-01-01")
            .Line("2023-01-20", "2024-06-01", Thp)
            .Ongoing("2024-06-20", ["trastuzumab-emtansine"], Response.CompleteResponse)
            .Extracranial(ExtracranialStatus.NoExtracranialDisease));

        Assert.Equal(DecisionKind.ContinuationAfterCompleteResponse, d.Point.Kind);
        var top = d.Recommendations[0];
        Assert.Equal("current-anti-her2-therapy", top.Regimen.Id);
        Assert.True(top.CitedBy("cons16-scenario-5-complete-response"));
        Assert.True(d.HasAlertFrom("asco14-complete-response-duration-unknown"));
        Assert.True(d.HasAlertFrom("panel21-complete-response-duration-unmet-need"));
    }

    [Fact]
    public void The_2014_seed_alone_does_not_say_whether_to_continue_after_a_complete_response()
    {
        var d = Decide(Patient().DeNovo("2023-01-01")
                .Line("2023-01-20", "2024-06-01", Thp)
                .Ongoing("2024-06-20", ["trastuzumab-emtansine"], Response.CompleteResponse)
                .Extracranial(ExtracranialStatus.NoExtracranialDisease),
            edition: "asco-2014");

        Assert.Empty(d.Recommendations);
        Assert.Contains(d.Alerts, a => a.Engine == Core.Decisions.EngineAlert.EditionSilent);
        Assert.True(d.HasAlertFrom("asco14-complete-response-duration-unknown"));
    }

    [Fact]
    public void A_later_line_that_is_working_continues()
    {
        var d = Decide(Patient().DeNovo("2023-01-01")
            .Line("2023-01-20", "2024-06-01", Thp)
            .Ongoing("2024-06-20", ["trastuzumab-emtansine"], Response.StableDisease)
            .Extracranial(ExtracranialStatus.Stable));

        Assert.Equal(DecisionKind.ContinueCurrentTherapy, d.Point.Kind);
        Assert.Equal("current-regimen", d.Recommendations[0].Regimen.Id);
        Assert.True(d.Recommendations[0].CitedBy("cons16-continue-while-benefit"));
        Assert.Equal("trastuzumab emtansine", Kb.DescribeAgents(d.Recommendations[0].Agents));
    }

    [Fact]
    public void A_first_line_without_a_taxane_that_is_working_continues()
    {
        var d = Decide(Patient().DeNovo("2025-03-01").HrPositive()
                .Ongoing("2025-03-15", ["trastuzumab", "letrozole"]).Extracranial(ExtracranialStatus.Stable),
            asOf: "2025-12-05");

        Assert.Equal(DecisionKind.Maintenance, d.Point.Kind);
        Assert.Equal("current-regimen", d.Recommendations[0].Regimen.Id);
        Assert.True(d.Recommendations[0].CitedBy("cons16-continue-while-benefit"));
    }

    [Fact]
    public void The_seeds_say_nothing_about_continuing_a_line_without_her2_targeted_therapy()
    {
        var d = Decide(Patient().DeNovo("2023-01-01")
            .Line("2023-01-20", "2024-06-01", Thp)
            .Ongoing("2024-06-20", ["eribulin"], Response.StableDisease)
            .Extracranial(ExtracranialStatus.Stable));

        Assert.Empty(d.Recommendations);
        Assert.Contains(d.Alerts, a => a.Engine == Core.Decisions.EngineAlert.NoStatementApplies);
        Assert.DoesNotContain(d.Alerts, a => a.Engine == Core.Decisions.EngineAlert.AllOptionsExcluded);
    }
}
