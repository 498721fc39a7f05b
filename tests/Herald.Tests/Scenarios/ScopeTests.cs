using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 1: who is in scope. HER2-positive means IHC 3+ or ISH amplified.</summary>
public class ScopeTests
{
    [Fact]
    public void Her2_negative_disease_is_out_of_scope_with_no_regimen()
    {
        var d = Decide(Patient().Her2Ihc(IhcScore.OnePlus));

        Assert.Equal(DecisionKind.OutOfScope, d.Point.Kind);
        Assert.Empty(d.Recommendations);
        Assert.Contains(d.Alerts, a => a.Engine == Core.Decisions.EngineAlert.OutOfScope);
    }

    [Fact]
    public void Ihc_2_plus_with_ish_not_amplified_is_her2_negative()
    {
        var d = Decide(Patient().Her2Ihc(IhcScore.TwoPlus, IshResult.NotAmplified));

        Assert.Equal(DecisionKind.OutOfScope, d.Point.Kind);
    }

    [Fact]
    public void Ihc_2_plus_without_ish_asks_for_ish_and_gives_no_regimen()
    {
        var d = Decide(Patient().Her2Ihc(IhcScore.TwoPlus));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Empty(d.Recommendations);
        Assert.Contains(d.MissingData, m => m.Field == "receptors.her2.ish" && m.Blocking);
    }

    [Fact]
    public void Ihc_2_plus_with_the_report_interpreting_it_as_positive_is_in_scope_and_says_so()
    {
        var d = Decide(Patient().Her2(new Her2Test(IhcScore.TwoPlus, null, null, ReportedStatus.Positive, Specimen.Metastasis, null)));

        Assert.Equal(DecisionKind.FirstLine, d.Point.Kind);
        Assert.NotEmpty(d.Recommendations);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.Her2PositiveAsReported);
        Assert.Contains(d.MissingData, m => m.Field == "receptors.her2.ish" && !m.Blocking);
    }

    [Fact]
    public void Ihc_2_plus_with_the_report_interpreting_it_as_negative_is_out_of_scope()
    {
        var d = Decide(Patient().Her2(new Her2Test(IhcScore.TwoPlus, null, null, ReportedStatus.Negative, Specimen.Metastasis, null)));

        Assert.Equal(DecisionKind.OutOfScope, d.Point.Kind);
    }

    [Fact]
    public void Unknown_her2_asks_for_a_biopsy_of_a_metastatic_lesion()
    {
        var d = Decide(Patient().Her2(null));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.Empty(d.Recommendations);
        var missing = Assert.Single(d.MissingData, m => m.Field == "receptors.her2");
        Assert.True(missing.Blocking);
        Assert.Contains("metastatic lesion", missing.Request);
    }

    [Theory]
    [InlineData(IhcScore.ThreePlus, null)]
    [InlineData(IhcScore.TwoPlus, IshResult.Amplified)]
    [InlineData(IhcScore.Zero, IshResult.Amplified)]
    public void Ihc_3_plus_or_ish_amplified_is_in_scope(IhcScore ihc, IshResult? ish)
    {
        var d = Decide(Patient().Her2Ihc(ihc, ish));

        Assert.Equal(DecisionKind.FirstLine, d.Point.Kind);
        Assert.NotEmpty(d.Recommendations);
    }

    // Seed 001: "Iyengar emphasized the importance of repeat biopsies when possible, particularly with
    // metastatic disease, to identify the possibility of clonal evolution and to guide treatment decisions."
    [Fact]
    public void First_recurrence_without_a_metastatic_biopsy_suggests_one()
    {
        var withoutBiopsy = Decide(Patient()
            .RecurrenceAfter("2025-06-01", "2022-01-10", ["docetaxel", "trastuzumab"])
            .Her2FromPrimaryOnly());
        var withBiopsy = Decide(Patient()
            .RecurrenceAfter("2025-06-01", "2022-01-10", ["docetaxel", "trastuzumab"]));

        Assert.True(withoutBiopsy.HasAlertFrom("panel21-repeat-biopsy"));
        Assert.False(withBiopsy.HasAlertFrom("panel21-repeat-biopsy"));
    }

    [Fact]
    public void Unknown_biopsy_site_at_first_recurrence_is_asked_for()
    {
        var d = Decide(Patient()
            .RecurrenceAfter("2025-06-01", "2022-01-10", ["docetaxel", "trastuzumab"])
            .Her2(new Her2Test(IhcScore.ThreePlus, null, null, null, null, null)));

        Assert.True(d.AsksFor("receptors.her2.specimen"));
    }
}
