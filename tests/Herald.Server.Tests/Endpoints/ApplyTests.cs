using Herald.Audit;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.Endpoints;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// POST /fhir/PlanDefinition/herald-her2-metastatic/$apply: a Parameters resource (or a bare Bundle) in, a Bundle
/// with a RequestGroup proposing the ranked regimens out — the same ranking /api/recommendations gives.
/// </summary>
public sealed class ApplyTests
{
    private const string Apply = "/fhir/PlanDefinition/" + ApplyEndpoints.PlanDefinitionId + "/$apply";
    private const string FhirJson = "application/fhir+json";
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string Patient = "seed-case-2";

    [Fact]
    public async Task Parameters_with_subject_and_data_give_a_RequestGroup_proposing_exactly_the_ranked_regimens()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();
        var decision = await Http.Body(await Http.Post(client, "/api/recommendations", FhirExamples.Bundle(Patient), mediaType: FhirJson));
        var ranked = RecommendationsApiTests.Ranking(decision);
        Assert.True(ranked.Count > 1, decision.ToJsonString());

        var response = await Http.Post(client, Apply, Parameters(), mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FhirJson, response.Content.Headers.ContentType!.MediaType);
        var bundle = await Http.Body(response);
        Assert.Equal("Bundle", bundle["resourceType"]!.GetValue<string>());
        var resources = Resources(bundle);

        var proposal = Assert.Single(resources.Values, r => Type(r) == "RequestGroup" && r["intent"]!.GetValue<string>() == "proposal");
        Assert.Equal("Patient/" + Patient, proposal["subject"]!["reference"]!.GetValue<string>());
        var choice = Assert.Single(proposal["action"]!.AsArray())!;
        Assert.Equal("at-most-one", choice["selectionBehavior"]!.GetValue<string>());
        var actions = choice["action"]!.AsArray().Select(a => a!).ToList();

        // One action per ranked regimen, in rank order, each named after it.
        Assert.Equal(ranked.Select(r => $"rank-{r.Rank}-{r.Id}"), actions.Select(a => a["id"]!.GetValue<string>()));
        Assert.Equal(ranked.Select(r => $"Rank {r.Rank}"), actions.Select(a => a["prefix"]!.GetValue<string>()));

        var recommendations = decision["recommendations"]!.AsArray();
        for (var i = 0; i < actions.Count; i++)
        {
            // Each action cites the statements behind its recommendation, by id, with their verbatim quotes.
            var statements = recommendations[i]!["statements"]!.AsArray();
            var citations = actions[i]["documentation"]!.AsArray().Where(d => d!["type"]!.GetValue<string>() == "citation").ToList();
            Assert.NotEmpty(citations);
            Assert.Equal(statements.Select(s => s!["id"]!.GetValue<string>()), citations.Select(c => c!["label"]!.GetValue<string>()));
            Assert.Contains(statements[0]!["quote"]!.GetValue<string>(), citations[0]!["citation"]!.GetValue<string>());

            // The option's RequestGroup is in the Bundle; each MedicationRequest it references is too.
            var option = resources[actions[i]["resource"]!["reference"]!.GetValue<string>()];
            Assert.Equal("option", option["intent"]!.GetValue<string>());
            var referenced = option["action"]!.AsArray()
                .Where(a => a!["resource"] is not null)
                .Select(a => resources[a!["resource"]!["reference"]!.GetValue<string>()])
                .ToList();
            Assert.NotEmpty(referenced);
            var codes = recommendations[i]!["regimen"]!["codes"]!.AsArray().Select(c => c!["code"]!.GetValue<string>()).ToList();
            Assert.All(referenced, request =>
            {
                Assert.Equal("MedicationRequest", Type(request));
                Assert.Equal("proposal", request["intent"]!.GetValue<string>());
                Assert.Equal("Patient/" + Patient, request["subject"]!["reference"]!.GetValue<string>());
                var coding = Assert.Single(request["medicationCodeableConcept"]!["coding"]!.AsArray(), c => c!["system"]!.GetValue<string>() == RxNorm)!;
                Assert.Contains(coding["code"]!.GetValue<string>(), codes);
            });
        }

