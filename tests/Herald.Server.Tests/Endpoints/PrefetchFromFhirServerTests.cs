using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>What the prefetch lacks is read from the EHR's FHIR server, with the EHR's token only when it gave one.</summary>
public sealed class PrefetchFromFhirServerTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string Token = "ehr-access-token-123";

    [Fact]
    public async Task Missing_prefetch_is_read_from_a_secured_FHIR_server_with_the_bearer_token()
    {
        var example = FhirExamples.HookRequest("seed-case-1");
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject(), requiredToken: Token);
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var request = WithoutPrefetch(example, fhir.BaseUrl);
        request["fhirAuthorization"] = Authorization();

        var response = await Http.Post(host.CreateClient(), PatientView, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summaries = (await Http.Body(response))["cards"]!.AsArray().Select(c => c!["summary"]!.GetValue<string>()).ToList();
        Assert.Contains(summaries, s => s.StartsWith("Rank 1", StringComparison.Ordinal) && s.Contains("tucatinib", StringComparison.Ordinal));
        Assert.Equal(9, fhir.Requests.Count); // every template, laboratoryObservations included
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        Assert.Contains(fhir.Requests, r => r.Path == "/fhir/Patient/seed-case-1");
        Assert.Contains(fhir.Requests, r => r.Path.StartsWith("/fhir/Observation?patient=seed-case-1&code=", StringComparison.Ordinal));
        Assert.Contains(fhir.Requests, r => r.Path == "/fhir/Observation?patient=seed-case-1&category=laboratory");
    }

    [Fact]
    public async Task A_token_type_written_in_lower_case_is_accepted_and_the_token_still_goes_as_a_Bearer_token()
    {
        var example = FhirExamples.HookRequest("seed-case-1");
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject(), requiredToken: Token);
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var request = WithoutPrefetch(example, fhir.BaseUrl);
        request["fhirAuthorization"] = Authorization();
        request["fhirAuthorization"]!["token_type"] = "bearer";

        var response = await Http.Post(host.CreateClient(), PatientView, request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(9, fhir.Requests.Count); // every template, laboratoryObservations included
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
    }

    [Fact]
    public async Task An_open_FHIR_server_gets_no_Authorization_header()
    {
        var example = FhirExamples.HookRequest("seed-case-1");
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject());
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));

        var response = await Http.Post(host.CreateClient(), PatientView, WithoutPrefetch(example, fhir.BaseUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(9, fhir.Requests.Count); // every template, laboratoryObservations included
        Assert.All(fhir.Requests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Only_the_missing_keys_are_fetched_and_search_pages_are_followed_on_the_same_server()
    {
        var example = FhirExamples.HookRequest("seed-case-1");
        example["prefetch"]![CdsServiceCatalog.LaboratoryObservationsKey] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "searchset", ["total"] = 0 };
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject(), requiredToken: Token);
        fhir.Behaviours["Observation"] = new SearchBehaviour { PageSize = 3 };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var request = example.DeepClone().AsObject();
        request["fhirServer"] = fhir.BaseUrl;
        request["fhirAuthorization"] = Authorization();
        request["prefetch"]!.AsObject().Remove("observations");

        var withFetch = await Http.Body(await Http.Post(host.CreateClient(), PatientView, request));
        var withPrefetch = await Http.Body(await Http.Post(host.CreateClient(), PatientView, example));

        Assert.Equal(["/fhir/Observation?_page=2"], fhir.Requests.Select(r => r.Path).Where(p => p.Contains("_page=", StringComparison.Ordinal)));
        Assert.Equal(2, fhir.Requests.Count);
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
        Assert.Equal(
            withPrefetch["cards"]!.AsArray().Select(c => c!["summary"]!.GetValue<string>()),
            withFetch["cards"]!.AsArray().Select(c => c!["summary"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_the_laboratory_prefetch_and_no_fhir_server_the_answer_comes_and_says_that_search_was_not_done()
    {
        var example = FhirExamples.HookRequest("seed-case-1").DeepClone().AsObject();
        example["prefetch"]!.AsObject().Remove(CdsServiceCatalog.LaboratoryObservationsKey);
        example.Remove("fhirServer");
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));

        var response = await Http.Post(host.CreateClient(), PatientView, example);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await Http.Body(response)).ToJsonString();
        Assert.Contains("laboratoryObservations", body, StringComparison.Ordinal);
        Assert.Contains("names only in words", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seed-case-1")]
    [InlineData("seed-case-2")]
    public void The_shipped_examples_prefetch_every_key_discovery_asks_for_so_they_never_wait_on_their_fhirServer(string seedCase)
    {
        var prefetch = FhirExamples.HookRequest(seedCase)["prefetch"]!.AsObject();

        Assert.Equal(CdsServiceCatalog.PatientView.Prefetch!.Keys.Order(StringComparer.Ordinal), prefetch.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_secured_FHIR_server_refusing_the_call_is_412()
    {
        var example = FhirExamples.HookRequest("seed-case-1");
        await using var fhir = await FakeFhirServer.StartAsync(example["prefetch"]!.AsObject(), requiredToken: Token);
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));

        // No fhirAuthorization: the server answers 401 to every read.
        var response = await Http.Post(host.CreateClient(), PatientView, WithoutPrefetch(example, fhir.BaseUrl));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var outcome = await Http.Body(response);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains("401", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_FHIR_server_is_412_after_the_retries()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Fhir:AttemptTimeout"] = "00:00:01",
            ["Herald:Fhir:Retries"] = "1",
        });

        var response = await Http.Post(host.CreateClient(), PatientView, WithoutPrefetch(FhirExamples.HookRequest("seed-case-1"), $"http://127.0.0.1:{ClosedPort()}/fhir"));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(8, (await Http.Body(response))["issue"]!.AsArray().Count);
    }

    private static JsonObject WithoutPrefetch(JsonObject example, string fhirServer)
    {
        var request = example.DeepClone().AsObject();
        request.Remove("prefetch");
        request["fhirServer"] = fhirServer;
        return request;
    }

    private static JsonObject Authorization() => new()
    {
        ["access_token"] = Token,
        ["token_type"] = "Bearer",
        ["expires_in"] = 300,
        ["scope"] = "patient/*.read",
        ["subject"] = "herald",
    };

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
