using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 5: second line and later, per edition; no re-offering of what failed.</summary>
public class LaterLineTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];
    private static readonly string[] Tdm1 = ["trastuzumab-emtansine"];

    private static PatientBuilder AfterThp() => Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", Thp);

    // Seed 001: "diverse options have led to more practice variation in the second-line metastatic setting,
    // including T-DM1 as well as tucatinib ... with capecitabine and trastuzumab".
    [Fact]
    public void Second_line_after_thp_ranks_tdm1_and_tucatinib_first_and_excludes_thp()
    {
        var d = Decide(AfterThp());

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        Assert.Equal(1, d.RankOf("trastuzumab-emtansine"));
        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
        Assert.True(d.Option("trastuzumab-emtansine")!.Tied);
        Assert.True(d.RankOf("lapatinib-trastuzumab") > 1);
        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "progressed-on-excludes");
        d.AssertExcludedBy("pertuzumab-trastuzumab-paclitaxel", "progressed-on-excludes");
        d.AssertNotIndicated("trastuzumab-deruxtecan");
    }

    // Seed 000: "the guideline recommends ado-trastuzumab emtansine as second-line therapy."
    [Fact]
    public void The_2014_edition_offers_only_tdm1_in_second_line()
    {
        var d = Decide(AfterThp(), edition: "asco-2014");

        var only = Assert.Single(d.Recommendations);
        Assert.Equal("trastuzumab-emtansine", only.Regimen.Id);
        Assert.Equal(Strength.PhaseIII, only.Strength);
        Assert.Equal("asco-2014", d.Edition.Id);
        Assert.DoesNotContain(d.NotIndicated, v => v.Regimen.Id == "tucatinib-trastuzumab-capecitabine");
    }

    // Seed 002: "there are 3 main strategies: adding trastuzumab or lapatinib to chemotherapy ..., treatment with
    // T-DM1, or applying a dual HER2 blockade approach (i.e. treatment with lapatinib plus trastuzumab)".
    [Fact]
    public void The_2016_edition_offers_its_four_second_line_regimens_unordered()
    {
        var d = Decide(AfterThp(), edition: "consensus-2016");

        var ids = d.Recommendations.Select(r => r.Regimen.Id).ToHashSet();
        Assert.Equal(
            new HashSet<string> { "trastuzumab-emtansine", "trastuzumab-chemotherapy", "lapatinib-capecitabine", "lapatinib-trastuzumab" },
            ids);
        Assert.All(d.Recommendations, r => Assert.Equal(1, r.Rank));
    }

    // Seed 002, scenario 1: "Whenever T-DM1 is available and was not given in previous lines, it seems to be the
    // best treatment option in almost all settings."
    [Fact]
    public void Beyond_second_line_tdm1_comes_first_in_the_2016_edition_if_never_given()
    {
        var d = Decide(Patient().DeNovo("2023-01-10")
                .Line("2023-01-20", "2024-03-01", ["paclitaxel", "trastuzumab"])
                .Line("2024-03-15", "2025-09-01", ["lapatinib", "capecitabine"]),
            edition: "consensus-2016");

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        var tdm1 = d.Option("trastuzumab-emtansine")!;
        Assert.Equal(1, tdm1.Rank);
        Assert.Equal(Preference.Preferred, tdm1.Preference);
        Assert.True(tdm1.CitedBy("cons16-scenario-1-beyond-second-line"));
        Assert.True(tdm1.CitedBy("cons16-scenario-3-trastuzumab-after-lapatinib"));
    }

    // Seed 002, scenario 3: re-treatment with trastuzumab after a lapatinib-containing regimen: "Dual HER2 blockade",
    // "Added to chemotherapy".
    [Fact]
    public void After_progression_on_lapatinib_trastuzumab_is_offered_again()
    {
        var d = Decide(Patient().DeNovo("2022-01-10")
            .Line("2022-01-20", "2023-03-01", Thp)
            .Line("2023-03-15", "2024-05-01", Tdm1)
            .Line("2024-05-15", "2025-09-01", ["lapatinib", "capecitabine"]));

        Assert.True(d.Option("lapatinib-trastuzumab")!.CitedBy("cons16-scenario-3-trastuzumab-after-lapatinib"));
        Assert.True(d.Option("trastuzumab-chemotherapy")!.CitedBy("cons16-scenario-3-trastuzumab-after-lapatinib"));
        d.AssertExcludedBy("lapatinib-capecitabine", "progressed-on-excludes");
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
    }

    // Seed 000: "offering pertuzumab-based regimens in later lines of care is reasonable for patients who did not
    // have the opportunity to receive pertuzumab earlier"; seed 002: "Pertuzumab and trastuzumab should be combined
    // with chemotherapy (e.g. vinorelbine) in this setting."
    [Fact]
    public void A_pertuzumab_naive_patient_after_tdm1_is_offered_pertuzumab_trastuzumab_and_chemotherapy()
    {
        var naive = Decide(Patient().DeNovo("2023-01-10")
            .Line("2023-01-20", "2024-03-01", ["paclitaxel", "trastuzumab"])
            .Line("2024-03-15", "2025-09-01", Tdm1));
        var exposed = Decide(Patient().DeNovo("2023-01-10")
            .Line("2023-01-20", "2024-03-01", Thp)
            .Line("2024-03-15", "2025-09-01", Tdm1));

        var option = naive.Option("pertuzumab-trastuzumab-chemotherapy")!;
        Assert.True(option.CitedBy("asco14-later-lines-pertuzumab-if-not-received"));
        Assert.True(option.CitedBy("cons16-later-line-pertuzumab-after-tdm1"));
        exposed.AssertNotIndicated("pertuzumab-trastuzumab-chemotherapy");
    }

    [Fact]
    public void Trastuzumab_continues_beyond_progression_with_a_different_chemotherapy_partner()
    {
        var d = Decide(Patient().DeNovo("2022-01-10")
            .Line("2022-01-20", "2023-03-01", Thp)
            .Line("2023-03-15", "2024-05-01", Tdm1)
            .Line("2024-05-15", "2025-09-01", ["trastuzumab", "capecitabine"]));

        var option = d.Option("trastuzumab-chemotherapy")!;
        var note = Assert.Single(option.Cautions, c => c.Kind == NoteKind.PartnerToAvoid && c.Rule?.Id == "progressed-on-excludes");
        Assert.Equal("docetaxel + capecitabine", Kb.DescribeAgents(note.Agents));
        Assert.Equal(3, note.Line!.Number);
    }

    // Seed 001: "In the third-line setting, Iyengar said common options include tucatinib with capecitabine and
    // trastuzumab, trastuzumab deruxtecan ..., standard chemotherapy with HER2 antibodies, and combinations of
    // chemotherapy with tyrosine kinase inhibitors (eg, lapatinib or neratinib plus capecitabine)."
    [Fact]
    public void Third_line_after_thp_and_tdm1_lists_the_2021_panel_options_with_neratinib()
    {
        var d = Decide(Patient().DeNovo("2023-01-10")
            .Line("2023-01-20", "2024-06-01", Thp)
            .Line("2024-06-15", "2025-09-01", Tdm1));

        foreach (var id in new[] { "tucatinib-trastuzumab-capecitabine", "trastuzumab-deruxtecan", "trastuzumab-chemotherapy", "lapatinib-capecitabine", "neratinib-capecitabine" })
        {
            Assert.True(d.Option(id)!.CitedBy("panel21-third-line-options"), id);
        }

        Assert.True(d.HasAlertFrom("asco14-later-lines-no-specific-regimen"));
        Assert.Contains(d.Trials, t => t.Trial.Id == "systhers");
    }

    [Fact]
    public void Hormone_receptor_positive_later_lines_include_endocrine_combinations()
    {
        var d = Decide(Patient().DeNovo("2023-01-10").HrPositive()
            .Line("2023-01-20", "2024-06-01", Thp)
            .Line("2024-06-15", "2025-09-01", Tdm1));

        Assert.True(d.Option("trastuzumab-endocrine")!.CitedBy("asco14-later-lines-options"));
        Assert.True(d.Option("lapatinib-endocrine")!.CitedBy("asco14-later-lines-options"));
    }

    [Fact]
    public void No_regimen_the_patient_progressed_on_is_ranked()
    {
        var d = Decide(Patient().DeNovo("2021-01-10")
            .Line("2021-01-20", "2022-03-01", Thp)
            .Line("2022-03-15", "2023-05-01", Tdm1)
            .Line("2023-05-15", "2024-07-01", ["tucatinib", "trastuzumab", "capecitabine"])
            .Line("2024-07-15", "2025-09-01", ["trastuzumab-deruxtecan"]));

        foreach (var failed in new[] { "pertuzumab-trastuzumab-docetaxel", "trastuzumab-emtansine", "tucatinib-trastuzumab-capecitabine", "trastuzumab-deruxtecan" })
        {
            d.AssertExcludedBy(failed, "progressed-on-excludes");
        }
    }

    // Seed 000: "The guideline suggests consideration of ado-trastuzumab emtansine ... for patients who have not
    // received these therapies in earlier lines of care."
    [Fact]
    public void In_the_2014_edition_a_tdm1_naive_third_line_is_offered_tdm1_and_told_data_are_lacking()
    {
        var d = Decide(Patient().DeNovo("2023-01-10")
                .Line("2023-01-20", "2024-03-01", Thp)
                .Line("2024-03-15", "2025-09-01", ["lapatinib", "capecitabine"]),
            edition: "asco-2014");

        Assert.True(d.Option("trastuzumab-emtansine")!.CitedBy("asco14-later-lines-tdm1-if-not-received"));
        Assert.True(d.HasAlertFrom("asco14-later-lines-no-specific-regimen"));
        Assert.True(d.HasAlertFrom("asco14-later-lines-selection-factors"));
        d.AssertNotIndicated("lapatinib-trastuzumab");
    }

    // Seed 002: "Finally, although not yet approved for second-line treatment, pertuzumab in combination with
    // trastuzumab has shown an objective response rate of 24.2% ... in a phase II single arm trial"
    [Fact]
    public void A_pertuzumab_naive_second_line_hears_of_the_phase_ii_pertuzumab_data_without_a_recommendation()
    {
        var d = Decide(Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", ["paclitaxel", "trastuzumab"]));

        Assert.True(d.HasAlertFrom("cons16-second-line-pertuzumab-phase2"));
        d.AssertNotIndicated("pertuzumab-trastuzumab-chemotherapy");
    }

    [Fact]
    public void Later_lines_say_that_evidence_is_thin_and_that_preferences_matter()
    {
        var d = Decide(Patient().DeNovo("2023-01-10")
            .Line("2023-01-20", "2024-06-01", Thp)
            .Line("2024-06-15", "2025-09-01", Tdm1));

        Assert.True(d.HasAlertFrom("cons16-beyond-second-line-little-evidence"));
        Assert.True(d.HasAlertFrom("panel21-patient-preferences"));
    }
}
