using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;
using static Herald.Tests.Support.TestKnowledge;

namespace Herald.Tests.Scenarios;

/// <summary>
/// Respiratory symptoms on a current anti-HER2 conjugate: interrupt and assess for ILD/pneumonitis before the next
/// dose (T-DXd label: investigate new or worsening cough, dyspnoea, fever; T-DM1 label: stop once ILD is diagnosed).
/// </summary>
public class LungToxicityOnConjugateTests
{
    private static PatientBuilder OnTdxdResponding() => Patient().DeNovo("2023-01-10")
        .Line("2023-01-20", "2024-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
        .Line("2024-03-15", "2025-02-01", ["trastuzumab-emtansine"])
        .Ongoing("2025-02-15", ["trastuzumab-deruxtecan"])
        .Extracranial(ExtracranialStatus.Responding);

    private static DecisionAlert? Critical(Decision d, string ruleId) =>
        d.Alerts.FirstOrDefault(a => a.Rule?.Id == ruleId && a.Severity == Severity.Critical);

    [Fact]
    public void Dyspnoea_and_cough_on_tdxd_raise_a_critical_alert_to_interrupt_and_assess_before_the_next_dose()
    {
        var d = Decide(OnTdxdResponding().Symptom(Symptoms.Dyspnoea).Symptom(Symptoms.PersistentCough));

        var alert = Critical(d, "conjugate-respiratory-symptoms-interrupt");
        Assert.True(alert is not null, "no critical ILD alert: " + string.Join(" | ", d.Alerts.Select(a => a.Rule?.Id ?? a.Statement?.Id)));
        var text = DecisionText.Alert(alert!, d.Facts);
        Assert.Contains("before the next dose", text);
        Assert.Contains("dyspnoea (onset not recorded)", text);
        Assert.True(d.AsksFor("symptoms[].onset"));
    }

    [Fact]
    public void On_tdm1_a_cough_raises_the_same_critical_alert()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2025-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Ongoing("2025-03-15", ["trastuzumab-emtansine"])
            .Extracranial(ExtracranialStatus.Stable)
            .Symptom(Symptoms.PersistentCough));

        Assert.NotNull(Critical(d, "conjugate-respiratory-symptoms-interrupt"));
    }

    [Fact]
    public void A_symptom_that_began_on_the_regimen_also_holds_the_next_dose_beside_continuing_it()
    {
        var d = Decide(OnTdxdResponding().Symptom(Symptoms.Dyspnoea, onset: "2025-11-20"));

        var continuing = d.Option("current-regimen")!;
        Assert.Contains(continuing.Cautions, c => c.Rule?.Id == "conjugate-new-respiratory-symptoms-hold");
        Assert.Contains("began 2025-11-20, after the current regimen started on 2025-02-15", DecisionText.Alert(Critical(d, "conjugate-respiratory-symptoms-interrupt")!, d.Facts));
        Assert.False(d.AsksFor("symptoms[].onset"));
    }

    [Fact]
    public void A_symptom_present_before_the_regimen_began_is_told_apart_but_still_raises_the_alert()
    {
        var d = Decide(OnTdxdResponding().Symptom(Symptoms.PersistentCough, onset: "2024-12-01"));

        Assert.DoesNotContain(d.Option("current-regimen")!.Cautions, c => c.Rule?.Id == "conjugate-new-respiratory-symptoms-hold");
        Assert.Contains("before the current regimen started", DecisionText.Alert(Critical(d, "conjugate-respiratory-symptoms-interrupt")!, d.Facts));
    }

    [Fact]
    public void Even_when_a_decision_waits_for_missing_data_the_critical_alert_is_given()
    {
        var d = Decide(OnTdxdResponding().Extracranial(null).Symptom(Symptoms.Dyspnoea));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.NotNull(Critical(d, "conjugate-respiratory-symptoms-interrupt"));
    }

    // T-DXd label (evidence.md): investigate "cough, dyspnoea, fever and other new or worsening respiratory symptoms".
    [Fact]
    public void Fever_on_tdxd_raises_the_critical_alert_too()
    {
        var d = Decide(OnTdxdResponding().Symptom(Symptoms.Fever, onset: "2026-01-05"));

        var alert = Critical(d, "conjugate-respiratory-symptoms-interrupt");
        Assert.NotNull(alert);
        Assert.Contains("fever (began 2026-01-05", DecisionText.Alert(alert!, d.Facts));
        Assert.Contains(d.Option("current-regimen")!.Cautions, c => c.Rule?.Id == "conjugate-new-respiratory-symptoms-hold");
    }

    // ILD on T-DXd began at a median of 4.1 months, range 1.2-8.3 (evidence.md): it can appear after the last dose.
    [Fact]
    public void Tdxd_stopped_for_toxicity_three_weeks_ago_with_dyspnoea_since_raises_the_critical_alert_and_cautions_tdm1()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2025-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Line("2025-03-15", "2025-12-25", ["trastuzumab-deruxtecan"], StopReason.Toxicity, causative: ["trastuzumab-deruxtecan"], toxicity: ToxicityKind.Other)
            .Symptom(Symptoms.Dyspnoea, onset: "2025-12-28"));

        var alert = Critical(d, "recent-conjugate-respiratory-symptoms-assess");
        Assert.True(alert is not null, "no critical ILD alert: " + string.Join(" | ", d.Alerts.Select(a => a.Rule?.Id ?? a.Statement?.Id)));
        var text = DecisionText.Alert(alert!, d.Facts);
        Assert.Contains("interstitial lung disease", text);
        Assert.Contains("trastuzumab deruxtecan, stopped 2025-12-25", text);
        var tdm1 = d.Option("trastuzumab-emtansine");
        Assert.True(tdm1 is not null, d.Describe());
        Assert.Contains(tdm1!.Cautions, c => c.Rule?.Id == "conjugate-after-respiratory-symptoms-caution" && c.Rule.Severity == Severity.Critical);
    }

    [Fact]
    public void A_conjugate_stopped_longer_ago_than_the_window_raises_no_alert_of_its_own()
    {
        var asOf = PatientBuilder.D("2026-01-15");
        var window = Kb.Thresholds.ConjugateLungToxicityWindowMonths;
        var longAgo = asOf.AddMonths(-window).AddDays(-1);
        var justInside = asOf.AddMonths(-window);
        PatientBuilder StoppedOn(DateOnly stop) => Patient().DeNovo("2023-01-10")
            .Line("2023-01-20", "2024-03-01", ["pertuzumab", "trastuzumab", "docetaxel"])
            .Line("2024-03-15", stop.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["trastuzumab-deruxtecan"])
            .Symptom(Symptoms.Dyspnoea);

        Assert.Null(Critical(Decide(StoppedOn(longAgo)), "recent-conjugate-respiratory-symptoms-assess"));
        Assert.NotNull(Critical(Decide(StoppedOn(justInside)), "recent-conjugate-respiratory-symptoms-assess"));
    }

    [Fact]
    public void Even_when_a_decision_waits_for_missing_data_the_alert_after_a_recent_conjugate_is_given()
    {
        var d = Decide(Patient().DeNovo("2024-01-10")
            .Line("2024-01-20", "2025-12-01", ["trastuzumab-emtansine"])
            .Ongoing("2025-12-15", ["tucatinib", "trastuzumab", "capecitabine"])
            .Extracranial(null)
            .Symptom(Symptoms.Cough));

        Assert.Equal(DecisionKind.DataNeeded, d.Point.Kind);
        Assert.NotNull(Critical(d, "recent-conjugate-respiratory-symptoms-assess"));
    }
}
