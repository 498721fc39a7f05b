using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Server.Tests.Endpoints;

/// <summary>Every failure is a clear answer naming the fault: never a stack trace, never a half answer.</summary>
public sealed class ErrorResponseTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string OrderSign = "/cds-services/" + CdsServiceCatalog.OrderSignId;

    public static TheoryData<string> Services => new() { PatientView, OrderSign };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Malformed_json_is_400_with_a_problem_naming_the_fault(string service)
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var response = await host.CreateClient().PostAsync(service, new StringContent("{\"hook\": \"patient-view\", ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Http.Body(response);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
        Assert.Contains("JSON", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task A_request_that_breaks_the_spec_is_400_naming_each_fault(string service)
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var request = FhirExamples.HookRequest("seed-case-1");
        request.Remove("hookInstance");
        request["context"]!.AsObject().Remove("patientId");

        var response = await Http.Post(host.CreateClient(), service, request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = (await Http.Body(response))["errors"]!.ToJsonString();
        Assert.Contains("hookInstance", text, StringComparison.Ordinal);
        Assert.Contains("patientId", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_service_is_404()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var response = await Http.Post(host.CreateClient(), "/cds-services/no-such-service", FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-service", (await Http.Body(response))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Missing_prefetch_without_a_FHIR_server_is_412_with_an_OperationOutcome(string service)
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var request = FhirExamples.HookRequest("seed-case-1");
        request["hook"] = service == OrderSign ? "order-sign" : "patient-view";
        if (service == OrderSign)
        {
            request["context"]!["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray() };
        }

        request.Remove("fhirServer");
        request.Remove("fhirAuthorization");
        request["prefetch"]!.AsObject().Remove("observations");

        var response = await Http.Post(host.CreateClient(), service, request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        var outcome = await Http.Body(response);
        Assert.Equal("OperationOutcome", outcome["resourceType"]!.GetValue<string>());
        Assert.Contains("observations", outcome["issue"]![0]!["diagnostics"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21), new Dictionary<string, string?> { ["Herald:MaxRequestBytes"] = "2048" });
        var request = FhirExamples.HookRequest("seed-case-1");

        var response = await Http.Post(host.CreateClient(), PatientView, request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task An_internal_failure_is_500_with_a_trace_id_and_no_stack_trace_or_message()
    {
        // A fault Herald does not expect: the HTTP stack under the FHIR client throws something unusual.
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
            s.AddHttpClient<Herald.Server.FhirAccess.FhirServerClient>().ConfigurePrimaryHttpMessageHandler(() => new ThrowingHandler()));
        var request = FhirExamples.HookRequest("seed-case-1");
        request["fhirServer"] = "http://127.0.0.1:9/fhir";
        request["prefetch"]!.AsObject().Remove("observations");

        var response = await Http.Post(host.CreateClient(), PatientView, request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("trace id", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ThrowingHandler.Secret, text, StringComparison.Ordinal);
    }

    private sealed class ThrowingHandler : HttpMessageHandler
    {
        public const string Secret = "patient-identifying text";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException(Secret);
    }

    [Fact]
    public async Task Native_input_errors_name_every_bad_field()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var patient = JsonNode.Parse(File.ReadAllText(Path.Combine(Cards.CardTestKit.ExamplesDirectory, "seed-case-1.json")))!.AsObject();
        patient["ecog"] = 9;
        patient["lvef"] = new JsonObject { ["percent"] = 140, ["date"] = "2020-02-30" };

        var response = await Http.Post(host.CreateClient(), "/api/recommendations", patient);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var paths = (await Http.Body(response))["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        Assert.Contains("ecog", paths);
        Assert.Contains("lvef.percent", paths);
        Assert.Contains("lvef.date", paths);
    }

    [Fact]
    public async Task An_unknown_edition_is_400_naming_the_known_ones()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var patient = JsonNode.Parse(File.ReadAllText(Path.Combine(Cards.CardTestKit.ExamplesDirectory, "seed-case-1.json")))!;

        var response = await Http.Post(host.CreateClient(), "/api/recommendations?edition=asco-2099", patient);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await Http.Body(response))["errors"]![0]!;
        Assert.Equal("edition", error["path"]!.GetValue<string>());
        Assert.Contains("asco-2014", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_media_type_is_415()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var response = await host.CreateClient().PostAsync("/api/recommendations", new StringContent("id: x", Encoding.UTF8, "text/yaml"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
