using System.Net;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Endpoints;

/// <summary>A FHIR body that is only part of a record gets 422 naming what could not be read, and no decision.</summary>
public sealed class PartialFhirInputTests
{
    private const string FhirJson = "application/fhir+json";
    private const string Case = "seed-case-1";
    private const string Apply = "/fhir/PlanDefinition/herald-her2-metastatic/$apply";

    [Theory]
    [InlineData("/api/recommendations")]
    [InlineData("/api/comparison")]
    public async Task A_Bundle_holding_an_error_OperationOutcome_is_422_with_the_entry_named_and_no_decision(string route)
    {
        var bundle = FhirExamples.Bundle(Case);
        var entries = bundle["entry"]!.AsArray();
        entries.Add(new JsonObject { ["resource"] = FakeFhirServer.ErrorOutcome("MedicationAdministration search failed") });

        var (status, body) = await Post(route, bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal($"entry[{entries.Count - 1}].resource(OperationOutcome/?).issue[0]", error["path"]!.GetValue<string>());
        Assert.Contains("MedicationAdministration search failed", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(body["fhirMapping"]);
        Assert.Null(body["decisionPoint"]);
    }

    [Fact]
    public async Task One_page_of_a_search_is_422_naming_the_next_link_and_the_short_total()
    {
        var bundle = FhirExamples.Bundle(Case);
        bundle["type"] = "searchset";
        bundle["total"] = 40;
        bundle["link"] = new JsonArray(
            new JsonObject { ["relation"] = "self", ["url"] = "https://ehr.example.org/fhir/Patient/seed-case-1/$everything" },
            new JsonObject { ["relation"] = "next", ["url"] = "https://ehr.example.org/fhir?_getpages=abc&_getpagesoffset=15" });

        var (status, body) = await Post("/api/recommendations", bundle);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(["link[1]", "total"], body["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_warning_OperationOutcome_in_the_Bundle_does_not_stop_the_decision()
    {
        var bundle = FhirExamples.Bundle(Case);
        bundle["entry"]!.AsArray().Add(new JsonObject { ["resource"] = FakeFhirServer.ErrorOutcome("some codes were not validated", "warning") });

        var (status, body) = await Post("/api/recommendations", bundle);
        var (_, whole) = await Post("/api/recommendations", FhirExamples.Bundle(Case));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(whole["recommendations"]!.ToJsonString(), body["recommendations"]!.ToJsonString());
    }

    [Fact]
    public async Task Apply_with_a_partial_Bundle_is_422_with_an_OperationOutcome_naming_the_data_element()
    {
        var bundle = FhirExamples.Bundle(Case);
        bundle["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = "https://ehr.example.org/fhir?page=2" });
        var parameters = new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(
                new JsonObject { ["name"] = "subject", ["valueString"] = "Patient/" + Case },
                new JsonObject { ["name"] = "data", ["resource"] = bundle }),
        };

        var (status, body) = await Post(Apply, parameters);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("OperationOutcome", body["resourceType"]!.GetValue<string>());
        var issue = Assert.Single(body["issue"]!.AsArray())!;
        Assert.Equal("incomplete", issue["code"]!.GetValue<string>());
        Assert.StartsWith("data.link[0]:", issue["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_partial_record_is_audited_as_422()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Case));
        var client = host.CreateClient();
        var bundle = FhirExamples.Bundle(Case);
        bundle["entry"]!.AsArray().Add(new JsonObject { ["resource"] = FakeFhirServer.ErrorOutcome("failed") });

        var response = await Http.Post(client, "/api/recommendations", bundle, mediaType: FhirJson);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var record = await RecommendationsApiTests.AuditRecord(client, response);
        Assert.Equal(422, record["status"]!.GetValue<int>());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Post(string route, JsonObject body)
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Case));
        var response = await Http.Post(host.CreateClient(), route, body, mediaType: FhirJson);
        return (response.StatusCode, await Http.Body(response));
    }
}
