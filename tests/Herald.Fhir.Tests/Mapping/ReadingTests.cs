using System.Text.Json;
using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>Reading FHIR JSON: faults with paths, never an exception; unknown types ignored; patient filtering.</summary>
public sealed class ReadingTests
{
    [Theory]
    [InlineData("""[1]""", "resource", "expected a FHIR resource")]
    [InlineData("""{"id":"x"}""", "resource.resourceType", "is missing")]
    [InlineData("""{"resourceType":"Bundle","entry":{}}""", "entry", "expected an array")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","id":"abc","valueQuantity":{"value":"high"}}}]}""",
        "entry[0].resource(Observation/abc).valueQuantity.value", "expected a number")]
    [InlineData("""{"resourceType":"Bundle","entry":[{},{"resource":{"resourceType":"Condition","id":"c","code":"C50"}}]}""",
        "entry[1].resource(Condition/c).code", "expected an object")]
    [InlineData("""{"resourceType":"Condition","id":"c","subject":{"reference":"Patient/p"},"onsetDateTime":"2020-02-30"}""", "resource(Condition/c).onsetDateTime", "not a FHIR date")]
    [InlineData("""{"resourceType":"Observation","id":"o","component":{}}""", "resource(Observation/o).component", "expected an array")]
    [InlineData("""{"resourceType":"Patient","id":"p","birthDate":19700101}""", "resource(Patient/p).birthDate", "expected a string")]
    [InlineData("""{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","id":"n","valueInteger":1.5}}]}}]}""",
        "entry[0].resource.entry[0].resource(Observation/n).valueInteger", "expected an integer")]
    public void MalformedFhirGivesAnErrorWithItsPath(string json, string path, string message)
    {
        var result = FhirResourceSet.Parse(json);
        var error = Assert.Single(result.Errors);
        Assert.Equal(path, error.Path);
        Assert.True(error.Message.Contains(message), error.Message);
    }

    [Fact]
    public void NotJsonAtAll()
    {
        var error = Assert.Single(FhirResourceSet.Parse("{ not json").Errors);
        Assert.Equal("$", error.Path);
    }

    [Fact]
    public void AFaultyResourceIsLeftOutAndTheRestKept()
    {
        var json = Bundle(Patient(), Observation("bad", Concept(Loinc, "89247-1"), "2020-01-01", "valueInteger", "one"),
            Observation("good", Concept(Loinc, "89247-1"), "2020-01-01", "valueInteger", 1));
        var read = FhirResourceSet.Parse(json);
        Assert.Equal("entry[1].resource(Observation/bad).valueInteger", Assert.Single(read.Errors).Path);
        Assert.Equal(2, read.Resources.Count);
    }

    [Fact]
    public void UnknownResourceTypesAndExtensionsAreIgnored()
    {
        var condition = Condition("c", Concept(Snomed, "84114007"), "2020-01-01");
        condition["extension"] = new JsonArray(new JsonObject { ["url"] = "http://example.org/unknown", ["valueBoolean"] = true });
        var json = Bundle(Patient(), new JsonObject { ["resourceType"] = "Encounter", ["id"] = "e", ["status"] = 5 }, condition);
        var read = FhirResourceSet.Parse(json);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        Assert.Equal(2, read.Resources.Count);
    }

    [Fact]
    public void PrefetchErrorsNameTheKeyAndNullValuesAreSkipped()
    {
        var set = new FhirResourceSet();
        var errors = set.AddPrefetch(new Dictionary<string, JsonElement>
        {
            ["patient"] = Element("""{"resourceType":"Patient","id":"p1"}"""),
            ["conditions"] = Element("null"),
            ["observations"] = Element("""{"resourceType":"Bundle","type":"searchset","entry":[{"resource":{"resourceType":"Observation","id":"o","status":7}}]}"""),
        });
        Assert.Equal("prefetch.observations.entry[0].resource(Observation/o).status", Assert.Single(errors).Path);
        Assert.Single(set.Errors);
    }

    [Fact]
    public void PatientIdSelectsThatPatientsResources()
    {
        static JsonObject Other() => new() { ["reference"] = "Patient/p2" };
        var json = Bundle(
            Patient("p1"), Patient("p2", birthDate: "1950-01-01", gender: "male"),
            Condition("primary", Concept(Snomed, "254837009"), "2016-01-10"),
            Condition("liver", Concept(Snomed, "94381002"), "2019-09-16"),
            Condition("p2-ild", Concept(Snomed, "233703007"), "2019-01-01", subject: Other()),
            Condition("p2-lung", Concept(Snomed, "94391008"), "2018-01-01", subject: Other()));

        var p1 = Map(json, "2020-06-01", "p1");
        Assert.Equal(("p1", "female"), (p1.Patient["id"]!.GetValue<string>(), p1.Patient["sex"]!.GetValue<string>()));
        Assert.Null(p1.Patient["comorbidities"]);
        Assert.Equal(["liver"], p1.Patient["disease"]!["sites"]!.AsArray().Select(s => s!.GetValue<string>()));

        var p2 = Map(json, "2020-06-01", "p2");
        Assert.Equal("male", p2.Patient["sex"]!.GetValue<string>());
        Assert.Equal(["interstitial-lung-disease"], p2.Patient["comorbidities"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("2018-01-01", p2.Patient["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>());

        var unnamed = Map(json, "2020-06-01");
        Assert.Contains(unnamed.Problems, p => p.Field == "id");
    }

    [Fact]
    public void DraftOrdersNameTheirAgents()
    {
        var orders = new JsonObject
        {
            ["resourceType"] = "Bundle", ["type"] = "collection",
            ["entry"] = new JsonArray(
                new JsonObject { ["resource"] = new JsonObject {
                    ["resourceType"] = "MedicationRequest", ["id"] = "o1", ["status"] = "draft", ["intent"] = "order",
                    ["medicationCodeableConcept"] = Rx("2267582", "fam-trastuzumab deruxtecan"), ["subject"] = new JsonObject { ["reference"] = "Patient/p1" } } },
                new JsonObject { ["fullUrl"] = "urn:uuid:11111111-1111-1111-1111-111111111111", ["resource"] = new JsonObject {
                    ["resourceType"] = "Medication", ["code"] = Rx("1371046", "Kadcyla") } },
                new JsonObject { ["resource"] = new JsonObject {
                    ["resourceType"] = "MedicationRequest", ["id"] = "o2", ["status"] = "draft", ["intent"] = "order",
                    ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
                    ["medicationReference"] = new JsonObject { ["reference"] = "urn:uuid:11111111-1111-1111-1111-111111111111" } } },
                new JsonObject { ["resource"] = new JsonObject {
                    ["resourceType"] = "MedicationRequest", ["id"] = "o3", ["status"] = "draft", ["intent"] = "order",
                    ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
                    ["contained"] = new JsonArray(new JsonObject { ["resourceType"] = "Medication", ["id"] = "m", ["code"] = Text("Newtinib 50 mg") }),
                    ["medicationReference"] = new JsonObject { ["reference"] = "#m" } } },
                new JsonObject { ["resource"] = new JsonObject { ["resourceType"] = "ServiceRequest", ["id"] = "s" } }),
        };
        var reading = DraftOrderReader.Read(Element(orders.ToJsonString()), Kb);
        Assert.Empty(reading.Errors);
        Assert.Equal(["MedicationRequest/o1", "MedicationRequest/o2", "MedicationRequest/o3"], reading.Orders.Select(o => o.Reference));
        Assert.Equal(["trastuzumab-deruxtecan"], reading.Orders[0].Agents);
        Assert.Equal(["trastuzumab-emtansine"], reading.Orders[1].Agents);
        Assert.Empty(reading.Orders[2].Agents);
        Assert.Equal("MedicationRequest/o3", Assert.Single(reading.Unmapped).Resource);
        var json = JsonSerializer.Serialize(reading.Orders, FhirMappingJson.Output.IReadOnlyListDraftOrder);
        Assert.Contains("\"how\":\"ingredient\"", json);
    }
}
