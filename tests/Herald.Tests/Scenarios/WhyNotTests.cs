using Herald.Core.Decisions;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 9: every regimen of the edition is ranked, excluded or not indicated - with a reason.</summary>
public class WhyNotTests
{
    public static TheoryData<string> Editions() => new(Kb.Editions.Select(e => e.Id));

    [Theory]
    [MemberData(nameof(Editions))]
    public void Every_standard_regimen_of_the_edition_is_accounted_for_once(string edition)
    {
        var d = Decide(Patient().DeNovo("2023-01-10").HrPositive()
                .Line("2023-01-20", "2024-06-01", ["pertuzumab", "trastuzumab", "docetaxel"])
                .Line("2024-06-15", "2025-09-01", ["trastuzumab-emtansine"])
                .Comorbid(Comorbidities.Pneumonitis),
            edition: edition);

        foreach (var regimen in d.Edition.Regimens.Where(r => !r.IsPlaceholder))
        {
            var places = (d.Recommends(regimen.Id) ? 1 : 0)
                + (d.ExclusionOf(regimen.Id) is null ? 0 : 1)
                + (d.NotIndicatedEntry(regimen.Id) is null ? 0 : 1);
            Assert.True(places == 1, $"{regimen.Id} appears {places} times");
        }

        Assert.All(d.Excluded.Concat(d.NotIndicated), v => Assert.NotEmpty(v.Reasons));
    }

    [Fact]
    public void A_regimen_excluded_for_safety_that_was_not_an_option_anyway_says_both()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Comorbid(Comorbidities.InterstitialLungDisease));

        var tdxd = d.ExclusionOf("trastuzumab-deruxtecan")!;
        Assert.Contains(tdxd.Reasons, r => r.Code == ReasonCode.SafetyRule);
        Assert.Contains(tdxd.Reasons, r => r.Code == ReasonCode.AlsoNotIndicated);
    }

    [Fact]
    public void A_regimen_of_another_setting_says_where_the_edition_places_it()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        var entry = d.NotIndicatedEntry("neratinib-capecitabine")!;
        var reason = Assert.Single(entry.Reasons);
        Assert.Equal(ReasonCode.OtherSetting, reason.Code);
        Assert.NotEqual(Core.Knowledge.Setting.None, reason.Settings);
    }
}
