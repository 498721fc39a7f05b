using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 2: where the patient stands - de novo or recurrence, the 12-month rule, the line.</summary>
public class DecisionPointTests
{
    private static readonly string[] AdjuvantTh = ["paclitaxel", "trastuzumab"];

    [Fact]
    public void De_novo_disease_without_treatment_is_first_line()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        Assert.Equal(DecisionKind.FirstLine, d.Point.Kind);
        Assert.Equal(1, d.Point.Line);
    }

    // Seed 000: "For those who develop metastatic disease < 12 months after completing adjuvant
    // trastuzumab-based therapy, the panel recommends treating as if the patients are in the second-line setting."
    [Fact]
    public void Relapse_nine_months_after_adjuvant_trastuzumab_is_treated_as_second_line()
    {
        var d = Decide(Patient().RecurrenceAfter("2025-10-01", "2025-01-01", AdjuvantTh));

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        Assert.Equal(2, d.Point.Line);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.EarlyRelapseWithin12Months && r.Number == 9);
        Assert.Equal(1, d.RankOf("trastuzumab-emtansine"));
        d.AssertNotIndicated("pertuzumab-trastuzumab-docetaxel");
    }

    // Seed 000: "The expert panel recommends treating patients who completed adjuvant trastuzumab-based
    // treatment > 12 months prior to development of metastatic disease with docetaxel, pertuzumab, and trastuzumab"
    [Fact]
    public void Relapse_thirteen_months_after_adjuvant_trastuzumab_is_first_line_with_thp()
    {
        var d = Decide(Patient().RecurrenceAfter("2025-02-15", "2024-01-10", AdjuvantTh));

        Assert.Equal(DecisionKind.FirstLine, d.Point.Kind);
        var thp = d.Option("pertuzumab-trastuzumab-docetaxel");
        Assert.NotNull(thp);
        Assert.Equal(1, thp.Rank);
        Assert.True(thp.CitedBy("asco14-relapse-after-12-months"));
        Assert.Contains(thp.Cautions, c => c.Statement?.Id == "asco14-relapse-after-12-months");
    }

    [Theory]
    [InlineData("2025-01-10", DecisionKind.SecondLine)] // exactly 12 months: within the window
    [InlineData("2025-01-11", DecisionKind.FirstLine)] // a day later: beyond it
    public void The_12_month_boundary_counts_the_twelfth_month_as_within(string relapse, DecisionKind expected)
    {
        var d = Decide(Patient().RecurrenceAfter(relapse, "2024-01-10", AdjuvantTh));

        Assert.Equal(expected, d.Point.Kind);
    }

    [Fact]
    public void A_recurrence_with_no_early_treatment_recorded_asks_before_choosing_first_or_second_line()
    {
        var d = Decide(Patient().RecurrenceWithoutEarlyRecord("2025-06-01"));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "earlyDisease" && m.Blocking);
        Assert.Empty(d.Recommendations);
    }

    [Fact]
    public void A_missing_adjuvant_date_does_not_block_a_later_line_decision_but_is_asked_for()
    {
        var d = Decide(Patient()
            .RecurrenceWithoutEarlyRecord("2023-01-01")
            .Line("2023-01-20", "2024-02-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Line("2024-02-15", "2025-05-01", ["trastuzumab-emtansine"]));

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "earlyDisease" && !m.Blocking);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.LineCountUncertain);
    }

    [Fact]
    public void Two_finished_lines_make_the_next_one_the_third()
    {
        var d = Decide(Patient()
            .Line("2024-02-01", "2024-12-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Line("2024-12-15", "2025-11-01", ["trastuzumab-emtansine"]));

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        Assert.Equal(3, d.Point.Line);
        Assert.Equal(2, d.Facts.Lines.Count);
    }

    [Fact]
    public void An_ongoing_line_with_unknown_response_asks_whether_the_disease_is_progressing()
    {
        var d = Decide(Patient()
            .Ongoing("2025-06-01", ["trastuzumab-emtansine"])
            .Line("2024-02-01", "2025-05-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Extracranial(null));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Contains(d.MissingData, m => m.Field == "disease.extracranialStatus" && m.Blocking);
    }

    [Fact]
    public void An_ongoing_line_that_is_failing_counts_as_finished()
    {
        var d = Decide(Patient()
            .Line("2024-02-01", "2025-05-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Ongoing("2025-06-01", ["trastuzumab-emtansine"])
            .Extracranial(ExtracranialStatus.Progressing));

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        Assert.Equal(3, d.Point.Line);
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
    }

    // Seed 002: "the EMA has recently authorized T-DM1 for the treatment of HER2-positive patients with recurrence
    // of disease during or within 6 months of completing adjuvant therapy"
    [Theory]
    [InlineData("2025-10-01", true)] // 9 months: second line by ASCO's rule, outside the EMA window
    [InlineData("2025-05-01", false)] // 4 months: inside both
    public void Relapse_between_6_and_12_months_flags_the_ema_label_of_tdm1(string relapse, bool flagged)
    {
        var d = Decide(Patient().RecurrenceAfter(relapse, "2025-01-01", AdjuvantTh));

        var tdm1 = d.Option("trastuzumab-emtansine")!;
        Assert.Equal(flagged, tdm1.Cautions.Any(c => c.Statement?.Id == "cons16-ema-tdm1-six-months"));
        Assert.True(d.HasAlertFrom("cons16-relapse-12-month-rule"));
    }
}
