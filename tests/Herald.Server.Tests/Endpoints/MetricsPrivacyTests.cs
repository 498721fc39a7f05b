using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Security;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Security;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// GET /metrics is open to the operations network, so nothing that identifies a patient, a call or a caller may be in
/// it: the calls here carry recognisable ids in every place a request can hold one, and none of them is in the scrape.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsPrivacyTests
{
    private const string PublicBase = "https://herald.example.org";
    private const string PatientId = "PT-7731-ZEBRA";
    private const string HookInstance = "c0ffee00-7731-4abc-8def-2e6a0b1e7731";
    private const string UserId = "Practitioner/DR-QUAGGA-4242";
    private const string FhirServer = "https://ehr-okapi.example.org/fhir";
    private const string Subject = "ehr-client-NARWHAL";
    private const string Tenant = "hospital-PANGOLIN";

    [Fact]
    public async Task No_patient_id_hook_instance_audit_id_token_or_raw_path_appears_in_the_metrics()
    {
        using var ehr = new TestTokens();
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = PublicBase,
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        });
        var client = host.CreateClient();
        var secrets = new List<string> { PatientId, HookInstance, UserId, "ehr-okapi", Subject, Tenant };
        var jtis = 0;
        string Token(string path)
        {
            var jti = $"JTI-WOMBAT-{++jtis}";
            secrets.Add(jti);
            var token = ehr.Rs384(PublicBase + path, host.Clock.GetUtcNow(), claims =>
            {
                claims["jti"] = jti;
                claims["sub"] = Subject;
                claims["tenant"] = Tenant;
            });
            secrets.Add(token);
            return token;
        }

        async Task<HttpResponseMessage> Call(string path, JsonNode body, HttpStatusCode expected)
        {
            var response = await Http.Post(client, path, body, Token(path));
            Assert.Equal(expected, response.StatusCode);
            if (response.Headers.TryGetValues("X-Herald-Audit-Id", out var ids))
            {
                secrets.AddRange(ids);
            }

            return response;
        }

        var patientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
        var hook = JsonNode.Parse(FhirExamples.HookRequest("seed-case-1").ToJsonString().Replace("seed-case-1", PatientId, StringComparison.Ordinal))!.AsObject();
        hook["hookInstance"] = HookInstance;
        hook["context"]!["userId"] = UserId;
        hook["fhirServer"] = FhirServer;
        await Call(patientView, hook, HttpStatusCode.OK);
        var refused = hook.DeepClone().AsObject();
        refused.Remove("hook");
        await Call(patientView, refused, HttpStatusCode.BadRequest);
        var native = JsonNode.Parse(CardTestKit.Example("seed-case-1.json").Replace("seed-case-1", PatientId, StringComparison.Ordinal))!;
        await Call("/api/recommendations", native, HttpStatusCode.OK);
        await Call($"/cds-services/{PatientId}", hook, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.Get(client, $"/Patient/{PatientId}", Token($"/Patient/{PatientId}"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Get(client, $"/audit?patient={PatientId}&hookInstance={HookInstance}", Token("/audit"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/examples/{PatientId}")).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        // Not an empty scrape: the calls were measured, and under their services.
        Assert.NotEmpty(scrape.Series("herald_answers_total", ("herald_service", CdsServiceCatalog.PatientViewId)));
        Assert.NotEmpty(scrape.Series("http_server_request_duration_seconds_count", ("http_route", "/api/examples/{id}")));
        Assert.True(secrets.Count >= 14, $"only {secrets.Count} identifiers were checked");
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, scrape.Body, StringComparison.OrdinalIgnoreCase));
        foreach (var word in new[] { "ZEBRA", "QUAGGA", "OKAPI", "NARWHAL", "PANGOLIN", "WOMBAT", "7731" })
        {
            Assert.DoesNotContain(word, scrape.Body, StringComparison.OrdinalIgnoreCase);
        }
    }
}
