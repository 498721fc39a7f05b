using Herald.Audit;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Engine;
using Herald.Server.Endpoints;
using Herald.Server.Tests.Cards;

namespace Herald.Server.Tests.Endpoints;

/// <summary>POST /api/recommendations: the CLI's JSON over HTTP, from native JSON or a FHIR Bundle, every call audited.</summary>
public sealed class RecommendationsApiTests
{
    private const string Recommendations = "/api/recommendations";
    private const string FhirJson = "application/fhir+json";

    [Fact]
    public async Task Native_JSON_gives_exactly_the_CLI_answer_for_the_same_file()
    {
        var today = FhirExamples.DecidedOn("seed-case-1");
        using var host = new HeraldHost(today);
        var json = CardTestKit.Example("seed-case-1.json");

        var response = await Http.Post(host.CreateClient(), Recommendations, JsonNode.Parse(json)!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var read = PatientJsonReader.Read(json, CardTestKit.Kb, today);
        Assert.True(read.IsValid, read.Describe());
        var cli = JsonNode.Parse(DecisionJson.Serialize(new DecisionEngine(CardTestKit.Kb).Decide(read.Patient, read.AsOf)));
        var body = await Http.Body(response);
        Assert.True(JsonNode.DeepEquals(cli, body), body.ToJsonString());
        Assert.Null(body["fhirMapping"]);
    }

    [Fact]
    public async Task A_FHIR_Bundle_gives_the_native_examples_recommendations_and_the_derived_line()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var client = host.CreateClient();

        var native = await Http.Body(await Http.Post(client, Recommendations, JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!));
        var response = await Http.Post(client, Recommendations + "?asOf=2020-10-26", FhirExamples.Bundle("seed-case-1"), mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.Body(response);
        Assert.Equal("2020-10-26", body["asOf"]!.GetValue<string>());
        Assert.Equal(Ranking(native), Ranking(body));
        Assert.Equal("tucatinib-trastuzumab-capecitabine", Ranking(body)[0].Id);

        var mapping = body["fhirMapping"]!.AsObject();
        // The native patient Herald read comes back, so a form can show it and a clinician correct it.
        var nativeInput = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!;
        Assert.Equal(nativeInput["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>(),
            mapping["patient"]!["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>());
        var line = Assert.Single(mapping["lines"]!.AsArray())!;
        Assert.Equal(1, line["number"]!.GetValue<int>());
        Assert.Equal(["trastuzumab-emtansine"], line["agents"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("2019-10-07", line["start"]!.GetValue<string>());
        Assert.Equal("2020-10-12", line["stop"]!.GetValue<string>());
        Assert.Equal("progression", line["stopReason"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(line["progressionInferredFrom"]?.GetValue<string>()), line.ToJsonString());
        Assert.NotEmpty(line["rules"]!.AsArray());
        Assert.NotNull(mapping["unmapped"] as JsonArray);
    }

    [Fact]
    public async Task A_HER2_answer_Herald_cannot_read_is_listed_under_unmapped()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var bundle = FhirExamples.Bundle("seed-case-1");
        bundle["entry"]!.AsArray().Add(new JsonObject
        {
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = "seed-case-1-her2-local",
                ["status"] = "final",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "48676-1" }) },
                ["subject"] = new JsonObject { ["reference"] = "Patient/seed-case-1" },
                ["effectiveDateTime"] = "2019-09-23",
                ["valueCodeableConcept"] = new JsonObject
                {
                    // A local code on purpose: no code table knows it.
                    ["coding"] = new JsonArray(new JsonObject { ["system"] = "https://lab.example.org/her2-result", ["code"] = "R17", ["display"] = "Result 17" }),
                },
            },
        });

        var response = await Http.Post(host.CreateClient(), Recommendations, bundle, mediaType: FhirJson);

        var body = await Http.Body(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var unmapped = body["fhirMapping"]!["unmapped"]!.AsArray();
        var entry = Assert.Single(unmapped, u => u!["code"]?.GetValue<string>() == "R17")!;
        Assert.Equal("https://lab.example.org/her2-result", entry["system"]!.GetValue<string>());
        Assert.Contains("seed-case-1-her2-local", entry["resource"]!.GetValue<string>());
        Assert.Contains("HER2", entry["concept"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_edition_query_decides_by_the_2014_guideline_alone()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var client = host.CreateClient();
        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-2.json"))!;

        var current = await Http.Body(await Http.Post(client, Recommendations, patient));
        var response = await Http.Post(client, Recommendations + "?edition=asco-2014", patient);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var asco = await Http.Body(response);
        Assert.Equal("current-seeds", current["edition"]!.GetValue<string>());
        Assert.Equal("asco-2014", asco["edition"]!.GetValue<string>());
        Assert.Equal("later-line", asco["decisionPoint"]!["kind"]!.GetValue<string>());

        // The 2014 guideline predates tucatinib and T-DXd: its three options all share rank 1.
        Assert.Contains(Ranking(current), r => r is { Id: "tucatinib-trastuzumab-capecitabine", Rank: 1 });
        Assert.Contains(Ranking(current), r => r is { Id: "trastuzumab-deruxtecan", Rank: 1 });
        Assert.Equal(
            [("lapatinib-capecitabine", 1), ("lapatinib-trastuzumab", 1), ("trastuzumab-chemotherapy", 1)],
            Ranking(asco).Select(r => (r.Id, r.Rank)).Order());

        var audit = await AuditRecord(client, response);
        Assert.Equal("asco-2014", audit["edition"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_FHIR_Bundle_whose_metastasis_has_no_date_is_answered_with_the_date_asked_for_not_refused()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var bundle = FhirExamples.Bundle("seed-case-1");
        var liver = bundle["entry"]!.AsArray().Single(e => e!["resource"]!["id"]!.GetValue<string>() == "seed-case-1-metastasis-liver")!["resource"]!.AsObject();
        liver.Remove("onsetDateTime");
        liver.Remove("recordedDate");

        var response = await Http.Post(host.CreateClient(), Recommendations, bundle, mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Http.Body(response);
        Assert.Equal("data-needed", body["decisionPoint"]!["kind"]!.GetValue<string>());
        Assert.Contains(body["missingData"]!.AsArray(), m => m!["field"]!.GetValue<string>() == "presentation.metastaticDiagnosisDate" && m["blocking"]!.GetValue<bool>());
        Assert.Empty(body["recommendations"]!.AsArray());
        Assert.Contains(body["fhirMapping"]!["notes"]!.AsArray(), n => n!["field"]!.GetValue<string>() == "presentation.metastaticDiagnosisDate");
    }

    [Fact]
    public async Task A_FHIR_Bundle_that_names_no_single_patient_is_422_naming_the_field_with_the_mapping()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var bundle = TwoPatients(FhirExamples.Bundle("seed-case-1"));

        var response = await Http.Post(host.CreateClient(), Recommendations, bundle, mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = await Http.Body(response);
        Assert.Equal(422, body["status"]!.GetValue<int>());
        Assert.Contains(body["errors"]!.AsArray(), e => e!["path"]!.GetValue<string>() == "id");
        Assert.Contains(body["fhirMapping"]!["problems"]!.AsArray(), p => p!["field"]!.GetValue<string>() == "id");
        Assert.Null(body["recommendations"]);
    }

    private static JsonNode TwoPatients(JsonNode bundle)
    {
        bundle["entry"]!.AsArray().Add(new JsonObject
        {
            ["fullUrl"] = "urn:uuid:0d6c5a1e-2a7b-4a39-9d0b-3c1f2f3e9a77",
            ["resource"] = new JsonObject { ["resourceType"] = "Patient", ["id"] = "someone-else", ["gender"] = "female" },
        });
        return bundle;
    }

    [Fact]
    public async Task Malformed_FHIR_is_400_with_the_path_of_the_faulty_element()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var bundle = FhirExamples.Bundle("seed-case-1");
        bundle["entry"]!.AsArray().Add(new JsonObject
        {
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = "bad-lvef",
                ["status"] = "final",
                ["code"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://loinc.org", ["code"] = "10230-1" }) },
                ["effectiveDateTime"] = "2020-10-20",
                ["valueQuantity"] = new JsonObject { ["value"] = "abc", ["unit"] = "%" },
            },
        });

        var response = await Http.Post(host.CreateClient(), Recommendations, bundle, mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await Http.Body(response);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        var path = error["path"]!.GetValue<string>();
        Assert.Contains("Observation/bad-lvef", path);
        Assert.EndsWith("valueQuantity.value", path);
        Assert.StartsWith($"entry[{bundle["entry"]!.AsArray().Count - 1}]", path);
    }

    [Fact]
    public async Task Every_call_is_audited_and_the_audit_id_header_names_its_record()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        var withoutMetastasis = TwoPatients(FhirExamples.Bundle("seed-case-1"));

        var ok = await Http.Post(client, Recommendations, JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!);
        var unprocessable = await Http.Post(client, Recommendations, withoutMetastasis, mediaType: FhirJson);
        var badQuery = await Http.Post(client, Recommendations + "?asOf=26.10.2020", JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!);

        foreach (var (response, status) in new[] { (ok, 200), (unprocessable, 422), (badQuery, 400) })
        {
            Assert.Equal(status, (int)response.StatusCode);
            var record = await AuditRecord(client, response);
            Assert.Equal(RecommendationEndpoints.Service, record["service"]!.GetValue<string>());
            Assert.Equal(status, record["status"]!.GetValue<int>());
            Assert.Null(record["hook"]);
            Assert.Equal(AuditDigest.Of(await response.Content.ReadAsByteArrayAsync()), record["outputDigest"]!.GetValue<string>());
        }

        Assert.Equal("seed-case-1", (await AuditRecord(client, ok))["patientId"]!.GetValue<string>());
        Assert.Null((await AuditRecord(client, unprocessable))["patientId"]);
        Assert.Equal(
            (await AuditRecord(client, ok))["inputDigest"]!.GetValue<string>(),
            (await AuditRecord(client, badQuery))["inputDigest"]!.GetValue<string>());
    }

    internal sealed record Ranked(string Id, int Rank);

    internal static List<Ranked> Ranking(JsonNode decision) =>
        decision["recommendations"]!.AsArray()
            .Select(r => new Ranked(r!["regimen"]!["id"]!.GetValue<string>(), r["rank"]!.GetValue<int>()))
            .ToList();

    /// <summary>The audit record whose id the answer's X-Herald-Audit-Id header gives.</summary>
    internal static async Task<JsonNode> AuditRecord(HttpClient client, HttpResponseMessage response)
    {
        var id = Assert.Single(response.Headers.GetValues("X-Herald-Audit-Id"));
        var audit = await Http.Body(await client.GetAsync("/audit?limit=1000"));
        return Assert.Single(audit["records"]!.AsArray(), r => r!["id"]!.GetValue<string>() == id)!;
    }
}
