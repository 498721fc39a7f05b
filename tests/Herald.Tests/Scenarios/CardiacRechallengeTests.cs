using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Seed 002: "trastuzumab-related cardiac events appear to be reversible and unrelated to the cumulative dose, with
/// re-challenge generally well tolerated". After a cardiac stop with LVEF recovered, trastuzumab may be given again.
/// </summary>
public class CardiacRechallengeTests
{
    private static PatientBuilder StoppedForCardiacToxicity() => Patient().DeNovo("2024-01-10")
        .Line("2024-01-20", "2024-09-01", ["pertuzumab", "trastuzumab", "docetaxel"], StopReason.Toxicity, causative: ["trastuzumab"], toxicity: ToxicityKind.Cardiac)
        .Line("2024-09-15", "2025-10-01", ["lapatinib", "capecitabine"]);

    [Fact]
    public void Once_lvef_has_recovered_trastuzumab_regimens_are_offered_with_a_caution_and_close_monitoring()
    {
        var d = Decide(StoppedForCardiacToxicity().Lvef(58, "2025-12-01"));

        Assert.Null(d.ExclusionOf("trastuzumab-emtansine"));
        var option = d.Option("tucatinib-trastuzumab-capecitabine");
        Assert.True(option is not null, d.Describe());
        Assert.Contains(option!.Cautions, c => c.Rule?.Id == "trastuzumab-rechallenge-after-cardiac-recovery");
    }

    [Fact]
    public void Without_an_lvef_after_the_stop_trastuzumab_stays_excluded_and_that_lvef_is_asked_for()
    {
        var d = Decide(StoppedForCardiacToxicity().Lvef(58, "2024-08-20"));

        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "stopped-for-toxicity-excludes");
        Assert.Contains(d.MissingData, m => m.Field == "lvef" && m.Request.Contains("after trastuzumab was stopped for cardiac toxicity"));
    }

    [Fact]
    public void A_toxicity_stop_that_was_not_cardiac_still_excludes_trastuzumab()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-09-01", ["pertuzumab", "trastuzumab", "docetaxel"], StopReason.Toxicity, causative: ["trastuzumab"], toxicity: ToxicityKind.Other)
            .Line("2024-09-15", "2025-10-01", ["lapatinib", "capecitabine"])
            .Lvef(58, "2025-12-01"));

        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "stopped-for-toxicity-excludes");
    }
}
