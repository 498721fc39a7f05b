using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 8: safety - never rank what the patient must not receive; say why under "excluded".</summary>
public class SafetyTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    private static PatientBuilder ThirdLine() => Patient().DeNovo("2023-01-10")
        .Line("2023-01-20", "2024-06-01", Thp)
        .Line("2024-06-15", "2025-09-01", ["trastuzumab-emtansine"]);

    // Seed 000: "the use of HER2-targeted therapies requires adequate cardiac function."
    [Fact]
    public void Lvef_below_50_excludes_every_her2_targeted_regimen_and_names_safe_heart()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Lvef(45, "2025-12-10"));

        foreach (var verdict in d.Excluded)
        {
            Assert.Contains(verdict.Reasons, r => r.Rule?.Id == "lvef-below-threshold-excludes-her2-therapy");
        }

        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "lvef-below-threshold-excludes-her2-therapy");
        Assert.DoesNotContain(d.Recommendations, r => r.Agents.Overlaps(Kb.Her2Directed));
        Assert.True(d.HasAlertFrom("lvef-mildly-reduced-safe-heart"));
        Assert.Contains(d.Trials, t => t.Trial.Id == "safe-heart");
        Assert.Contains(d.Alerts, a => a.Engine == EngineAlert.AllOptionsExcluded);
    }

    [Fact]
    public void With_inadequate_cardiac_function_a_hormone_receptor_positive_patient_is_left_endocrine_therapy_alone()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Lvef(35, "2025-12-10"));

        var only = Assert.Single(d.Recommendations);
        Assert.Equal("endocrine-therapy-alone", only.Regimen.Id);
        Assert.False(d.HasAlertFrom("lvef-mildly-reduced-safe-heart"));
    }

    [Fact]
    public void Heart_failure_excludes_her2_targeted_therapy_whatever_the_lvef()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Comorbid(Comorbidities.HeartFailure));

        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "heart-failure-excludes-her2-therapy");
    }

    [Fact]
    public void A_missing_lvef_is_asked_for_and_cautioned_on_every_her2_option()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Lvef(null));

        Assert.True(d.AsksFor("lvef"));
        Assert.All(d.Recommendations.Where(r => r.Agents.Overlaps(Kb.Her2Directed)),
            r => Assert.Contains(r.Cautions, c => c.Rule?.Id == "lvef-not-recorded"));
    }

    [Fact]
    public void A_fall_of_16_points_from_baseline_withholds_trastuzumab_in_maintenance()
    {
        var d = Decide(Patient().DeNovo("2025-01-10")
                .Ongoing("2025-01-20", Thp, taxaneStopped: "2025-06-01")
                .Extracranial(ExtracranialStatus.Responding)
                .Lvef(50, "2025-11-20", baseline: 68),
            asOf: "2025-12-01");

        d.AssertExcludedBy("current-regimen", "lvef-drop-withholds-trastuzumab");
        Assert.DoesNotContain(d.Recommendations, r => r.Agents.Contains(Kb.Trastuzumab));
    }

    [Fact]
    public void An_lvef_older_than_three_months_is_flagged()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Lvef(60, "2025-06-01"), asOf: "2025-12-15");

        Assert.True(d.HasAlertFrom("lvef-overdue"));
    }

    // Seed 002: "for high-risk populations, such as elderly patients with cardiovascular disease and/or diabetes,
    // it would be advisable to consider continuous cardiac monitoring".
    [Fact]
    public void Cardiovascular_disease_or_diabetes_adds_continuous_cardiac_monitoring()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Age(72).Comorbid(Comorbidities.Diabetes));

        Assert.Contains(d.Option("pertuzumab-trastuzumab-docetaxel")!.Monitoring, m => m.Rule?.Id == "cardiovascular-risk-continuous-monitoring");
    }

    [Fact]
    public void Every_offered_trastuzumab_regimen_carries_lvef_monitoring_and_tdxd_carries_ild_vigilance()
    {
        var d = Decide(ThirdLine());

        Assert.All(d.Recommendations.Where(r => r.Agents.Contains(Kb.Trastuzumab)),
            r => Assert.Contains(r.Monitoring, m => m.Rule?.Id == "lvef-monitoring-on-trastuzumab"));
        Assert.Contains(d.Option("trastuzumab-deruxtecan")!.Monitoring, m => m.Rule?.Id == "trastuzumab-deruxtecan-lung-monitoring");
    }

    // Seed 001: "Kaklamani avoids prescribing T-DXd in patients who already experienced respiratory problems after treatment."
    [Theory]
    [InlineData(Comorbidities.InterstitialLungDisease)]
    [InlineData(Comorbidities.Pneumonitis)]
    public void Interstitial_lung_disease_or_pneumonitis_excludes_tdxd(Comorbidities lung)
    {
        var d = Decide(ThirdLine().Comorbid(lung));

        d.AssertExcludedBy("trastuzumab-deruxtecan", "lung-disease-excludes-trastuzumab-deruxtecan");
        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
    }

    // Seed 001, Case 1: "The persistent cough reported by the case study patient would discourage Iyengar from using T-DXd".
    [Theory]
    [InlineData(Symptoms.PersistentCough)]
    [InlineData(Symptoms.Cough)]
    [InlineData(Symptoms.Dyspnoea)]
    public void Respiratory_symptoms_weigh_against_tdxd_without_excluding_it(Symptoms symptom)
    {
        var d = Decide(ThirdLine().Symptom(symptom));

        var tdxd = d.Option("trastuzumab-deruxtecan")!;
        Assert.True(tdxd.WeighedAgainst);
        Assert.Contains(tdxd.Cautions, c => c.Rule?.Id == "respiratory-symptoms-weigh-against-trastuzumab-deruxtecan");
        Assert.True(tdxd.Rank > d.RankOf("tucatinib-trastuzumab-capecitabine"));
    }

    [Fact]
    public void A_patient_who_cannot_take_oral_drugs_is_offered_no_oral_regimen()
    {
        var d = Decide(ThirdLine().CanTakeOral(false));

        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "cannot-take-oral-drugs-excludes");
        d.AssertExcludedBy("lapatinib-capecitabine", "cannot-take-oral-drugs-excludes");
        d.AssertExcludedBy("neratinib-capecitabine", "cannot-take-oral-drugs-excludes");
        Assert.Equal("trastuzumab-deruxtecan", d.Recommendations[0].Regimen.Id);
        Assert.Contains(d.Option("trastuzumab-chemotherapy")!.Cautions, c => c.Kind == NoteKind.PartnerToAvoid);
    }

    [Fact]
    public void Not_knowing_whether_the_patient_can_take_oral_drugs_is_asked_for()
    {
        var d = Decide(ThirdLine().CanTakeOral(null));

        Assert.True(d.AsksFor("canTakeOralDrugs"));
        Assert.True(d.Recommends("tucatinib-trastuzumab-capecitabine"));
    }

    [Fact]
    public void An_unavailable_or_declined_drug_is_excluded_with_that_reason()
    {
        var d = Decide(ThirdLine().Unavailable("tucatinib").Declines("neratinib"));

        d.AssertExcludedBy("tucatinib-trastuzumab-capecitabine", "unavailable-excludes");
        d.AssertExcludedBy("neratinib-capecitabine", "declined-excludes");
    }

    [Fact]
    public void An_allergy_to_paclitaxel_excludes_it_and_cautions_about_other_taxanes()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Allergy("paclitaxel"));

        d.AssertExcludedBy("pertuzumab-trastuzumab-paclitaxel", "allergy-excludes");
        var docetaxel = d.Option("pertuzumab-trastuzumab-docetaxel")!;
        Assert.Contains(docetaxel.Cautions, c => c.Rule?.Id == "taxane-cross-reactivity");
    }

    [Fact]
    public void An_agent_stopped_for_toxicity_is_not_offered_again()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2024-05-01", Thp)
            .Line("2024-05-15", "2025-10-01", ["trastuzumab-emtansine"], stopReason: StopReason.Toxicity, causative: ["trastuzumab-emtansine"]));

        d.AssertExcludedBy("trastuzumab-emtansine", "stopped-for-toxicity-excludes");
    }

    [Fact]
    public void A_preference_to_avoid_intravenous_therapy_ranks_intravenous_options_lower_but_keeps_them()
    {
        var d = Decide(ThirdLine().Avoid(AvoidPreferences.IntravenousTherapy));

        var tdxd = d.Option("trastuzumab-deruxtecan")!;
        Assert.True(tdxd.WeighedAgainst);
        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
    }

    [Fact]
    public void A_preference_to_avoid_hair_loss_weighs_against_taxane_regimens()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Avoid(AvoidPreferences.Alopecia));

        Assert.True(d.Option("pertuzumab-trastuzumab-docetaxel")!.WeighedAgainst);
    }

    [Fact]
    public void Premenopausal_patients_are_told_the_endocrine_trials_enrolled_postmenopausal_women()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Menopause(MenopausalStatus.Premenopausal));

        Assert.Contains(d.Option("trastuzumab-endocrine")!.Cautions, c => c.Rule?.Id == "premenopausal-endocrine-caution");
    }

    [Fact]
    public void Conjugates_carry_cardiac_monitoring_advice()
    {
        var d = Decide(ThirdLine());

        Assert.Contains(d.Option("trastuzumab-deruxtecan")!.Monitoring, m => m.Rule?.Id == "cardiac-monitoring-on-conjugates");
    }

    [Fact]
    public void A_preference_to_avoid_oral_therapy_weighs_against_the_oral_regimens()
    {
        var d = Decide(ThirdLine().Avoid(AvoidPreferences.OralTherapy));

        Assert.True(d.Option("tucatinib-trastuzumab-capecitabine")!.WeighedAgainst);
        Assert.Equal(1, d.RankOf("trastuzumab-deruxtecan"));
    }

    [Fact]
    public void A_patient_younger_than_18_is_told_the_seeds_address_adults()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Age(16));

        Assert.True(d.HasAlertFrom("under-18-alert"));
    }
}
