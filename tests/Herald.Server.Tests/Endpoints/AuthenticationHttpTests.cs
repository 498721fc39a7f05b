using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Security;
using Herald.Server.Tests.Security;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// The server in JWT mode, as a hospital runs it: each service refuses every kind of bad token with 401 and a
/// reason code, accepts the EHR's signed token, and the audit trail is read per issuer.
/// </summary>
public sealed class AuthenticationHttpTests : IDisposable
{
    private const string PublicBase = "https://herald.example.org";
    private readonly TestTokens ehr = new();
    private readonly TestTokens otherEhr = new("https://other-ehr.example.org");
    private readonly HeraldHost host;

    public AuthenticationHttpTests()
    {
        host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = PublicBase,
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
            ["Herald:Auth:Issuers:1:Issuer"] = otherEhr.Issuer,
            ["Herald:Auth:Issuers:1:JwksFile"] = otherEhr.WriteJwksFile(),
        });
    }

    public static TheoryData<string, string> BadTokens()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in new[] { CdsServiceCatalog.PatientViewId, CdsServiceCatalog.OrderSignId })
        {
            foreach (var kind in new[] { "missing", "expired", "wrong-audience", "unknown-issuer", "replayed", "alg-none", "bad-signature" })
            {
                data.Add(service, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Each_bad_token_is_refused_with_401_and_its_reason(string service, string kind)
    {
        var audience = $"{PublicBase}/cds-services/{service}";
        var now = host.Clock.GetUtcNow();
        var client = host.CreateClient();
        string? token = kind switch
        {
            "missing" => null,
            "expired" => ehr.Rs384(audience, now.AddMinutes(-30)),
            "wrong-audience" => ehr.Rs384($"{PublicBase}/cds-services/another-service", now),
            "unknown-issuer" => new TestTokens("https://unknown.example.org").Rs384(audience, now),
            "alg-none" => ehr.Mint(TestTokens.Header("none", TestTokens.RsaKid), ehr.Claims(audience, now)),
            "bad-signature" => TestTokens.WithPayload(ehr.Rs384(audience, now), ehr.Claims(audience, now).Also(c => c["sub"] = "someone-else")),
            _ => ehr.Rs384(audience, now),
        };
        if (kind == "replayed")
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/cds-services/" + service, Request(service), token)).StatusCode);
        }

        var response = await Http.Post(client, "/cds-services/" + service, Request(service), token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var problem = await Http.Body(response);
        var expected = kind switch
        {
            "missing" => "missing-token",
            "replayed" => "replayed-jti",
            "bad-signature" => "invalid-signature",
            _ => kind,
        };
        Assert.Equal(expected, problem["code"]!.GetValue<string>());
        Assert.DoesNotContain("cards", problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CdsServiceCatalog.PatientViewId, "RS384")]
    [InlineData(CdsServiceCatalog.OrderSignId, "ES384")]
    public async Task A_signed_token_for_the_service_is_accepted(string service, string alg)
    {
        var audience = $"{PublicBase}/cds-services/{service}";
        var token = alg == "RS384" ? ehr.Rs384(audience, host.Clock.GetUtcNow()) : ehr.Es384(audience, host.Clock.GetUtcNow());

        var response = await Http.Post(host.CreateClient(), "/cds-services/" + service, Request(service), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await Http.Body(response))["cards"]);
    }

    [Fact]
    public async Task Discovery_and_health_stay_open()
    {
        var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/cds-services")).StatusCode);
        Assert.Equal("jwt", (await Http.Body(await client.GetAsync("/health")))["authentication"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_caller_reads_only_its_own_audit_records_and_gives_feedback_only_on_its_own_cards()
    {
        var client = host.CreateClient();
        var now = host.Clock.GetUtcNow();
        var service = CdsServiceCatalog.PatientViewId;
        var answer = await Http.Body(await Http.Post(client, "/cds-services/" + service, Request(service), ehr.Rs384($"{PublicBase}/cds-services/{service}", now)));

        var mine = await Http.Body(await Http.Get(client, "/audit", ehr.Rs384($"{PublicBase}/audit", now)));
        var theirs = await Http.Body(await Http.Get(client, "/audit", otherEhr.Rs384($"{PublicBase}/audit", now)));
        Assert.Equal(ehr.Issuer, mine["caller"]!.GetValue<string>());
        Assert.Equal(1, mine["count"]!.GetValue<int>());
        Assert.Equal(0, theirs["count"]!.GetValue<int>());

        var card = answer["cards"]![0]!["uuid"]!.GetValue<string>();
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = card,
                ["outcome"] = "overridden",
                ["overrideReason"] = new JsonObject { ["userComment"] = "not for this patient" },
                ["outcomeTimestamp"] = now.ToString("O"),
            }),
        };
        var feedbackAudience = $"{PublicBase}/cds-services/{service}";
        Assert.Equal(HttpStatusCode.NotFound, (await Http.Post(client, $"/cds-services/{service}/feedback", feedback, otherEhr.Rs384(feedbackAudience, now))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, $"/cds-services/{service}/feedback", feedback, ehr.Rs384(feedbackAudience, now))).StatusCode);
    }

    [Fact]
    public async Task The_REST_endpoint_needs_a_token_whose_audience_is_its_URL()
    {
        var client = host.CreateClient();
        var patient = JsonNode.Parse(File.ReadAllText(Path.Combine(Cards.CardTestKit.ExamplesDirectory, "seed-case-1.json")))!;
        var now = host.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.Post(client, "/api/recommendations", patient)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/recommendations?edition=current-seeds", patient, ehr.Rs384($"{PublicBase}/api/recommendations", now))).StatusCode);
    }

    public void Dispose()
    {
        host.Dispose();
        ehr.Dispose();
        otherEhr.Dispose();
    }

    private static JsonObject Request(string service)
    {
        var request = FhirExamples.HookRequest("seed-case-1");
        request["hookInstance"] = Guid.NewGuid().ToString();
        if (service == CdsServiceCatalog.OrderSignId)
        {
            request["hook"] = "order-sign";
            request["context"]!["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray() };
        }

        return request;
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}

/// <summary>In local-development mode (the embedded default) only loopback callers are served.</summary>
public sealed class LocalDevelopmentModeTests
{
    [Fact]
    public async Task A_caller_from_another_machine_is_refused_without_a_token()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), remoteAddress: IPAddress.Parse("10.1.2.3"));

        var response = await Http.Post(host.CreateClient(), "/cds-services/" + CdsServiceCatalog.PatientViewId, FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("loopback-only", (await Http.Body(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_says_the_server_runs_in_local_development_mode()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));

        var health = await Http.Body(await host.CreateClient().GetAsync("/health"));

        Assert.Equal("local-development", health["authentication"]!.GetValue<string>());
        Assert.Equal("ok", health["status"]!.GetValue<string>());
    }
}
