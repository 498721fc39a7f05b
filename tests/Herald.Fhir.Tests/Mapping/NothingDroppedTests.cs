using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>Results and medications Herald cannot place are read another sound way or said; none vanishes.</summary>
public sealed class NothingDroppedTests
{
    private static JsonObject Undated(string id, JsonObject code, string valueKey, JsonNode value)
    {
        var o = Observation(id, code, "2019-09-20", valueKey, value);
        o.Remove("effectiveDateTime");
        return o;
    }

    [Fact]
    public void An_observation_dated_only_by_effective_instant_is_read_on_that_date()
    {
        var ecog = Undated("ecog", Concept(Loinc, "89247-1"), "valueInteger", 1);
        ecog["effectiveInstant"] = "2020-05-20T10:15:00Z";
        var result = new Scenario().Add(ecog).Map();

        Assert.Equal(1, result.Patient["ecog"]!.GetValue<int>());
    }

    [Fact]
    public void An_observation_dated_only_by_issued_is_read_on_that_date()
    {
        var ecog = Undated("ecog", Concept(Loinc, "89247-1"), "valueInteger", 2);
        ecog["issued"] = "2020-05-20T10:15:00Z";
        var result = new Scenario().Add(ecog).Map();

        Assert.Equal(2, result.Patient["ecog"]!.GetValue<int>());
    }

    [Fact]
    public void An_observation_with_no_date_at_all_is_named_in_a_note()
    {
        var result = new Scenario().Add(Undated("her2", Concept(Loinc, "85319-2"), "valueString", "3+")).Map();

        Assert.Null(result.Patient["receptors"]?["her2"]);
        Assert.Contains(result.Notes, n => n.Field == "observations" && n.Text.Contains("no date") && n.Source == "Observation/her2");
    }

    private static JsonObject Report(string id, JsonObject code, string? conclusion, params JsonObject[] contained)
    {
        var report = new JsonObject
        {
            ["resourceType"] = "DiagnosticReport",
            ["id"] = id,
            ["status"] = "final",
            ["code"] = code,
            ["subject"] = PatientRef,
            ["effectiveDateTime"] = "2019-09-20",
        };
        if (conclusion is not null)
        {
            report["conclusion"] = conclusion;
        }

        if (contained.Length > 0)
        {
            report["contained"] = new JsonArray([.. contained]);
            report["result"] = new JsonArray([.. contained.Select(c => (JsonNode)new JsonObject { ["reference"] = "#" + c["id"]!.GetValue<string>() })]);
        }

        return report;
    }

    [Fact]
    public void Observations_contained_in_a_diagnostic_report_are_read_with_the_reports_subject_and_date()
    {
        var ihc = new JsonObject
        {
            ["resourceType"] = "Observation",
            ["id"] = "ihc",
            ["status"] = "final",
            ["code"] = Concept(Loinc, "85319-2"),
            ["valueString"] = "3+",
        };
        var result = new Scenario().Add(Report("path", Text("Breast biomarker report"), null, ihc)).Map();

        var her2 = result.Patient["receptors"]!["her2"]!;
        Assert.Equal("3+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("2019-09-20", her2["date"]!.GetValue<string>());
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_her2_report_with_only_a_conclusion_is_read_through_the_receptor_text_rules()
    {
        var result = new Scenario().Add(Report("fish", Text("HER2 FISH"), "Negative for HER2 gene amplification. HER2/CEP17 ratio 1.2.")).Map();

        var her2 = result.Patient["receptors"]!["her2"]!;
        Assert.Equal("not-amplified", her2["ish"]!.GetValue<string>());
        Assert.Equal(1.2m, her2["ishRatio"]!.GetValue<decimal>());
        Assert.Contains(result.Notes, n => n.Source == "DiagnosticReport/fish" && n.Text.Contains("conclusion"));
    }

    [Fact]
    public void A_her2_report_whose_conclusion_cannot_be_read_is_reported_unmapped()
    {
        var result = new Scenario().Add(Report("fish", Text("HER2 FISH"), "See scanned report")).Map();

        Assert.Null(result.Patient["receptors"]?["her2"]);
        Assert.Contains(result.Unmapped, u => u.Resource == "DiagnosticReport/fish" && u.Concept == "HER2 result");
    }

    [Fact]
    public void A_medication_named_only_by_a_brand_text_is_listed_unmapped_with_its_text_and_a_note()
    {
        var request = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "enhertu",
            ["status"] = "active",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = Text("Enhertu 5.4 mg/kg"),
            ["subject"] = PatientRef,
            ["authoredOn"] = "2020-05-01",
        };
        var result = new Scenario().Add(request).Map();

        Assert.Contains(result.Unmapped, u => u.Resource == "MedicationRequest/enhertu" && u.Display == "Enhertu 5.4 mg/kg");
        Assert.Contains(result.Notes, n => n.Source == "MedicationRequest/enhertu" && n.Text.Contains("Enhertu 5.4 mg/kg"));
    }
}
