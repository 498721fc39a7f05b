using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// A prefetch key that is not a complete answer (the EHR's query failed, or it sent one page) is never read as data:
/// it is read from fhirServer when the request names one, else the call is 412 naming the key and what was wrong.
/// </summary>
public sealed class IncompletePrefetchTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string Case = "seed-case-1";

    [Fact]
    public async Task An_OperationOutcome_in_place_of_the_observations_is_412_not_a_request_for_the_HER2_result_the_record_holds()
    {
        var request = WithoutFhirServer();
        request["prefetch"]!["observations"] = FakeFhirServer.ErrorOutcome("Observation search timed out");

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Equal("OperationOutcome", body["resourceType"]!.GetValue<string>());
        var diagnostics = Assert.Single(PagedFhirServerTests.Diagnostics(body));
        Assert.Contains("prefetch 'observations' is not a complete answer", diagnostics, StringComparison.Ordinal);
        Assert.Contains("is an OperationOutcome", diagnostics, StringComparison.Ordinal);
        Assert.Contains("Observation search timed out", diagnostics, StringComparison.Ordinal);
        Assert.Contains("names no fhirServer", diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_OperationOutcome_in_a_prefetch_key_is_read_again_from_the_fhirServer_and_decides_as_the_whole_prefetch_does()
    {
        var example = FhirExamples.HookRequest(Case);
        example["prefetch"]![CdsServiceCatalog.LaboratoryObservationsKey] = EmptySearchset(); // given, so only the observations are read again
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject());
        var request = example.DeepClone().AsObject();
        request["fhirServer"] = fhir.BaseUrl;
        request["prefetch"]!["observations"] = FakeFhirServer.ErrorOutcome("Observation search timed out");

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Summaries((await Call(example)).Body), Summaries(body));
        Assert.StartsWith("/fhir/Observation?patient=seed-case-1", Assert.Single(fhir.Requests).Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_fhirServer_cannot_give_the_key_either_the_412_says_both()
    {
        var example = FhirExamples.HookRequest(Case);
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject());
        fhir.Behaviours["Observation"] = new SearchBehaviour { OperationOutcomeStatus = 404 };
        var request = example.DeepClone().AsObject();
        request["fhirServer"] = fhir.BaseUrl;
        request["prefetch"]!["observations"] = FakeFhirServer.ErrorOutcome("Observation search timed out");

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(PagedFhirServerTests.Diagnostics(body));
        Assert.Contains("is an OperationOutcome", diagnostics, StringComparison.Ordinal);
        Assert.Contains("answered 404", diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("fatal")]
    public async Task A_searchset_with_an_error_outcome_entry_is_412_naming_the_entry(string severity)
    {
        var request = WithoutFhirServer();
        var entries = request["prefetch"]!["observations"]!["entry"]!.AsArray();
        entries.Add(OutcomeEntry(severity, "Observation shard 2 unavailable"));

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(PagedFhirServerTests.Diagnostics(body));
        Assert.Contains($"prefetch.observations.entry[{entries.Count - 1}].resource(OperationOutcome/?).issue[0]", diagnostics, StringComparison.Ordinal);
        Assert.Contains("shard 2 unavailable", diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("information")]
    public async Task A_warning_or_information_outcome_entry_is_not_an_error_and_the_data_are_read(string severity)
    {
        var request = WithoutFhirServer();
        request["prefetch"]!["observations"]!["entry"]!.AsArray().Add(OutcomeEntry(severity, "_sort ignored"));

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Summaries((await Call(FhirExamples.HookRequest(Case))).Body), Summaries(body));
    }

    [Fact]
    public async Task One_page_of_the_observations_without_a_fhirServer_is_412_naming_the_next_link()
    {
        var request = WithoutFhirServer();
        request["prefetch"]!["observations"]!["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = "https://ehr.example.org/fhir?_getpages=x" });

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(PagedFhirServerTests.Diagnostics(body));
        Assert.Contains("prefetch.observations.link[0]", diagnostics, StringComparison.Ordinal);
        Assert.Contains("'next' link", diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_page_of_the_observations_is_read_whole_from_the_fhirServer()
    {
        var example = FhirExamples.HookRequest(Case);
        example["prefetch"]![CdsServiceCatalog.LaboratoryObservationsKey] = EmptySearchset(); // given, so only the observations are read again
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject());
        fhir.Behaviours["Observation"] = new SearchBehaviour { PageSize = 2 };
        var request = example.DeepClone().AsObject();
        request["fhirServer"] = fhir.BaseUrl;
        var observations = request["prefetch"]!["observations"]!.AsObject();
        observations["entry"] = new JsonArray(observations["entry"]!.AsArray().Take(2).Select(e => e!.DeepClone()).ToArray());
        observations["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = fhir.BaseUrl + "/Observation?_page=2" });

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Summaries((await Call(example)).Body), Summaries(body));
        Assert.Equal(3, fhir.RequestsFor("Observation").Count);
    }

    [Fact]
    public async Task A_total_larger_than_the_observations_sent_is_412_naming_the_total()
    {
        var request = WithoutFhirServer();
        request["prefetch"]!["observations"]!["total"] = 12;

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(PagedFhirServerTests.Diagnostics(body));
        Assert.Contains("prefetch.observations.total", diagnostics, StringComparison.Ordinal);
        Assert.Contains("12 resources match", diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_incomplete_key_is_named_in_one_412()
    {
        var request = WithoutFhirServer();
        request["prefetch"]!["observations"] = FakeFhirServer.ErrorOutcome("timed out");
        request["prefetch"]!["conditions"]!["total"] = 9;

        var (status, body) = await Call(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = PagedFhirServerTests.Diagnostics(body);
        Assert.Equal(2, diagnostics.Count);
        Assert.Contains(diagnostics, d => d.Contains("'conditions'", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Contains("'observations'", StringComparison.Ordinal));
    }

    private static JsonObject WithoutFhirServer()
    {
        var request = FhirExamples.HookRequest(Case);
        request.Remove("fhirServer");
        return request;
    }

    private static JsonObject OutcomeEntry(string severity, string diagnostics) => new()
    {
        ["resource"] = FakeFhirServer.ErrorOutcome(diagnostics, severity),
        ["search"] = new JsonObject { ["mode"] = "outcome" },
    };

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Call(JsonObject request)
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Case));
        var response = await Http.Post(host.CreateClient(), PatientView, request);
        return (response.StatusCode, await Http.Body(response));
    }

    private static List<string> Summaries(JsonNode body) => body["cards"]!.AsArray().Select(c => c!["summary"]!.GetValue<string>()).ToList();

    private static JsonObject EmptySearchset() => new() { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = 0 };
}
