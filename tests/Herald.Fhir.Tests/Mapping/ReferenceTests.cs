using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>References as Bundles write them: urn:uuid fullUrls, relative and absolute references, contained resources.</summary>
public sealed class ReferenceTests
{
    private static JsonObject Liver(JsonObject subject) =>
        Condition("liver", Concept(Snomed, "94381002", "Secondary malignant neoplasm of liver"), "2019-09-16", subject: subject);

    private static string Entries(params (string FullUrl, JsonObject Resource)[] entries) =>
        new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "transaction",
            ["entry"] = new JsonArray(entries.Select(e => (JsonNode)new JsonObject { ["fullUrl"] = e.FullUrl, ["resource"] = e.Resource }).ToArray()),
        }.ToJsonString();

    [Fact]
    public void A_patient_known_only_by_its_urn_uuid_is_found_by_that_uuid_and_its_resources_are_used()
    {
        var patient = Patient();
        patient.Remove("id"); // transaction Bundles often carry only the fullUrl
        var json = Entries(("urn:uuid:7f1c", patient), ("urn:uuid:c1", Liver(new JsonObject { ["reference"] = "urn:uuid:7f1c" })));

        var result = Map(json, "2020-06-01", patientId: "7f1c");

        Assert.Equal("2019-09-16", result.Patient["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>());
        Assert.DoesNotContain(result.Notes, n => n.Field == "subject");
    }

    [Fact]
    public void Absolute_and_relative_references_to_the_patient_both_count()
    {
        var json = Bundle(
            Patient(),
            Liver(new JsonObject { ["reference"] = "https://ehr.example.org/fhir/Patient/p1" }),
            Condition("lung", Concept(Snomed, "94391008"), "2019-10-01", subject: new JsonObject { ["reference"] = "Patient/p1" }));

        var result = Map(json, "2020-06-01");

        Assert.Equal(["liver", "lung"], result.Patient["disease"]!["sites"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.DoesNotContain(result.Notes, n => n.Field == "subject");
    }

    [Fact]
    public void A_resource_about_another_patient_in_the_bundle_is_left_out_and_reported()
    {
        var json = Bundle(
            Patient(),
            Liver(PatientRef),
            Patient("p2"),
            Condition("other-lung", Concept(Snomed, "94391008"), "2019-10-01", subject: new JsonObject { ["reference"] = $"urn:uuid:{Uuid("p2")}" }));

        var result = Map(json, "2020-06-01", patientId: "p1");

        Assert.Equal(["liver"], result.Patient["disease"]!["sites"]!.AsArray().Select(s => s!.GetValue<string>()));
        var note = Assert.Single(result.Notes, n => n.Field == "subject");
        Assert.Contains("another patient (Patient/p2)", note.Text);
        Assert.Equal("Condition/other-lung", note.Source);
    }

    [Fact]
    public void A_resource_whose_subject_cannot_be_found_is_reported_not_dropped_silently()
    {
        var json = Bundle(
            Patient(),
            Liver(PatientRef),
            Condition("orphan", Concept(Snomed, "94391008"), "2019-10-01", subject: new JsonObject { ["reference"] = "urn:uuid:0000-dangling" }),
            Condition("no-subject", Concept(Snomed, "94222008"), "2019-10-01", subject: new JsonObject()));

        var result = Map(json, "2020-06-01");

        Assert.Contains(result.Notes, n => n.Field == "subject" && n.Source == "Condition/orphan" && n.Text.Contains("not in the record"));
        Assert.Contains(result.Notes, n => n.Field == "subject" && n.Source == "Condition/no-subject" && n.Text.Contains("names no subject"));
    }

    [Fact]
    public void Without_a_patient_resource_the_one_subject_every_resource_names_is_the_patient()
    {
        static JsonObject Subject() => new() { ["reference"] = "urn:uuid:9a9a" };
        var json = Bundle("searchset", Liver(Subject()), Condition("lung", Concept(Snomed, "94391008"), "2019-10-01", subject: Subject()));

        var result = Map(json, "2020-06-01");

        Assert.DoesNotContain(result.Problems, p => p.Field == "id");
        Assert.Equal("9a9a", result.Patient["id"]!.GetValue<string>());
        Assert.Contains(result.Notes, n => n.Field == "id" && n.Text.Contains("urn:uuid:9a9a"));
    }

    [Fact]
    public void A_medication_named_by_an_absolute_reference_to_an_entry_known_by_its_full_url_is_resolved()
    {
        var medication = new JsonObject { ["resourceType"] = "Medication", ["code"] = Rx("1371041", "ado-trastuzumab emtansine") };
        var administration = Administration("tdm1", Rx("1371041", "x"), "2019-10-01", "2019-10-01");
        administration.Remove("medicationCodeableConcept");
        administration["medicationReference"] = new JsonObject { ["reference"] = "Medication/m-tdm1" };
        var json = Entries(
            ($"urn:uuid:{Uuid(PatientId)}", Patient()),
            ($"urn:uuid:{Uuid("liver")}", Liver(PatientRef)),
            ("https://ehr.example.org/fhir/Medication/m-tdm1", medication),
            ($"urn:uuid:{Uuid("tdm1")}", administration));

        var result = Map(json, "2020-06-01");

        var line = Assert.Single(result.Lines);
        Assert.Equal(["trastuzumab-emtansine"], line.Agents);
    }
}
