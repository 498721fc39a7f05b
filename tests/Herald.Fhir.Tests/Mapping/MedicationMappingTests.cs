using System.Text.Json.Nodes;
using Herald.Fhir.Lines;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

public sealed class MedicationMappingTests
{
    private static string[] Agents(JsonNode? regimen) => regimen!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).Order().ToArray();

    [Fact]
    public void SyntheaShapedTransactionBundle()
    {
        var result = Map(File.ReadAllText(BundleFile("synthea-shaped-transaction.json")), "2019-06-01");
        var patient = result.Patient;
        Assert.Equal("8f1c3a52-5a9d-4b53-9d7e-000000000001", patient["id"]!.GetValue<string>());
        Assert.Equal(58, patient["age"]!.GetValue<int>());
        Assert.Equal("positive", patient["receptors"]!["her2"]!["status"]!.GetValue<string>());
        Assert.Equal(2.4m, patient["receptors"]!["her2"]!["ishRatio"]!.GetValue<decimal>());
        Assert.Equal("positive", patient["receptors"]!["er"]!.GetValue<string>());
        Assert.Equal("negative", patient["receptors"]!["pr"]!.GetValue<string>());
        Assert.Equal(["bone"], patient["disease"]!["sites"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(["interstitial-lung-disease"], patient["comorbidities"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(patient["otherComorbidities"]); // "Full-time employment (finding)" is not a disease

        // Herceptin (brand) before the metastases: early, after the lumpectomy → adjuvant.
        var early = Assert.Single(patient["earlyDisease"]!["regimens"]!.AsArray());
        Assert.Equal(("adjuvant", "2014-07-01"), (early!["setting"]!.GetValue<string>(), early["start"]!.GetValue<string>()));
        Assert.Equal(["trastuzumab"], Agents(early));
        Assert.Equal("recurrence", patient["presentation"]!["type"]!.GetValue<string>());

        // Kadcyla (brand) after: line 1, ongoing.
        var line = Assert.Single(patient["metastaticRegimens"]!.AsArray());
        Assert.Equal(["trastuzumab-emtansine"], Agents(line));
        Assert.Null(line!["stop"]);
        Assert.Contains(result.Notes, n => n.Source!.EndsWith("000000000042", StringComparison.Ordinal) && n.Text.Contains("1371046"));

        // Only the plausibly anticancer unknown drug is unmapped; zoledronic acid and acetaminophen are not.
        var unmapped = Assert.Single(result.Unmapped);
        Assert.Equal(("anticancer drug", "999999"), (unmapped.Concept, unmapped.Code));
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void CurativeIntentMarksEarlyTreatmentAndStatusReasonGivesTheStopReason()
    {
        var progression = Concept(Snomed, "266721009", "No response to treatment (situation)");
        var result = new Scenario()
            .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
            .Add(Administration("tdm1", Rx("1371041", "ado-trastuzumab emtansine"), "2019-10-07", "2020-04-01", status: "stopped",
                    intent: "363676003", statusReason: progression),
                Administration("cape", Rx("194000", "capecitabine"), "2020-04-20", null, status: "in-progress"))
            .Map();
        var lines = result.Patient["metastaticRegimens"]!.AsArray();
        Assert.Equal(2, lines.Count);
        Assert.Equal(["trastuzumab-emtansine"], Agents(lines[0]));
        Assert.Equal("progression", lines[0]!["stopReason"]!.GetValue<string>());
        Assert.Equal(2, result.Lines.Count);
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Theory]
    [InlineData("407563006", "toxicity")]
    [InlineData("105480006", "patient-decision")]
    [InlineData("182992009", "completed")]
    [InlineData("309846006", "other")]
    public void TerminationReasonCodes(string code, string reason)
    {
        var result = new Scenario()
            .Without("line1-trastuzumab").Without("line1-pertuzumab").Without("line1-docetaxel")
            .Add(Administration("tdm1", Rx("1371041", "ado-trastuzumab emtansine"), "2019-10-07", "2020-04-01", status: "stopped",
                statusReason: Concept(Snomed, code)))
            .Map();
        Assert.Equal(reason, result.Patient["metastaticRegimens"]![0]!["stopReason"]!.GetValue<string>());
    }

    [Fact]
    public void UnknownStopReasonAndIntentCodesAreUnmapped()
    {
        var record = Administration("tdm1", Rx("1371041", "ado-trastuzumab emtansine"), "2019-10-07", "2020-04-01", status: "stopped",
            intent: "1234", statusReason: Concept(Snomed, "5555", "Odd reason"));
        var result = new Scenario().Add(record).Map();
        Assert.Contains(result.Unmapped, u => u.Concept == "stop reason" && u.Code == "5555");
        Assert.Contains(result.Unmapped, u => u.Concept == "treatment intent" && u.Code == "1234");
    }

    [Fact]
    public void CuratiVeIntentAfterTheMetastaticDiagnosisIsEarlyDisease()
    {
        var result = new Scenario()
            .Without("adj-trastuzumab")
            .Add(Administration("adj", Rx("224905", "trastuzumab"), "2016-03-01", "2017-03-01", intent: "373808002"))
            .Map();
        Assert.Equal("recurrence", result.Patient["presentation"]!["type"]!.GetValue<string>());
        Assert.NotNull(result.Patient["earlyDisease"]);
    }

    [Fact]
    public void NoSurgeryGivesAdjuvantWithANote()
    {
        var result = new Scenario().Map();
        Assert.Equal("adjuvant", result.Patient["earlyDisease"]!["regimens"]![0]!["setting"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "earlyDisease.regimens" && n.Text.Contains("No breast surgery"));
    }

    [Fact]
    public void SurgeryAfterTheRegimenMakesItNeoadjuvant()
    {
        var surgery = new JsonObject
        {
            ["resourceType"] = "Procedure", ["id"] = "surgery", ["status"] = "completed",
            ["code"] = Text("Left modified radical mastectomy"), ["subject"] = PatientRef, ["performedDateTime"] = "2017-04-01",
        };
        var result = new Scenario().Add(surgery).Map();
        Assert.Equal("neoadjuvant", result.Patient["earlyDisease"]!["regimens"]![0]!["setting"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Source == "Procedure/surgery");
    }

    [Fact]
    public void MedicationByContainedOrBundledReferenceAndRequestDates()
    {
        var contained = new JsonObject
        {
            ["resourceType"] = "MedicationRequest", ["id"] = "req", ["status"] = "active", ["intent"] = "order",
            ["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Medication", ["id"] = "m", ["code"] = Rx("1298949", "Perjeta") }),
            ["medicationReference"] = new JsonObject { ["reference"] = "#m" },
            ["subject"] = PatientRef, ["authoredOn"] = "2019-09-25",
            ["dispenseRequest"] = new JsonObject { ["validityPeriod"] = new JsonObject { ["start"] = "2019-10-01" } },
        };
        var medication = new JsonObject
        {
            ["resourceType"] = "Medication", ["id"] = "med-t",
            ["ingredient"] = new JsonArray(new JsonObject { ["itemCodeableConcept"] = Rx("224905", "trastuzumab") }),
        };
        var byUuid = new JsonObject
        {
            ["resourceType"] = "MedicationStatement", ["id"] = "stmt", ["status"] = "active",
            ["medicationReference"] = new JsonObject { ["reference"] = $"urn:uuid:{Uuid("med-t")}" },
            ["subject"] = PatientRef, ["effectivePeriod"] = new JsonObject { ["start"] = "2019-10-01" },
        };
        var result = new Scenario().Without("line1-trastuzumab").Without("line1-pertuzumab").Add(contained, medication, byUuid).Map();
        var line = Assert.Single(result.Patient["metastaticRegimens"]!.AsArray());
        Assert.Equal(["docetaxel", "pertuzumab", "trastuzumab"], Agents(line));
        Assert.Equal("2019-10-01", line!["start"]!.GetValue<string>());
    }

    [Fact]
    public void CancelledAndEnteredInErrorRecordsAreNotTreatment()
    {
        var result = new Scenario()
            .Add(Administration("x", Rx("2267582", "fam-trastuzumab deruxtecan"), "2020-01-01", "2020-02-01", status: "not-done"))
            .Map();
        Assert.DoesNotContain("trastuzumab-deruxtecan", result.Patient["metastaticRegimens"]!.AsArray().SelectMany(Agents));
        Assert.Contains(result.Notes, n => n.Source == "MedicationAdministration/x");
    }

    [Fact]
    public void AllergiesToAgentsAndGroups()
    {
        JsonObject Allergy(string id, JsonObject code) => new()
        {
            ["resourceType"] = "AllergyIntolerance", ["id"] = id, ["code"] = code, ["patient"] = PatientRef, ["criticality"] = "high",
            ["reaction"] = new JsonArray(new JsonObject { ["manifestation"] = new JsonArray(Text("Anaphylaxis")) }),
        };
        var result = new Scenario()
            .Add(Allergy("a1", Rx("56946", "paclitaxel")), Allergy("a2", Text("Taxanes")), Allergy("a3", Text("Peanut")))
            .Map();
        var allergies = result.Patient["allergies"]!.AsArray();
        Assert.Equal(["paclitaxel", "taxane"], allergies.Select(a => a!["substance"]!.GetValue<string>()));
        Assert.Equal("Anaphylaxis", allergies[0]!["reaction"]!.GetValue<string>());
        Assert.True(ReadNative(result).IsValid, ReadNative(result).Describe());
    }

    [Fact]
    public void MappingReportSerializesCamelCase()
    {
        var json = FhirMappingJson.Serialize(new Scenario().Add(Observation("er", Concept(Loinc, "85337-4"), "2019-09-20", "valueCodeableConcept", Concept(Snomed, "1"))).Map());
        var node = JsonNode.Parse(json)!;
        Assert.Equal(1, node["lines"]![0]!["number"]!.GetValue<int>());
        Assert.Equal("ER result", node["unmapped"]![0]!["concept"]!.GetValue<string>());
        Assert.NotNull(node["notes"]);
        Assert.NotNull(node["problems"]);
    }
}
