using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Corpus;

/// <summary>The harness's stand-in for an EHR answers a template as a FHIR server would, so the CDS Hooks cases are fair.</summary>
public sealed class EhrPrefetchTests
{
    private static readonly KeyValuePair<string, string>[] Templates =
    [
        new("patient", "Patient/{{context.patientId}}"),
        new("observations", "Observation?patient={{context.patientId}}&code=http://loinc.org|48676-1,http://loinc.org|89247-1"),
        new("medicationAdministrations", "MedicationAdministration?patient={{context.patientId}}&_include=MedicationAdministration:medication"),
    ];

    [Fact]
    public void Observations_whose_code_the_template_does_not_name_are_not_returned()
    {
        var prefetch = EhrPrefetch.Build(Record(), "p1", Templates);

        var ids = Ids(prefetch["observations"]!);
        Assert.Equal(["her2"], ids);
        Assert.Equal(1, prefetch["observations"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public void Another_patients_resources_are_not_returned_and_bundle_references_become_server_references()
    {
        var prefetch = EhrPrefetch.Build(Record(), "p1", Templates);

        Assert.Equal("p1", prefetch["patient"]!["id"]!.GetValue<string>());
        var her2 = prefetch["observations"]!["entry"]![0]!["resource"]!;
        Assert.Equal("Patient/p1", her2["subject"]!["reference"]!.GetValue<string>());
        Assert.DoesNotContain("other-her2", Ids(prefetch["observations"]!));
    }

    [Fact]
    public void An_include_brings_the_referenced_Medication_as_an_included_entry()
    {
        var prefetch = EhrPrefetch.Build(Record(), "p1", Templates);

        var entries = prefetch["medicationAdministrations"]!["entry"]!.AsArray();
        Assert.Equal(["match", "include"], entries.Select(e => e!["search"]!["mode"]!.GetValue<string>()));
        Assert.Equal("Medication/med-1", entries[0]!["resource"]!["medicationReference"]!["reference"]!.GetValue<string>());
        Assert.Equal("med-1", entries[1]!["resource"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public void An_empty_search_result_is_a_searchset_with_a_total_of_0_and_no_entry()
    {
        KeyValuePair<string, string>[] allergies = [new("allergies", "AllergyIntolerance?patient={{context.patientId}}")];

        var prefetch = EhrPrefetch.Build(Record(), "p1", allergies);

        Assert.Equal("searchset", prefetch["allergies"]!["type"]!.GetValue<string>());
        Assert.Equal(0, prefetch["allergies"]!["total"]!.GetValue<int>());
        Assert.Null(prefetch["allergies"]!["entry"]);
    }

    [Fact]
    public void A_search_parameter_the_harness_does_not_know_fails_loudly()
    {
        KeyValuePair<string, string>[] unknown = [new("conditions", "Condition?patient={{context.patientId}}&onset-date=ge2020")];

        var failure = Assert.ThrowsAny<Exception>(() => EhrPrefetch.Build(Record(), "p1", unknown));

        Assert.Contains("onset-date", failure.Message);
    }

    private static string[] Ids(JsonNode searchset) =>
        searchset["entry"]!.AsArray().Select(e => e!["resource"]!["id"]!.GetValue<string>()).ToArray();

    // A collection Bundle as an EHR exports it: urn:uuid fullUrls and references, a second patient, a non-template code.
    private static JsonObject Record()
    {
        static JsonObject Entry(string uuid, JsonObject resource) => new() { ["fullUrl"] = $"urn:uuid:{uuid}", ["resource"] = resource };
        static JsonObject Observation(string id, string patientUuid, string loinc) => new()
        {
            ["resourceType"] = "Observation",
            ["id"] = id,
            ["status"] = "final",
            ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = loinc }) },
            ["subject"] = new JsonObject { ["reference"] = $"urn:uuid:{patientUuid}" },
        };

        const string p1 = "0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c01";
        const string p2 = "0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c02";
        const string med = "0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c03";
        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(
                Entry(p1, new JsonObject { ["resourceType"] = "Patient", ["id"] = "p1" }),
                Entry(p2, new JsonObject { ["resourceType"] = "Patient", ["id"] = "p2" }),
                Entry("0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c10", Observation("her2", p1, "48676-1")),
                Entry("0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c11", Observation("tnm-m", p1, "21907-1")),
                Entry("0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c12", Observation("other-her2", p2, "48676-1")),
                Entry(med, new JsonObject { ["resourceType"] = "Medication", ["id"] = "med-1" }),
                Entry("0f8c2a64-3b7e-4a51-9d2c-5e6f7a8b9c13", new JsonObject
                {
                    ["resourceType"] = "MedicationAdministration",
                    ["id"] = "ma-1",
                    ["status"] = "completed",
                    ["medicationReference"] = new JsonObject { ["reference"] = $"urn:uuid:{med}" },
                    ["subject"] = new JsonObject { ["reference"] = $"urn:uuid:{p1}" },
                    ["effectiveDateTime"] = "2024-01-01",
                })),
        };
    }
}
