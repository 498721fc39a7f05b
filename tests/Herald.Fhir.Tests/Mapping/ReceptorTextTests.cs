using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>HER2, ER and PR results as EHRs send them: other codes, text only, sentences, panels; never dropped silently.</summary>
public sealed class ReceptorTextTests
{
    private static JsonNode? Her2(FhirMappingResult result) => result.Patient["receptors"]?["her2"];

    [Fact]
    public void Her2_ihc_under_loinc_18474_7_with_the_value_3_plus_as_text_is_ihc_3_plus()
    {
        var result = new Scenario()
            .Add(Observation("ihc", Concept(Loinc, "18474-7", "HER2 Ag [Presence] in Tissue by Immune stain"), "2019-09-20", "valueString", "3+ (positive)"))
            .Map();

        Assert.Equal("3+", Her2(result)!["ihc"]!.GetValue<string>());
        Assert.Empty(result.Unmapped);
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void A_her2_result_known_only_by_its_name_is_read_and_the_reading_is_noted()
    {
        var result = new Scenario()
            .Add(Observation("her2-text", Text("HER2/neu (IHC)"), "2019-09-20", "valueString", "2+"),
                 Observation("fish-text", Text("HER2 FISH"), "2019-09-24", "valueString", "Amplified, HER2/CEP17 ratio 2.4, average copy number 6.1"))
            .Map();

        var her2 = Her2(result)!;
        Assert.Equal("2+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("amplified", her2["ish"]!.GetValue<string>());
        Assert.Equal(2.4m, her2["ishRatio"]!.GetValue<decimal>());
        Assert.Equal(6.1m, her2["ishCopyNumber"]!.GetValue<decimal>());
        Assert.Equal("2019-09-24", her2["date"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Source == "Observation/her2-text" && n.Text.Contains("read as a HER2 IHC test by its name"));
        Assert.Contains(result.Notes, n => n.Field == "receptors.her2" && n.Text.Contains("one work-up"));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void Ihc_2_plus_with_an_ish_result_coded_positive_is_ish_amplified_not_a_bare_status()
    {
        var result = new Scenario()
            .Add(Observation("ihc", Concept(Loinc, "85319-2"), "2019-09-20", "valueString", "2+"),
                 Observation("ish", Concept(Loinc, "85318-4"), "2019-09-20", "valueCodeableConcept", Concept(Snomed, "10828004", "Positive")))
            .Map();

        var her2 = Her2(result)!;
        Assert.Equal("2+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("amplified", her2["ish"]!.GetValue<string>());
        Assert.Null(her2["status"]);
    }

    [Fact]
    public void The_digit_of_the_name_her2_is_never_read_as_an_ihc_score()
    {
        var result = new Scenario()
            .Add(Observation("status", Concept(Loinc, "48676-1"), "2019-09-20", "valueString", "HER2+ (positive)"))
            .Map();

        var her2 = Her2(result)!;
        Assert.Null(her2["ihc"]);
        Assert.Equal("positive", her2["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_ratio_alone_is_kept_for_reference_and_reported_as_a_result_without_an_interpretation()
    {
        var result = new Scenario()
            .Add(Observation("ratio", Concept(Loinc, "49683-6"), "2019-09-20", "valueQuantity", Quantity(2.4m, "{ratio}")))
            .Map();

        Assert.Equal(2.4m, Her2(result)!["ishRatio"]!.GetValue<decimal>());
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal(("HER2 result", "Observation/ratio"), (unmapped.Concept, unmapped.Resource));
        Assert.Contains("without an interpretation", unmapped.Display);
    }

    [Fact]
    public void A_her2_result_that_cannot_be_read_is_reported_with_its_text()
    {
        var result = new Scenario()
            .Add(Observation("her2", Concept(Loinc, "48676-1"), "2019-09-20", "valueString", "see scanned pathology report"))
            .Map();

        Assert.Null(result.Patient["receptors"]?["her2"]);
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal(("HER2 result", "see scanned pathology report"), (unmapped.Concept, unmapped.Display));
    }

    [Fact]
    public void Receptor_results_in_the_components_of_a_pathology_panel_are_read()
    {
        var panel = Observation("panel", Text("Breast cancer biomarker panel"), "2019-09-20", "valueString", "see components");
        panel.Remove("valueString");
        panel["component"] = new JsonArray(
            new JsonObject { ["code"] = Concept(Loinc, "85319-2"), ["valueString"] = "3+" },
            new JsonObject { ["code"] = Text("Estrogen receptor"), ["valueString"] = "Positive (90%)" },
            new JsonObject { ["code"] = Concept(Loinc, "85339-0"), ["valueCodeableConcept"] = Concept(Loinc, "LA6577-6", "Negative") });

        var result = new Scenario().Add(panel).Map();

        Assert.Equal("3+", Her2(result)!["ihc"]!.GetValue<string>());
        Assert.Equal("positive", result.Patient["receptors"]!["er"]!.GetValue<string>());
        Assert.Equal("negative", result.Patient["receptors"]!["pr"]!.GetValue<string>());
    }

    [Fact]
    public void An_er_result_given_as_a_percentage_is_not_interpreted_but_reported()
    {
        var result = new Scenario()
            .Add(Observation("er", Concept(Loinc, "85337-4"), "2019-09-20", "valueQuantity", Quantity(80, "%")))
            .Map();

        Assert.Null(result.Patient["receptors"]?["er"]);
        Assert.Contains(result.Unmapped, u => u.Concept == "ER result" && u.Display == "80 %");
    }

    [Fact]
    public void A_positive_interpretation_code_on_a_her2_result_is_read_when_the_value_says_nothing()
    {
        var her2 = Observation("her2", Concept(Loinc, "48676-1"), "2019-09-20", "valueString", "see report");
        her2["interpretation"] = new JsonArray(Concept("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "POS"));

        var result = new Scenario().Add(her2).Map();

        Assert.Equal("positive", Her2(result)!["status"]!.GetValue<string>());
    }
}
