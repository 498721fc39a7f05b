using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// The two cases of the 2021 panel (seed 001), read from examples/ at the decision the panel discusses.
/// Each test asserts what the panel concluded.
/// </summary>
public class SeedCaseTests
{
    private static Patient Read(string file)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot, "examples", file));
        var result = PatientJsonReader.Read(json, Kb, new DateOnly(2026, 11, 21));
        Assert.True(result.IsValid, result.Describe());
        return result.Patient!;
    }

    private static Decision Case(string file, string? edition = null)
    {
        var json = File.ReadAllText(Path.Combine(RepositoryRoot, "examples", file));
        var result = PatientJsonReader.Read(json, Kb, new DateOnly(2026, 11, 21));
        Assert.True(result.IsValid, result.Describe());
        return Engine.Decide(result.Patient!, result.AsOf, edition is null ? null : Kb.FindEdition(edition));
    }

    // Case 1: neoadjuvant TCHP, pCR for 32 months, liver recurrence with a persistent cough, T-DM1, progression.
    // "In the third line, Kaklamani said she would likely choose a tucatinib-based regimen or T-DXd" ...
    // "The persistent cough reported by the case study patient would discourage Iyengar from using T-DXd".
    [Fact]
    public void Case_1_a_tucatinib_based_regimen_first_and_tdxd_weighed_down_by_the_cough()
    {
        var d = Case("seed-case-1.json");

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.RelapseAfter12Months && r.Number == 32);
        var tucatinib = d.Recommendations[0];
        Assert.Equal("tucatinib-trastuzumab-capecitabine", tucatinib.Regimen.Id);
        Assert.True(tucatinib.CitedBy("panel21-case1-third-line-choice"));
        var tdxd = d.Option("trastuzumab-deruxtecan")!;
        Assert.True(tdxd.WeighedAgainst);
        Assert.True(tdxd.Rank > tucatinib.Rank);
        var cough = Assert.Single(tdxd.Cautions, c => c.Rule?.Id == "respiratory-symptoms-weigh-against-trastuzumab-deruxtecan");
        Assert.Contains("cough", cough.Rule!.Quote);
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
    }

    // "the selection would depend on ... whether the patient was able to take orally administered medication."
    [Fact]
    public void Case_1_asks_what_the_panel_said_the_choice_depends_on()
    {
        var d = Case("seed-case-1.json");

        Assert.True(d.AsksFor("canTakeOralDrugs"));
        Assert.True(d.AsksFor("lvef"));
    }

    [Fact]
    public void Case_1_without_the_cough_puts_tucatinib_and_tdxd_level()
    {
        var patient = Read("seed-case-1.json") with { Symptoms = Symptoms.None };

        var d = Engine.Decide(patient, new DateOnly(2020, 10, 26));

        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
        Assert.Equal(1, d.RankOf("trastuzumab-deruxtecan"));
    }

    // Case 2: THP for 18 months, then T-DM1 with a short PFS; new lung metastases.
    // "he would likely choose a tucatinib-based regimen or T-DXd" ... "You're not going to go wrong picking
    // either of these 2 agents".
    [Fact]
    public void Case_2_a_tucatinib_based_regimen_or_tdxd_sharing_the_first_rank()
    {
        var d = Case("seed-case-2.json");

        Assert.Equal(DecisionKind.LaterLine, d.Point.Kind);
        Assert.Equal(3, d.Point.Line);
        var first = d.Recommendations.Where(r => r.Rank == 1).Select(r => r.Regimen.Id).Order().ToArray();
        Assert.Equal(["trastuzumab-deruxtecan", "tucatinib-trastuzumab-capecitabine"], first);
        Assert.All(d.Recommendations.Where(r => r.Rank == 1), r =>
        {
            Assert.True(r.Tied);
            Assert.True(r.CitedBy("panel21-case2-third-line-choice"));
        });
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "progressed-on-excludes");
    }

    [Fact]
    public void Case_2_under_the_2021_edition_alone_gives_the_same_pair()
    {
        var d = Case("seed-case-2.json", "panel-2021");

        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
        Assert.Equal(1, d.RankOf("trastuzumab-deruxtecan"));
    }

    // "His therapeutic selection ... would be informed by ... whether the patient is presenting with any symptoms
    // that are indicative of early pneumonitis or ILD".
    [Fact]
    public void Case_2_with_pneumonitis_leaves_tucatinib_alone_at_the_top()
    {
        var patient = Read("seed-case-2.json") with { Comorbidities = Comorbidities.Pneumonitis };

        var d = Engine.Decide(patient, new DateOnly(2020, 10, 12));

        d.AssertExcludedBy("trastuzumab-deruxtecan", "lung-disease-excludes-trastuzumab-deruxtecan");
        Assert.Equal("tucatinib-trastuzumab-capecitabine", Assert.Single(d.Recommendations, r => r.Rank == 1).Regimen.Id);
    }

    [Fact]
    public void Both_cases_record_the_metastatic_biopsy_so_no_repeat_biopsy_is_asked()
    {
        Assert.False(Case("seed-case-1.json").HasAlertFrom("panel21-repeat-biopsy"));
        Assert.False(Case("seed-case-2.json").HasAlertFrom("panel21-repeat-biopsy"));
    }
}
