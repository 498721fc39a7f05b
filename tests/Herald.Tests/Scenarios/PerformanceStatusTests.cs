using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Performance status: the pivotal trials enrolled ECOG 0-1 (evidence.md, unverified); seed 000 names performance
/// status as a selection factor and allows HER2-targeted therapy alone for poor performance status.
/// </summary>
public class PerformanceStatusTests
{
    [Fact]
    public void Ecog_2_cautions_every_option_with_chemotherapy_and_not_the_others()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Ecog(2));

        Assert.Contains(d.Option("pertuzumab-trastuzumab-docetaxel")!.Cautions, c => c.Rule?.Id == "poor-performance-status-trial-eligibility");
        Assert.DoesNotContain(d.Option("trastuzumab-endocrine")!.Cautions, c => c.Rule?.Id == "poor-performance-status-trial-eligibility");
        Assert.False(d.HasAlertFrom("very-poor-performance-status"));
    }

    [Fact]
    public void Ecog_1_brings_no_performance_status_caution()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Ecog(1));

        Assert.DoesNotContain(d.Recommendations, r => r.Cautions.Any(c => c.Rule?.Id == "poor-performance-status-trial-eligibility"));
    }

    // Seed 000: HER2-targeted therapy alone is "reasonable to consider ... especially in the presence of comorbidities or
    // poor performance status".
    [Fact]
    public void Ecog_4_lists_her2_targeted_therapy_without_chemotherapy_and_raises_an_alert()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Ecog(4).Symptomatic(true).Burden(DiseaseBurden.High));

        var alone = d.Option("pertuzumab-trastuzumab");
        Assert.True(alone is not null, d.Describe());
        Assert.Contains(alone!.Cautions, c => c.Statement?.Id == "asco14-first-line-her2-therapy-alone" && c.Template.Contains("ECOG"));
        Assert.True(d.HasAlertFrom("very-poor-performance-status"));
        Assert.Contains(d.Option("pertuzumab-trastuzumab-docetaxel")!.Cautions, c => c.Rule?.Id == "poor-performance-status-trial-eligibility");
    }

    [Fact]
    public void At_ecog_1_her2_targeted_therapy_alone_still_needs_asymptomatic_low_burden_disease()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Ecog(1).Symptomatic(true).Burden(DiseaseBurden.High));

        d.AssertNotIndicated("pertuzumab-trastuzumab");
    }
}
