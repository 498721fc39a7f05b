using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>Point 3: first line - THP, the taxane choice, no taxane, no chemotherapy, hormone receptor-positive.</summary>
public class FirstLineTests
{
    // Seed 000: "In the first-line setting, the expert panel recommends the combination of pertuzumab,
    // trastuzumab, and a taxane for patients without a contraindication to taxane therapy."
    [Fact]
    public void Thp_with_docetaxel_ranks_first_cited_by_all_three_seeds()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        var thp = d.Option("pertuzumab-trastuzumab-docetaxel")!;
        Assert.Equal(1, thp.Rank);
        Assert.Equal(Strength.PhaseIII, thp.Strength);
        Assert.True(thp.CitedBy("asco14-first-line-thp"));
        Assert.True(thp.CitedBy("cons16-first-line-thp"));
        Assert.True(thp.CitedBy("panel21-first-line-thp"));
        Assert.Contains(thp.Regimen.Evidence, t => t.Id == "cleopatra");
    }

    // Seed 000: "... caution that data to support the use of paclitaxel in this setting are currently not available."
    [Fact]
    public void Weekly_paclitaxel_and_nab_paclitaxel_rank_below_docetaxel_with_their_caveats()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        var docetaxel = d.RankOf("pertuzumab-trastuzumab-docetaxel");
        var paclitaxel = d.Option("pertuzumab-trastuzumab-paclitaxel")!;
        var nab = d.Option("pertuzumab-trastuzumab-nab-paclitaxel")!;
        Assert.True(paclitaxel.Rank > docetaxel);
        Assert.True(nab.Rank > paclitaxel.Rank);
        Assert.Equal(Strength.NoData, paclitaxel.Strength);
        Assert.Contains(paclitaxel.Cautions, c => c.Statement?.Id == "asco14-first-line-taxane-choice");
        Assert.Contains(nab.Cautions, c => c.Statement?.Id == "asco14-first-line-peruse");
        Assert.Contains(d.Trials, t => t.Trial.Id == "peruse");
    }

    [Fact]
    public void A_taxane_allergy_excludes_every_thp_and_offers_trastuzumab_with_a_non_taxane_chemotherapy()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Allergy("taxane"));

        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "allergy-excludes");
        d.AssertExcludedBy("pertuzumab-trastuzumab-paclitaxel", "allergy-excludes");
        d.AssertExcludedBy("pertuzumab-trastuzumab-nab-paclitaxel", "allergy-excludes");
        var tc = d.Option("trastuzumab-chemotherapy")!;
        Assert.Equal(1, tc.Rank);
        Assert.True(tc.CitedBy("cons16-first-line-trastuzumab-other-chemotherapy"));
        Assert.Contains(tc.Cautions, c => c.Kind == Core.Decisions.NoteKind.PartnerToAvoid && c.Agents.Overlaps(Kb.Taxanes));
        Assert.True(d.HasAlertFrom("asco14-taxane-contraindicated-not-addressed"));
        Assert.True(d.HasAlertFrom("cons16-pertuzumab-non-taxane-first-line-no-data"));
    }

    [Fact]
    public void A_declared_taxane_contraindication_such_as_neuropathy_acts_like_an_allergy()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Contraindication("taxane"));

        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "contraindication-excludes");
        Assert.True(d.Recommends("trastuzumab-chemotherapy"));
    }

    // Seed 000: "we do not recommend HER2-targeted therapy alone as a standard first-line option, although it is
    // reasonable to consider this approach in asymptomatic patients with low disease burden"
    [Fact]
    public void Her2_therapy_without_chemotherapy_only_for_asymptomatic_low_burden_disease()
    {
        var eligible = Decide(Patient().DeNovo("2025-12-01").Symptomatic(false).Burden(DiseaseBurden.Low));
        var symptomatic = Decide(Patient().DeNovo("2025-12-01").Symptomatic(true).Burden(DiseaseBurden.Low));

        var option = eligible.Option("pertuzumab-trastuzumab")!;
        Assert.Equal(Preference.Consider, option.Preference);
        Assert.True(option.Rank > eligible.RankOf("pertuzumab-trastuzumab-docetaxel"));
        Assert.False(symptomatic.Recommends("pertuzumab-trastuzumab"));
        var why = symptomatic.NotIndicatedEntry("pertuzumab-trastuzumab")!;
        var reason = Assert.Single(why.Reasons, r => r.Statement?.Id == "asco14-first-line-her2-therapy-alone");
        Assert.Contains(reason.Blockers!, b => b.Atom.Text == "asymptomatic");
    }

    [Fact]
    public void Unknown_symptoms_and_burden_are_asked_for_rather_than_guessed()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").Symptomatic(null).Burden(null));

        Assert.False(d.Recommends("pertuzumab-trastuzumab"));
        Assert.True(d.AsksFor("disease.symptomatic"));
    }

    // Seed 000: "the role of ado-trastuzumab emtansine in this setting has not been determined";
    // seed 002: "it has not yet been recommended for a first-line treatment of mBC".
    [Fact]
    public void Tdm1_is_not_a_first_line_option_for_de_novo_disease()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        var entry = d.NotIndicatedEntry("trastuzumab-emtansine")!;
        Assert.Contains(entry.Reasons, r => r.Statement?.Id == "asco14-first-line-tdm1-not-determined");
        Assert.Contains(entry.Reasons, r => r.Statement?.Id == "cons16-first-line-tdm1-not-yet");
        Assert.Contains(d.Trials, t => t.Trial.Id == "marianne");
    }

    // Seed 001, Case 1: "Although she considered T-DM1 to be acceptable in this setting, she would have considered
    // retreating with docetaxel, trastuzumab, and pertuzumab (THP) because this patient had a relatively long pCR."
    [Fact]
    public void After_neoadjuvant_tchp_and_a_long_pcr_the_2021_panel_offers_thp_again_or_tdm1()
    {
        var patient = Patient().RecurrenceAfter(
            "2025-06-01", "2022-05-01", ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"],
            PathologicResponse.CompleteResponse, EarlySetting.Neoadjuvant);

        var current = Decide(patient);
        var asco = Decide(patient, edition: "asco-2014");

        Assert.Equal(1, current.RankOf("pertuzumab-trastuzumab-docetaxel"));
        Assert.True(current.Option("pertuzumab-trastuzumab-docetaxel")!.CitedBy("panel21-case1-first-line-after-neoadjuvant"));
        var tdm1 = current.Option("trastuzumab-emtansine")!;
        Assert.Equal(Preference.Option, tdm1.Preference);
        Assert.False(current.HasAlertFrom("asco14-prior-neoadjuvant-pertuzumab-not-addressed"));

        Assert.True(asco.HasAlertFrom("asco14-prior-neoadjuvant-pertuzumab-not-addressed"));
        asco.AssertNotIndicated("trastuzumab-emtansine");
    }

    [Fact]
    public void Hormone_receptor_positive_disease_still_starts_with_thp_and_endocrine_options_follow()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive());

        Assert.Equal(1, d.RankOf("pertuzumab-trastuzumab-docetaxel"));
        var thpRank = d.RankOf("pertuzumab-trastuzumab-docetaxel");
        Assert.True(d.RankOf("trastuzumab-endocrine") > thpRank);
        Assert.True(d.RankOf("lapatinib-endocrine") > thpRank);
        Assert.True(d.RankOf("pertuzumab-trastuzumab-endocrine") > thpRank);
        Assert.True(d.HasAlertFrom("asco14-hr-positive-mostly-chemotherapy"));
        Assert.True(d.HasAlertFrom("asco14-hr-endocrine-at-some-point"));
    }

    // Seed 000: selection criteria for endocrine therapy alone "include patient-related factors (such as presence
    // of a contraindication to HER2-targeted therapy or comorbidities) and disease-related factors (such as a long
    // time to recurrence and low disease burden)" - with caution: "a short time to progression".
    [Fact]
    public void Endocrine_therapy_alone_needs_a_selection_factor_and_carries_the_caution()
    {
        var selected = Decide(Patient().DeNovo("2025-12-01").HrPositive().Burden(DiseaseBurden.Low));
        var notSelected = Decide(Patient().DeNovo("2025-12-01").HrPositive().Burden(DiseaseBurden.High));

        var alone = selected.Option("endocrine-therapy-alone")!;
        Assert.Equal(Preference.Consider, alone.Preference);
        Assert.Contains(alone.Cautions, c => c.Statement?.Id == "asco14-hr-endocrine-alone");
        notSelected.AssertNotIndicated("endocrine-therapy-alone");
    }

    [Fact]
    public void Hormone_receptor_negative_disease_gets_no_endocrine_option_and_says_why()
    {
        var d = Decide(Patient().DeNovo("2025-12-01"));

        d.AssertNotIndicated("trastuzumab-endocrine");
        var entry = d.NotIndicatedEntry("trastuzumab-endocrine")!;
        Assert.Contains(entry.Reasons, r => r.Blockers is { } b && b.Any(x => x.Atom.Text == "hr-positive"));
    }

    [Fact]
    public void Unknown_hormone_receptor_status_is_asked_for()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HormoneReceptors(null, null));

        Assert.True(d.AsksFor("receptors.er"));
        Assert.Equal(1, d.RankOf("pertuzumab-trastuzumab-docetaxel"));
    }

    // Seed 001: "Gadi and Iyengar said this regimen may be considered in individuals for whom chemotherapy is
    // contraindicated."
    [Fact]
    public void Hormone_receptor_positive_disease_with_chemotherapy_contraindicated_is_offered_endocrine_therapy_with_trastuzumab()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Contraindication("chemotherapy"));

        var option = d.Option("trastuzumab-endocrine")!;
        Assert.True(option.CitedBy("panel21-hr-positive-endocrine-trastuzumab"));
        Assert.DoesNotContain(d.Recommendations, r => r.Agents.Overlaps(Kb.Chemotherapy));
    }

    [Fact]
    public void Hormone_receptor_positive_first_line_cites_the_endocrine_statements_of_each_seed()
    {
        var d = Decide(Patient().DeNovo("2025-12-01").HrPositive().Burden(DiseaseBurden.Low));

        var endocrineTrastuzumab = d.Option("trastuzumab-endocrine")!;
        Assert.True(endocrineTrastuzumab.CitedBy("asco14-hr-endocrine-plus-her2"));
        Assert.True(endocrineTrastuzumab.CitedBy("cons16-first-line-hr-endocrine-plus-her2"));
        Assert.Contains(endocrineTrastuzumab.Cautions, c => c.Statement?.Id == "asco14-hr-endocrine-plus-her2");
        Assert.True(d.Option("pertuzumab-trastuzumab-endocrine")!.CitedBy("panel21-hr-positive-pertain"));
        Assert.True(d.Option("endocrine-therapy-alone")!.CitedBy("cons16-first-line-hr-endocrine-alone"));
    }
}
