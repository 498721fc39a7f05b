using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

public sealed class ReceptorAndObservationTests
{
    [Theory]
    [InlineData("48676-1", Loinc, "LA6576-8", "positive")]
    [InlineData("48676-1", Loinc, "LA6577-6", "negative")]
    [InlineData("85319-2", Snomed, "10828004", "positive")]
    [InlineData("85319-2", Snomed, "260385009", "negative")]
    [InlineData("72383-3", Loinc, "LA6577-6", "negative")]
    public void Her2TestCodesWithCodedAnswersGiveTheStatus(string test, string answerSystem, string answer, string status)
    {
        var result = new Scenario()
            .Add(Observation("her2", Concept(Loinc, test), "2019-09-20", "valueCodeableConcept", Concept(answerSystem, answer)))
            .Map();
        Assert.Equal(status, result.Patient["receptors"]!["her2"]!["status"]!.GetValue<string>());
        Assert.Equal("2019-09-20", result.Patient["receptors"]!["her2"]!["date"]!.GetValue<string>());
    }

    [Fact]
    public void IhcScoreAndIshOfTheSameDayAreReadTogether()
    {
        var result = new Scenario()
            .Add(Observation("ihc", Concept(Loinc, "85319-2"), "2019-09-20", "valueCodeableConcept", Text("IHC 2+")),
                Observation("ish", Concept(Loinc, "85318-4"), "2019-09-20", "valueString", "HER2 amplified"),
                Observation("ratio", Concept(Loinc, "49683-6"), "2019-09-20", "valueQuantity", Quantity(2.6m, "{ratio}")),
                Observation("old", Concept(Loinc, "48676-1"), "2016-01-05", "valueCodeableConcept", Concept(Loinc, "LA6577-6")))
            .Map();
        var her2 = result.Patient["receptors"]!["her2"]!;
        Assert.Equal("2+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("amplified", her2["ish"]!.GetValue<string>());
        Assert.Equal(2.6m, her2["ishRatio"]!.GetValue<decimal>());
        Assert.Null(her2["status"]); // the older negative interpretation is superseded by the latest test date
        Assert.Contains(result.Notes, n => n.Field == "receptors.her2" && n.Source == "Observation/ihc" && n.Text.Contains("IHC 2+"));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void IhcScoreAsAnIntegerAndSpecimenFromBodySite()
    {
        var ihc = Observation("ihc", Concept(Loinc, "85319-2"), "2019-09-20", "valueInteger", 3);
        ihc["bodySite"] = Text("Liver");
        var her2 = new Scenario().Add(ihc).Map().Patient["receptors"]!["her2"]!;
        Assert.Equal("3+", her2["ihc"]!.GetValue<string>());
        Assert.Equal("metastasis", her2["specimen"]!.GetValue<string>());
    }

    [Fact]
    public void Her2PositiveCarcinomaGivesTheStatusWhenNoTestExists()
    {
        var result = new Scenario()
            .Without("primary")
            .Add(Condition("primary", Concept(Snomed, "427685000", "HER2-positive carcinoma of breast"), "2016-01-10"))
            .Map();
        Assert.Equal("positive", result.Patient["receptors"]!["her2"]!["status"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "receptors.her2.status" && n.Source == "Condition/primary");
        Assert.Equal("2016-01-10", result.Patient["presentation"]!["initialDiagnosisDate"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("85337-4", "er")]
    [InlineData("16112-5", "er")]
    [InlineData("40556-3", "er")]
    [InlineData("85329-1", "er")]
    [InlineData("85339-0", "pr")]
    [InlineData("16113-3", "pr")]
    [InlineData("40557-1", "pr")]
    [InlineData("85325-9", "pr")]
    public void HormoneReceptorCodes(string code, string field)
    {
        var positive = new Scenario().Add(Observation("r", Concept(Loinc, code), "2019-09-20", "valueCodeableConcept", Concept(Snomed, "10828004"))).Map();
        Assert.Equal("positive", positive.Patient["receptors"]![field]!.GetValue<string>());
        var byText = new Scenario().Add(Observation("r", Concept(Loinc, code), "2019-09-20", "valueString", "Negative (<1%)")).Map();
        Assert.Equal("negative", byText.Patient["receptors"]![field]!.GetValue<string>());
    }

    [Fact]
    public void UnknownAnswerCodeIsUnmappedNotDropped()
    {
        var result = new Scenario()
            .Add(Observation("er", Concept(Loinc, "85337-4"), "2019-09-20", "valueCodeableConcept", Concept(Snomed, "1234567", "Weakly staining")))
            .Map();
        Assert.Null(result.Patient["receptors"]?["er"]);
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal(("Observation/er", "ER result", "1234567"), (unmapped.Resource, unmapped.Concept, unmapped.Code));
    }

    [Fact]
    public void LatestValidObservationWinsAndEnteredInErrorOrFutureOnesAreSkipped()
    {
        var result = new Scenario()
            .Add(Observation("ecog-old", Concept(Loinc, "89247-1"), "2019-09-01", "valueInteger", 2),
                Observation("ecog", Concept(Loinc, "89247-1"), "2020-05-01", "valueInteger", 1),
                Observation("ecog-error", Concept(Loinc, "89247-1"), "2020-05-20", "valueInteger", 3, status: "entered-in-error"),
                Observation("ecog-future", Concept(Loinc, "89247-1"), "2020-07-01", "valueInteger", 4))
            .Map();
        Assert.Equal(1, result.Patient["ecog"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("valueQuantity", 1, 1)]
    [InlineData("valueCodeableConcept", 0, 0)]
    public void EcogAsQuantityOrVerifiedAnswerCode(string key, int raw, int expected)
    {
        JsonNode value = key == "valueQuantity" ? Quantity(raw, "{score}") : Concept(Loinc, "LA9622-7");
        var result = new Scenario().Add(Observation("ecog", Concept(Loinc, "89247-1"), "2020-05-01", key, value)).Map();
        Assert.Equal(expected, result.Patient["ecog"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("10230-1")]
    [InlineData("18043-0")]
    [InlineData("8811-2")]
    [InlineData("8810-4")]
    [InlineData("8808-8")]
    public void LvefCodesWithBaselineBeforeTheFirstHer2Drug(string code)
    {
        var result = new Scenario()
            .Add(Observation("lvef-baseline", Concept(Loinc, code), "2016-02-20", "valueQuantity", Quantity(64, "%")),
                Observation("lvef-now", Concept(Loinc, code), "2020-04-01", "valueQuantity", Quantity(55.4m, "%")))
            .Map();
        var lvef = result.Patient["lvef"]!;
        Assert.Equal(55, lvef["percent"]!.GetValue<int>());
        Assert.Equal("2020-04-01", lvef["date"]!.GetValue<string>());
        Assert.Equal(64, lvef["baselinePercent"]!.GetValue<int>());
        Assert.Equal("2016-02-20", lvef["baselineDate"]!.GetValue<string>());
    }

    [Fact]
    public void LvefOutOfRangeIsUnmapped()
    {
        var result = new Scenario().Add(Observation("lvef", Concept(Loinc, "10230-1"), "2020-04-01", "valueQuantity", Quantity(0.55m, "1"))).Map();
        Assert.Null(result.Patient["lvef"]);
        Assert.Contains(result.Unmapped, u => u.Concept == "LVEF" && u.Resource == "Observation/lvef");
    }

    [Theory]
    [InlineData("271299001", "progressing")]
    [InlineData("359746009", "stable")]
    [InlineData("268910001", "responding")]
    [InlineData("551001000124108", "responding")]
    public void CancerDiseaseStatusGivesTheExtracranialStatus(string answer, string expected)
    {
        var result = new Scenario()
            .Add(Observation("status", Concept(Loinc, "97509-4"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, answer)))
            .Map();
        Assert.Equal(expected, result.Patient["disease"]!["extracranialStatus"]!.GetValue<string>());
    }

    // US Core pregnancy status: LOINC 82810-3, answer SNOMED CT 77386006 "Pregnant" (codes.md).
    [Theory]
    [InlineData("http://snomed.info/sct", "77386006", "pregnant")]
    [InlineData("http://snomed.info/sct", "60001007", "not-pregnant")]
    [InlineData("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown")]
    public void PregnancyStatusObservationGivesThePregnancyStatus(string system, string answer, string expected)
    {
        var result = new Scenario()
            .Add(Observation("pregnancy", Concept(Loinc, "82810-3"), "2020-05-20", "valueCodeableConcept", Concept(system, answer)))
            .Map();
        Assert.Equal(expected, result.Patient["pregnancy"]!.GetValue<string>());
    }

    [Fact]
    public void AnUnreadablePregnancyStatusIsUnmappedNotDropped()
    {
        var result = new Scenario()
            .Add(Observation("pregnancy", Concept(Loinc, "82810-3"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, "123456789", "Something else")))
            .Map();
        Assert.Null(result.Patient["pregnancy"]);
        Assert.Contains(result.Unmapped, u => u.Concept == "pregnancy status" && u.Resource == "Observation/pregnancy");
    }

    [Fact]
    public void UnknownDiseaseStatusAnswerIsUnmapped()
    {
        var result = new Scenario()
            .Add(Observation("status", Concept(Loinc, "97509-4"), "2020-05-01", "valueCodeableConcept", Concept(Snomed, "399409002", "Distant metastasis present")))
            .Map();
        Assert.Null(result.Patient["disease"]!["extracranialStatus"]);
        Assert.Contains(result.Unmapped, u => u.Concept == "cancer disease status" && u.Code == "399409002");
    }
}
