using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.PatientBuilder;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Relapse during or soon after an early-disease regimen counts as progression on that regimen (seed 000's 12-month
/// rule, the window that already counts the early course as a first line), so the same regimen is not offered again;
/// a new regimen may keep trastuzumab (GBG 26).
/// </summary>
public class EarlyDiseaseRelapseTests
{
    private static PatientBuilder AfterKatherine(string relapse) => Patient()
        .Presentation(new Presentation(PresentationType.Recurrence, D("2021-01-01"), D(relapse)))
        .EarlyDisease(new EarlyDisease(
            [
                new EarlyRegimen(EarlySetting.Neoadjuvant, Patient().Agents("docetaxel", "carboplatin", "trastuzumab", "pertuzumab"), D("2021-02-01"), D("2021-06-01")),
                new EarlyRegimen(EarlySetting.Adjuvant, Patient().Agents("trastuzumab-emtansine"), D("2021-07-01"), D("2022-12-31")),
            ],
            PathologicResponse.ResidualDisease,
            null));

    // Seed 001: T-DM1 "for patients with a substantial amount of residual disease in the adjuvant setting" (KATHERINE).
    [Fact]
    public void Relapse_three_months_after_adjuvant_tdm1_counts_as_progression_on_it_so_tdm1_is_not_offered_again()
    {
        var d = Decide(AfterKatherine("2023-04-01"), asOf: "2023-04-20");

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        d.AssertExcludedBy("trastuzumab-emtansine", "progressed-on-excludes");
        var reason = d.ExclusionOf("trastuzumab-emtansine")!.Reasons.First(r => r.Code == ReasonCode.ProgressedOn);
        Assert.Contains("adjuvant trastuzumab emtansine for early disease", DecisionText.Reason(reason, d));
        Assert.Contains(d.Point.Rationale, r => r.Code == RationaleCode.EarlyRegimenFailed && r.Early!.Agents.Contains(Kb.TrastuzumabEmtansine));
        Assert.Equal(1, d.RankOf("tucatinib-trastuzumab-capecitabine"));
    }

    [Fact]
    public void Relapse_more_than_12_months_after_adjuvant_tdm1_does_not_count_it_as_failed()
    {
        var d = Decide(AfterKatherine("2024-03-01"), asOf: "2024-03-20");

        Assert.Empty(d.Facts.EarlyFailures);
        Assert.Null(d.ExclusionOf("trastuzumab-emtansine"));
        Assert.True(d.Recommends("trastuzumab-emtansine"), d.Describe());
    }

    // Seed 000: "the continuation of trastuzumab along with chemotherapy improves progression-free survival compared to
    // chemotherapy alone in this population" (GBG 26): the regimen failed, not the agent.
    [Fact]
    public void Trastuzumab_continues_beyond_an_early_relapse_in_a_new_regimen()
    {
        var d = Decide(Patient().RecurrenceAfter("2024-09-01", "2024-03-01", ["trastuzumab", "docetaxel"]), asOf: "2024-09-20");

        Assert.Equal(DecisionKind.SecondLine, d.Point.Kind);
        var again = d.Option("trastuzumab-chemotherapy");
        Assert.True(again is not null, d.Describe());
        var partner = Assert.Single(again!.Cautions, c => c.Kind == NoteKind.PartnerToAvoid && c.Rule?.Id == "progressed-on-excludes");
        Assert.Equal("docetaxel", Kb.DescribeAgents(partner.Agents));
        Assert.True(d.Recommends("trastuzumab-emtansine"));
        Assert.True(d.Recommends("tucatinib-trastuzumab-capecitabine"));
    }

    [Fact]
    public void Relapse_within_12_months_of_neoadjuvant_pertuzumab_trastuzumab_and_docetaxel_rules_out_that_regimen()
    {
        var d = Decide(
            Patient().RecurrenceAfter("2024-09-01", "2024-01-15", ["pertuzumab", "trastuzumab", "docetaxel"], PathologicResponse.ResidualDisease, EarlySetting.Neoadjuvant),
            asOf: "2024-09-20");

        d.AssertExcludedBy("pertuzumab-trastuzumab-docetaxel", "progressed-on-excludes");
        d.AssertExcludedBy("pertuzumab-trastuzumab-paclitaxel", "progressed-on-excludes");
    }

    // Seed 000 names AFFINITY (pertuzumab, adjuvant); seed 001 reports APHINITY and KATHERINE.
    [Fact]
    public void Early_disease_trials_are_shown_where_the_seeds_name_them()
    {
        var katherine = Decide(AfterKatherine("2023-04-01"), asOf: "2023-04-20");
        Assert.Contains(katherine.Trials, t => t.Trial.Id == "katherine" && t.Statement?.Id == "panel21-early-disease-katherine");
        Assert.Contains(katherine.Trials, t => t.Trial.Id == "aphinity");

        var asco = Decide(Patient().RecurrenceAfter("2024-09-01", "2022-01-15", ["pertuzumab", "trastuzumab", "docetaxel"]), asOf: "2024-09-20", edition: "asco-2014");
        Assert.Contains(asco.Trials, t => t.Trial.Id == "aphinity" && t.Statement?.Id == "asco14-prior-neoadjuvant-pertuzumab-not-addressed");

        Assert.DoesNotContain(Decide(Patient().DeNovo("2025-12-01")).Trials, t => t.Trial.Id is "aphinity" or "katherine");
    }

    // Seed 001: unmet needs include "treatment regimens that can prevent brain metastases".
    [Fact]
    public void The_unmet_need_of_preventing_brain_metastases_is_said_at_first_line()
    {
        Assert.True(Decide(Patient().DeNovo("2025-12-01")).HasAlertFrom("panel21-brain-metastases-prevention-unmet-need"));
        Assert.False(Decide(Patient().DeNovo("2025-12-01").Brain(Core.Patients.BrainMetastasisStatus.Stable)).HasAlertFrom("panel21-brain-metastases-prevention-unmet-need"));
    }

    // Extended adjuvant neratinib after trastuzumab, its stop date not recorded, then a relapse: the relapse may have
    // come on neratinib. Herald's rule: weigh against what it would rule out, with a caution, and ask (not blocking).
    private static PatientBuilder AfterExtendedNeratinib(DateOnly? neratinibStop) => Patient()
        .Presentation(new Presentation(PresentationType.Recurrence, D("2020-09-01"), D("2023-03-01")))
        .EarlyDisease(new EarlyDisease(
            [
                new EarlyRegimen(EarlySetting.Adjuvant, Patient().Agents("docetaxel", "carboplatin", "trastuzumab", "pertuzumab"), D("2020-10-01"), D("2021-09-01")),
                new EarlyRegimen(EarlySetting.Adjuvant, Patient().Agents("neratinib"), D("2021-10-01"), neratinibStop),
            ],
            null,
            null))
        .Line("2023-03-15", "2024-06-01", ["pertuzumab", "trastuzumab", "paclitaxel"])
        .Line("2024-06-15", "2025-10-01", ["trastuzumab-emtansine"]);

    [Fact]
    public void Extended_adjuvant_neratinib_without_a_stop_date_weighs_against_neratinib_and_capecitabine_and_asks_when_it_stopped()
    {
        var d = Decide(AfterExtendedNeratinib(null));

        var neratinib = d.Option("neratinib-capecitabine");
        Assert.True(neratinib is not null, d.Describe());
        Assert.True(neratinib!.WeighedAgainst);
        Assert.Contains(neratinib.Cautions, c => c.Rule?.Id == "possibly-progressed-on-early-regimen");
        Assert.Contains(d.MissingData, m => m.Field == "earlyDisease.regimens[].stop" && !m.Blocking);
        // The regimens the early course would not rule out carry no such caution.
        Assert.DoesNotContain(d.Option("tucatinib-trastuzumab-capecitabine")!.Cautions, c => c.Rule?.Id == "possibly-progressed-on-early-regimen");
    }

    [Fact]
    public void Once_the_neratinib_stop_date_is_recorded_the_early_course_is_counted_as_failed_or_not_and_nothing_is_asked()
    {
        // Stopped within 12 months of the relapse: progression on it, named in the rationale.
        var failed = Decide(AfterExtendedNeratinib(D("2022-10-01")));
        Assert.Contains(failed.Facts.EarlyFailures, f => f.Agents.Contains(Kb.FindAgent("neratinib")!));
        Assert.Empty(failed.Facts.PossibleEarlyFailures);
        Assert.DoesNotContain(failed.Recommendations.SelectMany(r => r.Cautions), c => c.Rule?.Id == "possibly-progressed-on-early-regimen");
        Assert.False(failed.AsksFor("earlyDisease.regimens[].stop"));

        // Stopped more than 12 months before it: not failed, offered without the caution.
        var done = Decide(AfterExtendedNeratinib(D("2021-12-31")));
        Assert.Empty(done.Facts.EarlyFailures);
        Assert.DoesNotContain(done.Recommendations.SelectMany(r => r.Cautions), c => c.Rule?.Id == "possibly-progressed-on-early-regimen");
        Assert.False(done.AsksFor("earlyDisease.regimens[].stop"));
    }
}
