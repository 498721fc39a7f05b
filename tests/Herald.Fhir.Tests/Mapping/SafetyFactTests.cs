using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>Facts the safety rules and the 12-month rule depend on, read from records however they are written.</summary>
public sealed class SafetyFactTests
{
    [Theory]
    [InlineData("I50.32")]
    [InlineData("I50.9")]
    public void Heart_failure_coded_in_icd_10_cm_is_read_as_heart_failure(string code)
    {
        var result = new Scenario().Add(Condition("hf", Concept(Icd10, code, "Chronic diastolic heart failure"), "2018-01-01")).Map();

        Assert.Equal(["heart-failure"], result.Patient["comorbidities"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void A_safety_relevant_disease_named_only_in_words_is_read_and_the_reading_noted()
    {
        var result = new Scenario().Add(Condition("ild", Text("Drug-induced interstitial lung disease"), "2019-11-01")).Map();

        Assert.Equal(["interstitial-lung-disease"], result.Patient["comorbidities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(result.Patient["otherComorbidities"]);
        Assert.Contains(result.Notes, n => n.Field == "comorbidities" && n.Source == "Condition/ild");
    }

    [Fact]
    public void Adjuvant_trastuzumab_completion_is_its_last_record_even_when_endocrine_therapy_goes_on()
    {
        var letrozole = Administration("letrozole", Rx("72965", "letrozole"), "2016-12-01", "2019-08-01");
        var result = new Scenario().Add(letrozole).Map();

        Assert.Equal("2017-03-01", result.Patient["earlyDisease"]!["trastuzumabCompleted"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "earlyDisease.trastuzumabCompleted" && n.Source == "MedicationAdministration/adj-trastuzumab");
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void The_drug_stopped_for_toxicity_is_the_causative_agent_of_a_line_that_stopped_for_toxicity()
    {
        var toxicity = Concept(Snomed, "407563006", "Treatment not tolerated");
        var result = new Scenario()
            .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
            .Add(Administration("tuc", Rx("2361285", "tucatinib"), "2019-10-01", "2019-12-01", status: "stopped", statusReason: toxicity),
                 Administration("cap", Rx("194000", "capecitabine"), "2019-10-01", "2019-12-01", status: "stopped"),
                 Administration("tra", Rx("224905", "trastuzumab"), "2019-10-01", "2019-12-01", status: "stopped"))
            .Map();

        var line = result.Patient["metastaticRegimens"]![0]!;
        Assert.Equal("toxicity", line["stopReason"]!.GetValue<string>());
        Assert.Equal(["tucatinib"], line["causativeAgents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_disease_status_about_leptomeningeal_disease_is_not_the_status_of_the_disease_outside_the_brain()
    {
        var status = Observation("lm-status", Concept(Loinc, "97509-4"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, "271299001"));
        status["focus"] = new JsonArray(new JsonObject { ["reference"] = $"urn:uuid:{Uuid("lm")}" });
        var result = new Scenario().Add(Condition("lm", Concept(Icd10, "C79.32"), "2020-04-01"), status).Map();

        Assert.True(result.Patient["disease"]!["leptomeningeal"]!.GetValue<bool>());
        Assert.Null(result.Patient["disease"]!["extracranialStatus"]);
    }

    [Fact]
    public void Equivocal_on_an_ihc_result_is_the_ihc_category_not_an_ish_finding()
    {
        var result = new Scenario()
            .Add(Observation("ihc", Concept(Loinc, "85319-2"), "2019-09-20", "valueString", "2+ (equivocal)"),
                 Observation("fish", Concept(Loinc, "85318-4"), "2019-09-18", "valueString", "amplified, ratio 2.4"))
            .Map();

        var her2 = result.Patient["receptors"]!["her2"]!;
        Assert.Equal("2+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("amplified", her2["ish"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("E11.9", "Type 2 diabetes mellitus without complications", "diabetes")]
    [InlineData("I25.10", "Atherosclerotic heart disease of native coronary artery", "coronary-disease")]
    public void Diabetes_and_coronary_disease_coded_in_icd_10_cm_are_comorbidities_not_free_text(string code, string display, string expected)
    {
        var result = new Scenario().Add(Condition("c", Concept(Icd10, code, display), "2015-01-01")).Map();

        Assert.Equal([expected], result.Patient["comorbidities"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Null(result.Patient["otherComorbidities"]);
    }

    [Theory]
    [InlineData("1 - Restricted in physically strenuous activity, ambulatory", 1)]
    [InlineData("ECOG 2", 2)]
    [InlineData("0", 0)]
    public void Ecog_written_as_text_with_its_grade_first_is_read(string text, int expected)
    {
        var result = new Scenario().Add(Observation("ecog", Concept(Loinc, "89247-1"), "2020-05-01", "valueString", text)).Map();

        Assert.Equal(expected, result.Patient["ecog"]!.GetValue<int>());
    }

    [Fact]
    public void Adjuvant_endocrine_therapy_is_an_early_regimen_of_its_own_so_the_her2_therapy_keeps_its_end()
    {
        var result = new Scenario()
            .Add(Administration("letrozole", Rx("72965", "letrozole"), "2016-06-01", "2019-08-01"))
            .Map();

        var regimens = result.Patient["earlyDisease"]!["regimens"]!.AsArray();
        Assert.Contains(regimens, r => r!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).SequenceEqual(["trastuzumab"]) && r["stop"]!.GetValue<string>() == "2017-03-01");
        Assert.Contains(regimens, r => r!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).SequenceEqual(["letrozole"]));
    }

    [Fact]
    public void A_line_whose_last_dose_is_followed_by_progression_has_stopped_for_progression()
    {
        var progressed = Observation("ds", Concept(Loinc, "97509-4"), "2020-05-20", "valueCodeableConcept", Concept(Snomed, "271299001"));
        var result = new Scenario()
            .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
            .Add(Administration("tdm1-a", Rx("1371041", "T-DM1"), "2020-03-01", "2020-03-01"),
                 Administration("tdm1-b", Rx("1371041", "T-DM1"), "2020-05-01", "2020-05-01"),
                 progressed)
            .Map(asOf: "2020-06-01");

        var line = result.Patient["metastaticRegimens"]![0]!;
        Assert.Equal("2020-05-01", line["stop"]!.GetValue<string>());
        Assert.Equal("progression", line["stopReason"]!.GetValue<string>());
    }
}
