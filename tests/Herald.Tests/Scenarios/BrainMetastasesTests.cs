using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 7: brain metastases - local therapy first; continue or switch; leptomeningeal disease.</summary>
public class BrainMetastasesTests
{
    private static readonly string[] Thp = ["pertuzumab", "trastuzumab", "docetaxel"];

    private static PatientBuilder OnTdm1Responding() => Patient().DeNovo("2023-01-10")
        .Line("2023-01-20", "2024-06-01", Thp)
        .Ongoing("2024-06-15", ["trastuzumab-emtansine"])
        .Extracranial(ExtracranialStatus.Responding);

    // Seed 001: "if patients are generally responding well to their current systemic regimen, clinicians may
    // choose to treat small solitary brain metastases with stereotactic radiosurgery rather than switch to tucatinib."
    [Fact]
    public void New_brain_metastasis_with_the_body_controlled_gets_local_therapy_and_continues_the_regimen()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 1));

        Assert.Equal(DecisionKind.BrainMetastasesLocalTherapy, d.Point.Kind);
        var top = d.Recommendations[0];
        Assert.Equal("current-regimen", top.Regimen.Id);
        Assert.Equal("trastuzumab emtansine", Kb.DescribeAgents(top.Agents));
        Assert.True(top.CitedBy("panel21-brain-metastases-local-therapy-continue"));
        Assert.True(d.HasAlertFrom("panel21-brain-metastases-local-therapy-continue"));
        Assert.True(d.HasAlertFrom("cons16-scenario-4-brain-metastases"));
        Assert.True(d.RankOf("tucatinib-trastuzumab-capecitabine") > top.Rank);
        Assert.True(d.HasAlertFrom("panel21-brain-metastases-switch-to-tucatinib"));
    }

    [Fact]
    public void Several_brain_metastases_carry_the_caveat_that_the_panel_spoke_of_a_solitary_one()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.Progressing, lesions: 4));

        var top = d.Option("current-regimen")!;
        Assert.Contains(top.Cautions, c => c.Statement?.Id == "panel21-brain-metastases-local-therapy-continue");
    }

    // Seed 001: "Isaacs said she is increasingly inclined to use tucatinib in patients with brain metastases";
    // seed 002, scenario 4: "the combination of lapatinib and chemotherapy may be a good option after best local treatment."
    [Fact]
    public void Brain_and_body_progressing_switches_to_tucatinib_first_then_lapatinib_capecitabine()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2025-10-01", Thp)
            .Brain(BrainMetastasisStatus.New, lesions: 2, symptomaticBrain: true));

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        var tucatinib = d.Option("tucatinib-trastuzumab-capecitabine")!;
        Assert.Equal(1, tucatinib.Rank);
        Assert.Equal(Preference.Preferred, tucatinib.Preference);
        Assert.True(tucatinib.CitedBy("panel21-brain-metastases-tucatinib"));

        // The newest source first (docs/decision-logic.md, "Precedence"): the 2021 panel's second-line T-DM1, then the
        // 2016 consensus's preferred lapatinib + capecitabine for brain metastases, first among the 2016 options.
        var lapatinib = d.Option("lapatinib-capecitabine")!;
        Assert.True(lapatinib.CitedBy("cons16-scenario-4-brain-metastases"));
        Assert.Equal(Preference.Preferred, lapatinib.Preference);
        Assert.True(d.RankOf("trastuzumab-emtansine") < lapatinib.Rank);
        Assert.All(d.Recommendations.Where(r => r.RankedBy.Edition.Id == "consensus-2016"), r => Assert.True(r.Rank >= lapatinib.Rank));
        Assert.True(d.HasAlertFrom("cons16-scenario-4-brain-metastases"));

        // Seed 002: "ASCO practice guidelines suggest the continuation of HER2-targeted therapy" with brain metastases.
        Assert.All(d.Recommendations, r => Assert.True(r.Agents.Overlaps(Kb.Her2Directed), r.Regimen.Id));
    }

    // Seed 002, scenario 1: "Only when lapatinib is a particularly attractive option (e.g. if there are brain
    // metastases ...) may the dual HER2 blockade be more promising than T-DM1."
    [Fact]
    public void In_the_2016_edition_brain_metastases_put_lapatinib_regimens_before_tdm1()
    {
        var d = Decide(Patient().DeNovo("2023-01-10")
                .Line("2023-01-20", "2024-03-01", ["paclitaxel", "trastuzumab"])
                .Line("2024-03-15", "2025-09-01", ["vinorelbine", "trastuzumab"])
                .Brain(BrainMetastasisStatus.Progressing, lesions: 2),
            edition: "consensus-2016");

        Assert.Equal(1, d.RankOf("lapatinib-trastuzumab"));
        Assert.Equal(1, d.RankOf("lapatinib-capecitabine"));
        Assert.Equal(Preference.Recommended, d.Option("trastuzumab-emtansine")!.Preference);
        Assert.True(d.RankOf("trastuzumab-emtansine") > 1);
    }

    [Fact]
    public void The_2014_edition_says_its_brain_metastases_guideline_is_not_in_the_seeds()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
                .Line("2024-01-20", "2025-10-01", Thp)
                .Brain(BrainMetastasisStatus.New),
            edition: "asco-2014");

        Assert.True(d.HasAlertFrom("asco14-brain-metastases-companion-guideline"));
    }

    [Fact]
    public void New_brain_metastases_at_first_line_are_referred_for_local_therapy_in_every_edition()
    {
        foreach (var edition in Kb.Editions)
        {
            var d = Decide(Patient().DeNovo("2025-12-01").Brain(BrainMetastasisStatus.New, lesions: 2), edition: edition.Id);

            Assert.Equal(DecisionKind.FirstLine, d.Point.Kind);
            Assert.True(d.HasAlertFrom("brain-metastases-first-line-local-therapy"), edition.Id);
        }
    }

    // Seed 001: SRS "rather than switch" is for "small solitary brain metastases"; 12 symptomatic lesions are not that.
    [Fact]
    public void Extensive_symptomatic_brain_disease_is_not_told_to_continue_the_current_regimen_first()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.Progressing, lesions: 12, symptomaticBrain: true));

        Assert.Equal(DecisionKind.BrainMetastasesLocalTherapy, d.Point.Kind);
        var first = d.Recommendations.Where(r => r.Rank == 1).Select(r => r.Regimen.Id).ToArray();
        Assert.DoesNotContain("current-regimen", first);
        Assert.Contains("tucatinib-trastuzumab-capecitabine", first);
        var continuing = d.Option("current-regimen")!;
        Assert.Equal(Preference.Consider, continuing.Preference);
        Assert.Contains(continuing.Cautions, c => c.Statement?.Id == "panel21-brain-metastases-local-therapy-continue");
    }

    [Fact]
    public void Leptomeningeal_disease_on_a_working_line_is_not_told_to_continue_the_current_regimen_first()
    {
        var d = Decide(OnTdm1Responding().Leptomeningeal());

        Assert.Equal(DecisionKind.BrainMetastasesLocalTherapy, d.Point.Kind);
        Assert.NotEqual("current-regimen", d.Recommendations[0].Regimen.Id);
        Assert.Contains(d.Alerts, a => a.Statement?.Id == "panel21-leptomeningeal-no-trials" && a.Severity == Severity.Critical);
    }

    // Seed 002: "ASCO practice guidelines suggest the continuation of HER2-targeted therapy for patients who receive
    // standard therapy for the treatment of brain metastases (surgical and/or radiotherapy)"; "continue with trastuzumab
    // while there is a clinical benefit".
    [Fact]
    public void Under_the_2016_edition_a_solitary_new_brain_metastasis_with_the_body_responding_gets_local_therapy_and_continues()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 1), edition: "consensus-2016");

        var top = d.Recommendations[0];
        Assert.Equal("current-regimen", top.Regimen.Id);
        Assert.True(top.CitedBy("cons16-brain-metastases-local-therapy-continue"));
        Assert.True(d.RankOf("lapatinib-capecitabine") > top.Rank);
        Assert.True(d.HasAlertFrom("cons16-scenario-4-brain-metastases"));
    }

    [Fact]
    public void Each_edition_answers_a_solitary_new_brain_metastasis_with_the_body_responding_from_its_own_seed()
    {
        var patient = OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 1);

        // Seed 001: SRS "rather than switch to tucatinib" for small solitary metastases; switching is the other voice.
        var panel = Decide(patient, edition: "panel-2021");
        Assert.Equal("current-regimen", panel.Recommendations[0].Regimen.Id);
        Assert.True(panel.RankOf("tucatinib-trastuzumab-capecitabine") > 1);

        // Seed 000 names a companion guideline whose content is not in the seed: it says so and ranks nothing.
        var asco = Decide(patient, edition: "asco-2014");
        Assert.Empty(asco.Recommendations);
        Assert.True(asco.HasAlertFrom("asco14-brain-metastases-companion-guideline"));

        // Seed 002 with extensive disease: lapatinib and chemotherapy after best local treatment comes first.
        var extensive = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 12, symptomaticBrain: true), edition: "consensus-2016");
        Assert.Equal("lapatinib-capecitabine", extensive.Recommendations[0].Regimen.Id);
    }

    // Seed 001: "lack of clinical trials addressing treatment for leptomeningeal disease".
    [Fact]
    public void Leptomeningeal_disease_says_trial_data_are_lacking()
    {
        var patient = Patient().DeNovo("2024-01-10").Line("2024-01-20", "2025-10-01", Thp).Leptomeningeal();

        var current = Decide(patient);
        var asco = Decide(patient, edition: "asco-2014");

        Assert.True(current.HasAlertFrom("panel21-leptomeningeal-no-trials"));
        Assert.False(current.HasAlertFrom("asco14-leptomeningeal-not-addressed"));
        Assert.True(asco.HasAlertFrom("asco14-leptomeningeal-not-addressed"));
        Assert.True(Decide(patient, edition: "consensus-2016").HasAlertFrom("cons16-leptomeningeal-not-addressed"));
    }
    // Seed 001 speaks of "small solitary brain metastases"; a record without the lesion count or the symptoms (every
    // record read from FHIR) does not show that, so continuing must not come first as if it did.
    [Fact]
    public void A_new_brain_metastasis_of_unrecorded_extent_is_not_answered_as_a_small_solitary_one()
    {
        foreach (var edition in new[] { "current-seeds", "consensus-2016", "panel-2021" })
        {
            var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: null, symptomaticBrain: null), edition: edition);

            Assert.Equal(DecisionKind.BrainMetastasesLocalTherapy, d.Point.Kind);
            Assert.DoesNotContain("current-regimen", d.Recommendations.Where(r => r.Rank == 1).Select(r => r.Regimen.Id));
            var continuing = d.Option("current-regimen");
            Assert.True(continuing is not null, edition);
            Assert.Equal(Preference.Consider, continuing!.Preference);
            Assert.Contains(continuing.Cautions, c => c.Rule?.Id == "brain-metastases-extent-unknown-continue");
            // Non-blocking: an EHR record never carries them, and the answer is safe without them.
            Assert.Contains(d.MissingData, m => m.Field == "disease.brain.lesionCount" && !m.Blocking);
            Assert.Contains(d.MissingData, m => m.Field == "disease.brain.symptomatic" && !m.Blocking);
        }
    }

    [Fact]
    public void A_single_brain_metastasis_whose_symptoms_are_not_recorded_is_not_answered_as_an_asymptomatic_one()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 1, symptomaticBrain: null));

        Assert.DoesNotContain("current-regimen", d.Recommendations.Where(r => r.Rank == 1).Select(r => r.Regimen.Id));
        Assert.True(d.AsksFor("disease.brain.symptomatic"));
        Assert.False(d.AsksFor("disease.brain.lesionCount"));
    }

    [Fact]
    public void Once_the_metastasis_is_recorded_solitary_and_asymptomatic_the_caution_and_the_requests_go()
    {
        var d = Decide(OnTdm1Responding().Brain(BrainMetastasisStatus.New, lesions: 1, symptomaticBrain: false));

        var top = d.Recommendations[0];
        Assert.Equal("current-regimen", top.Regimen.Id);
        Assert.DoesNotContain(top.Cautions, c => c.Rule?.Id == "brain-metastases-extent-unknown-continue");
        Assert.False(d.AsksFor("disease.brain.lesionCount"));
        Assert.False(d.AsksFor("disease.brain.symptomatic"));
    }
}
