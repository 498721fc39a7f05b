using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>An old finding does not settle a question a newer record has reopened, nor stands for today.</summary>
public sealed class RecencyTests
{
    private static JsonObject BrainStatus(string id, string date, string focus, string snomed)
    {
        var status = Observation(id, Concept(Loinc, "97509-4"), date, "valueCodeableConcept", Concept(Snomed, snomed));
        status["focus"] = new JsonArray(new JsonObject { ["reference"] = $"urn:uuid:{Uuid(focus)}" });
        return status;
    }

    [Fact]
    public void Treated_brain_lesions_stable_in_2023_and_a_new_brain_metastasis_ten_days_ago_read_as_new()
    {
        // 359746009: Patient's condition stable (mCODE ConditionStatusTrendVS).
        var result = new Scenario()
            .Add(Condition("brain-old", Concept(Snomed, "94225005", "Secondary malignant neoplasm of brain"), "2022-11-01"),
                 BrainStatus("brain-stable", "2023-06-01", "brain-old", "359746009"),
                 Condition("brain-new", Concept(Snomed, "94225005", "Secondary malignant neoplasm of brain"), "2024-05-22"))
            .Map(asOf: "2024-06-01");

        Assert.Equal("new", result.Patient["disease"]!["brain"]!["status"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "disease.brain.status" && n.Source == "Observation/brain-stable" && n.Text.Contains("predates"));
        Assert.Contains(result.Inferences, n => n.Field == "disease.brain.status" && n.Source == "Condition/brain-new");
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_brain_status_assessed_after_the_latest_brain_metastasis_still_settles_the_brain_status()
    {
        var result = new Scenario()
            .Add(Condition("brain-old", Concept(Snomed, "94225005"), "2022-11-01"),
                 Condition("brain-new", Concept(Snomed, "94225005"), "2024-05-22"),
                 BrainStatus("brain-stable", "2024-05-30", "brain-new", "359746009"))
            .Map(asOf: "2024-06-01");

        Assert.Equal("stable", result.Patient["disease"]!["brain"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_old_brain_status_before_a_brain_metastasis_recorded_long_ago_leaves_the_status_unknown()
    {
        var result = new Scenario()
            .Add(Condition("brain-old", Concept(Snomed, "94225005"), "2022-11-01"),
                 BrainStatus("brain-stable", "2022-06-01", "brain-old", "359746009"),
                 Condition("brain-new", Concept(Snomed, "94225005"), "2023-05-22"))
            .Map(asOf: "2024-06-01");

        Assert.Null(result.Patient["disease"]!["brain"]!["status"]);
        Assert.Contains(result.Notes, n => n.Field == "disease.brain.status" && n.Text.Contains("left unknown"));
    }
}

/// <summary>Pregnancy status and ECOG older than Herald's reading windows are unknown, with a note naming the last one.</summary>
public sealed class StatusAgeTests
{
    private static JsonObject Pregnancy(string date, string snomed) =>
        Observation("pregnancy", Concept(Loinc, "82810-3"), date, "valueCodeableConcept", Concept(Snomed, snomed));

    [Fact]
    public void A_not_pregnant_status_older_than_the_window_reads_as_unknown_with_a_note_naming_it()
    {
        var days = (int)Kb.Parameter("record-pregnancy-status-max-age-days").Value;
        var date = D("2020-06-01").AddDays(-(days + 1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var result = new Scenario().Add(Pregnancy(date, "60001007")).Map(asOf: "2020-06-01");

        Assert.Null(result.Patient["pregnancy"]);
        Assert.Contains(result.Notes, n => n.Field == "pregnancy" && n.Source == "Observation/pregnancy" && n.Text.Contains(date) && n.Text.Contains("not-pregnant"));
    }

    [Fact]
    public void A_recent_not_pregnant_status_is_read()
    {
        var result = new Scenario().Add(Pregnancy("2020-05-25", "60001007")).Map(asOf: "2020-06-01");

        Assert.Equal("not-pregnant", result.Patient["pregnancy"]!.GetValue<string>());
    }

    [Fact]
    public void An_old_pregnant_status_is_kept_because_a_pregnancy_is_not_assumed_to_have_ended()
    {
        var result = new Scenario().Add(Pregnancy("2019-06-01", "77386006")).Map(asOf: "2020-06-01");

        Assert.Equal("pregnant", result.Patient["pregnancy"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "pregnancy" && n.Text.Contains("kept"));
    }

    [Fact]
    public void An_ecog_older_than_the_window_reads_as_unknown_with_a_note_naming_it()
    {
        var days = (int)Kb.Parameter("record-performance-status-max-age-days").Value;
        var date = D("2020-06-01").AddDays(-(days + 1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var result = new Scenario().Add(Observation("ecog", Concept(Loinc, "89247-1"), date, "valueInteger", 1)).Map(asOf: "2020-06-01");

        Assert.Null(result.Patient["ecog"]);
        Assert.Contains(result.Notes, n => n.Field == "ecog" && n.Source == "Observation/ecog" && n.Text.Contains("ECOG 1") && n.Text.Contains(date));
    }

    [Fact]
    public void A_recent_ecog_is_read()
    {
        var result = new Scenario().Add(Observation("ecog", Concept(Loinc, "89247-1"), "2020-05-01", "valueInteger", 1)).Map(asOf: "2020-06-01");

        Assert.Equal(1, result.Patient["ecog"]!.GetValue<int>());
    }

    [Fact]
    public void A_karnofsky_score_is_not_converted_but_reported_as_ecog_needed()
    {
        var result = new Scenario().Add(Observation("kps", Concept(Loinc, "89243-0"), "2020-05-01", "valueInteger", 80)).Map(asOf: "2020-06-01");

        Assert.Null(result.Patient["ecog"]);
        Assert.Contains(result.Unmapped, u => u.Resource == "Observation/kps" && u.Concept == "Karnofsky recorded, ECOG needed");
        Assert.Contains(result.Notes, n => n.Field == "ecog" && n.Source == "Observation/kps");
    }
}
