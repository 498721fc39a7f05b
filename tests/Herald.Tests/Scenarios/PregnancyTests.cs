using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Pregnancy: trastuzumab, pertuzumab, T-DM1 and T-DXd carry boxed warnings of embryo-fetal toxicity (evidence.md).
/// Free-text comorbidities are shown in every answer and never interpreted.
/// </summary>
public class PregnancyTests
{
    private static PatientBuilder Premenopausal() => Patient().DeNovo("2025-12-01").Age(34).Menopause(MenopausalStatus.Premenopausal);

    [Fact]
    public void A_pregnant_patient_gets_a_critical_alert_and_a_caution_on_every_her2_antibody_option()
    {
        var d = Decide(Premenopausal().Pregnancy(PregnancyStatus.Pregnant));

        var alert = Assert.Single(d.Alerts, a => a.Rule?.Id == "pregnancy-embryo-fetal-toxicity");
        Assert.Equal(Severity.Critical, alert.Severity);
        var antibodies = AgentSet.Of(new[] { "trastuzumab", "pertuzumab", "trastuzumab-emtansine", "trastuzumab-deruxtecan" }.Select(a => Kb.FindAgent(a)!));
        Assert.All(d.Recommendations.Where(r => r.Agents.Overlaps(antibodies)),
            r => Assert.Contains(r.Cautions, c => c.Rule?.Id == "pregnancy-embryo-fetal-toxicity-on-options"));
    }

    [Fact]
    public void Unknown_pregnancy_status_in_a_premenopausal_patient_is_asked_for_without_blocking()
    {
        var d = Decide(Premenopausal());

        var request = Assert.Single(d.MissingData, m => m.Field == "pregnancy");
        Assert.False(request.Blocking);
        Assert.NotEmpty(d.Recommendations);
        Assert.False(d.HasAlertFrom("pregnancy-embryo-fetal-toxicity"));
    }

    [Fact]
    public void Pregnancy_is_not_asked_of_a_postmenopausal_patient_nor_of_one_recorded_not_pregnant()
    {
        Assert.False(Decide(Patient().DeNovo("2025-12-01").Menopause(MenopausalStatus.Postmenopausal)).AsksFor("pregnancy"));
        Assert.False(Decide(Premenopausal().Pregnancy(PregnancyStatus.NotPregnant)).AsksFor("pregnancy"));
        Assert.True(Decide(Premenopausal().Pregnancy(PregnancyStatus.Unknown)).AsksFor("pregnancy"));
    }

    [Fact]
    public void Breastfeeding_is_said_to_be_outside_the_sources()
    {
        var d = Decide(Premenopausal().Pregnancy(PregnancyStatus.NotPregnant).Breastfeeding(true));

        Assert.True(d.HasAlertFrom("breastfeeding-not-addressed"));
    }

    // "pregnant, 20 weeks gestation" as free text used to vanish from the answer while counting as a comorbidity.
    [Fact]
    public void Free_text_comorbidities_are_shown_and_change_nothing()
    {
        var plain = Decide(Patient().DeNovo("2025-12-01").HrPositive().Burden(DiseaseBurden.Moderate));
        var withText = Decide(Patient().DeNovo("2025-12-01").HrPositive().Burden(DiseaseBurden.Moderate).OtherComorbidity("pregnant, 20 weeks gestation"));

        var shown = Assert.Single(withText.Alerts, a => a.Rule?.Id == "free-text-comorbidities-not-interpreted");
        Assert.Contains("\"pregnant, 20 weeks gestation\"", DecisionText.Alert(shown, withText.Facts));
        Assert.Equal(
            plain.Recommendations.Select(r => (r.Rank, r.Regimen.Id)),
            withText.Recommendations.Select(r => (r.Rank, r.Regimen.Id)));
        Assert.False(withText.HasAlertFrom("pregnancy-embryo-fetal-toxicity"));
    }
}