        // The tucatinib regimen proposes its three drugs by their RxNorm codes.
        var tucatinib = resources[actions.Single(a => a["id"]!.GetValue<string>().EndsWith("tucatinib-trastuzumab-capecitabine", StringComparison.Ordinal))["resource"]!["reference"]!.GetValue<string>()];
        var tucatinibCodes = tucatinib["action"]!.AsArray()
            .Select(a => resources[a!["resource"]!["reference"]!.GetValue<string>()]["medicationCodeableConcept"]!["coding"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(["194000", "224905", "2361285"], tucatinibCodes.Order());

        // Excluded regimens (e.g. T-DM1, progressed on in line 2) are never proposed.
        var excluded = decision["excluded"]!.AsArray().Select(e => e!["regimen"]!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("trastuzumab-emtansine", excluded);
        Assert.All(actions, a => Assert.DoesNotContain(a["title"]!.GetValue<string>(), ExcludedNames(decision)));
        Assert.All(actions, a => Assert.DoesNotContain(excluded, id => a["id"]!.GetValue<string>().EndsWith("-" + id, StringComparison.Ordinal)));
        Assert.DoesNotContain(resources.Values, r => Type(r) == "MedicationRequest"
            && r["medicationCodeableConcept"]!["coding"]?.AsArray().Any(c => c!["code"]!.GetValue<string>() == "1371041") == true);
    }

    [Fact]
    public async Task A_bare_Bundle_gives_the_same_proposal_as_Parameters()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        var fromParameters = await Http.Body(await Http.Post(client, Apply, Parameters(), mediaType: FhirJson));
        var response = await Http.Post(client, Apply, FhirExamples.Bundle(Patient), mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fromBundle = await Http.Body(response);
        Assert.Equal(ActionIds(fromParameters), ActionIds(fromBundle));
        Assert.NotEmpty(ActionIds(fromBundle));
        var proposal = Resources(fromBundle).Values.Single(r => Type(r) == "RequestGroup" && r["intent"]!.GetValue<string>() == "proposal");
        Assert.Equal("Patient/" + Patient, proposal["subject"]!["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parameters_without_data_is_400_with_an_OperationOutcome()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(new JsonObject { ["name"] = "subject", ["valueString"] = "Patient/" + Patient }),
        };

        var response = await Http.Post(host.CreateClient(), Apply, parameters, mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(FhirJson, response.Content.Headers.ContentType!.MediaType);
        var outcome = await Http.Body(response);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        var issue = Assert.Single(outcome["issue"]!.AsArray())!;
        Assert.Equal("error", issue["severity"]!.GetValue<string>());
        Assert.Contains("'data'", issue["diagnostics"]!.GetValue<string>());
    }

    [Fact]
    public async Task Apply_is_audited_with_the_patient_and_the_Bundle_it_answered()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        var response = await Http.Post(client, Apply, Parameters(), mediaType: FhirJson);

        var record = await RecommendationsApiTests.AuditRecord(client, response);
        Assert.Equal(ApplyEndpoints.Service, record["service"]!.GetValue<string>());
        Assert.Equal(Patient, record["patientId"]!.GetValue<string>());
        Assert.Equal(200, record["status"]!.GetValue<int>());
        Assert.Equal(AuditDigest.Of(await response.Content.ReadAsByteArrayAsync()), record["outputDigest"]!.GetValue<string>());
    }

    private static JsonObject Parameters() => new()
    {
        ["resourceType"] = "Parameters",
        ["parameter"] = new JsonArray(
            new JsonObject { ["name"] = "subject", ["valueString"] = "Patient/" + Patient },
            new JsonObject { ["name"] = "data", ["resource"] = FhirExamples.Bundle(Patient) }),
    };

    private static List<string> ExcludedNames(JsonNode decision) =>
        decision["excluded"]!.AsArray().Select(e => e!["regimen"]!["name"]!.GetValue<string>()).ToList();

    private static string Type(JsonNode resource) => resource["resourceType"]!.GetValue<string>();

    /// <summary>The Bundle's resources by fullUrl (how its entries reference each other).</summary>
    private static Dictionary<string, JsonNode> Resources(JsonNode bundle) =>
        bundle["entry"]!.AsArray().ToDictionary(e => e!["fullUrl"]!.GetValue<string>(), e => e!["resource"]!);

    private static List<string> ActionIds(JsonNode bundle) =>
        Resources(bundle).Values
            .Single(r => Type(r) == "RequestGroup" && r["intent"]!.GetValue<string>() == "proposal")["action"]![0]!["action"]!.AsArray()
            .Select(a => a!["id"]!.GetValue<string>())
            .ToList();
}
