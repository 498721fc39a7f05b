using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Security;
using Herald.Server.Tests.Endpoints;

namespace Herald.Server.Tests.Security;

/// <summary>
/// With signed tokens, Herald calls only the FHIR servers configured for the token's issuer: the fhirServer a request
/// names cannot send Herald, or the EHR's access token, to a host of the caller's choosing.
/// </summary>
public sealed class FhirServerTrustTests : IDisposable
{
    private const string PublicBase = "https://herald.example.org";
    private const string ServiceUrl = PublicBase + "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private readonly TestTokens ehr = new();

    public void Dispose() => ehr.Dispose();

    private HeraldHost JwtHost(params string[] fhirServers)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = PublicBase,
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        };
        for (var i = 0; i < fhirServers.Length; i++)
        {
            settings[$"Herald:Auth:Issuers:0:FhirServers:{i}"] = fhirServers[i];
        }
        return new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), settings);
    }

    private static JsonObject WithoutPrefetch(string fhirServer)
    {
        var request = FhirExamples.HookRequest("seed-case-1").DeepClone().AsObject();
        request.Remove("prefetch");
        request["fhirServer"] = fhirServer;
        request["fhirAuthorization"] = new JsonObject
        {
            ["access_token"] = "ehr-access-token",
            ["token_type"] = "Bearer",
            ["expires_in"] = 300,
            ["scope"] = "patient/*.read",
            ["subject"] = "herald",
        };
        return request;
    }

    private async Task<HttpResponseMessage> CallAsync(HeraldHost host, JsonObject request) =>
        await Http.Post(host.CreateClient(), "/cds-services/" + CdsServiceCatalog.PatientViewId, request, ehr.Rs384(ServiceUrl, host.Clock.GetUtcNow()));

    [Fact]
    public async Task A_FHIR_server_configured_for_the_issuer_is_read()
    {
        await using var fhir = await FakeFhirServer.StartAsync(FhirExamples.HookRequest("seed-case-1")["prefetch"]!.AsObject());
        using var host = JwtHost(fhir.BaseUrl);

        var response = await CallAsync(host, WithoutPrefetch(fhir.BaseUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty(fhir.Requests);
    }

    [Fact]
    public async Task A_FHIR_server_not_configured_for_the_issuer_is_never_called_and_the_answer_is_412()
    {
        await using var fhir = await FakeFhirServer.StartAsync(FhirExamples.HookRequest("seed-case-1")["prefetch"]!.AsObject());
        using var host = JwtHost("https://fhir.hospital.example.org/r4");

        var response = await CallAsync(host, WithoutPrefetch(fhir.BaseUrl));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Empty(fhir.Requests);
        Assert.Contains("not among the FHIR servers configured", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_configured_FHIR_servers_a_signed_call_reads_its_prefetch_only()
    {
        await using var fhir = await FakeFhirServer.StartAsync(FhirExamples.HookRequest("seed-case-1")["prefetch"]!.AsObject());
        using var host = JwtHost();

        var fetched = await CallAsync(host, WithoutPrefetch(fhir.BaseUrl));
        var complete = FhirExamples.HookRequest("seed-case-1").DeepClone().AsObject();
        complete["fhirServer"] = fhir.BaseUrl;
        var prefetched = await CallAsync(host, complete);

        Assert.Equal(HttpStatusCode.PreconditionFailed, fetched.StatusCode);
        Assert.Contains("no FHIR server is configured", await fetched.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, prefetched.StatusCode);
        Assert.Empty(fhir.Requests);
    }

    [Theory]
    [InlineData("https://ehr.example.org/fhir", "https://ehr.example.org/fhir", true)]
    [InlineData("https://ehr.example.org/fhir/", "https://ehr.example.org/fhir", true)]
    [InlineData("https://ehr.example.org/fhir/tenant-1", "https://ehr.example.org/fhir", true)]
    [InlineData("https://EHR.example.org/fhir", "https://ehr.example.org/fhir", true)]
    [InlineData("https://ehr.example.org/fhir-internal", "https://ehr.example.org/fhir", false)]
    [InlineData("https://ehr.example.org/admin", "https://ehr.example.org/fhir", false)]
    [InlineData("https://ehr.example.org:8443/fhir", "https://ehr.example.org/fhir", false)]
    [InlineData("http://ehr.example.org/fhir", "https://ehr.example.org/fhir", false)]
    [InlineData("https://ehr.example.org.attacker.net/fhir", "https://ehr.example.org/fhir", false)]
    [InlineData("https://169.254.169.254/latest", "https://ehr.example.org/fhir", false)]
    public void A_fhirServer_is_trusted_only_at_or_under_a_configured_base_on_the_same_origin(string fhirServer, string configured, bool trusted)
    {
        Assert.Equal(trusted, FhirServerTrust.IsUnder(new Uri(fhirServer), configured));
    }

    [Fact]
    public void Plain_http_is_refused_for_a_remote_FHIR_server_even_when_configured()
    {
        var options = new CdsAuthOptions
        {
            Mode = CdsAuthOptions.JwtMode,
            Issuers = [new TrustedIssuer { Issuer = "https://ehr.example.org", JwksFile = "k.json", FhirServers = ["http://ehr.example.org/fhir"] }],
        };

        Assert.Contains("https", FhirServerTrust.Refusal(options, "https://ehr.example.org", "http://ehr.example.org/fhir"), StringComparison.Ordinal);
        Assert.Contains("FhirServers:0", string.Join("\n", options.Validate()), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_development_mode_reads_any_http_server_the_developer_names()
    {
        Assert.Null(FhirServerTrust.Refusal(new CdsAuthOptions(), "local-development", "http://192.0.2.10:8080/fhir"));
    }
}
