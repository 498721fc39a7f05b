using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Security;
using Herald.Server.Tests.Audit;
using Herald.Server.Tests.Security;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// Two servers over one PostgreSQL, as replicas behind a load balancer, in JWT mode with the same trusted EHR: what one
/// has seen the other knows. A token used at one is a replay at the other; a record either writes is read at both; and
/// feedback sent to one attaches to the record the other wrote.
/// </summary>
[Collection(PostgresAuditCollection.Name)]
public sealed class ReplicaTests(PostgresTestDatabase database) : IAsyncLifetime
{
    private const string PublicBase = "https://herald.example.org";
    private const string Service = CdsServiceCatalog.PatientViewId;
    private const string ServiceAudience = $"{PublicBase}/cds-services/{Service}";
    private readonly TestTokens ehr = new();
    private HeraldHost replicaA = null!;
    private HeraldHost replicaB = null!;

    public async Task InitializeAsync()
    {
        var connection = await database.CreateEmptySchemaAsync();
        var jwks = ehr.WriteJwksFile();
        replicaA = Replica(connection, jwks);
        replicaB = Replica(connection, jwks);
    }

    public Task DisposeAsync()
    {
        replicaA.Dispose();
        replicaB.Dispose();
        ehr.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_token_accepted_by_one_replica_is_refused_by_the_other_as_replayed()
    {
        var token = ehr.Rs384(ServiceAudience, replicaA.Clock.GetUtcNow());

        var first = await Http.Post(replicaA.CreateClient(), "/cds-services/" + Service, Request(), token);
        var replay = await Http.Post(replicaB.CreateClient(), "/cds-services/" + Service, Request(), token);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("replayed-jti", (await Http.Body(replay))["code"]!.GetValue<string>());
        Assert.DoesNotContain("cards", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_replica_reports_the_shared_replay_cache_on_health()
    {
        foreach (var replica in new[] { replicaA, replicaB })
        {
            var health = await Http.Body(await replica.CreateClient().GetAsync("/health"));
            Assert.Equal("postgresql", health["replayCache"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Feedback_sent_to_one_replica_attaches_to_the_record_the_other_replica_wrote()
    {
        var now = replicaA.Clock.GetUtcNow();
        var request = Request();
        var answered = await Http.Post(replicaA.CreateClient(), "/cds-services/" + Service, request, ehr.Rs384(ServiceAudience, now));
        var auditId = answered.Headers.GetValues("X-Herald-Audit-Id").Single();
        var card = (await Http.Body(answered))["cards"]![0]!["uuid"]!.GetValue<string>();

        var sent = await Http.Post(replicaB.CreateClient(), $"/cds-services/{Service}/feedback", Overridden(card, now), ehr.Rs384(ServiceAudience, now));

        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var hookInstance = request["hookInstance"]!.GetValue<string>();
        foreach (var replica in new[] { replicaA, replicaB })
        {
            var audit = await Http.Body(await Http.Get(replica.CreateClient(), $"/audit?hookInstance={hookInstance}", ehr.Rs384($"{PublicBase}/audit", now)));
            var record = Assert.Single(audit["records"]!.AsArray())!;
            Assert.Equal(auditId, record["id"]!.GetValue<string>());
            var received = Assert.Single(record["feedback"]!.AsArray())!;
            Assert.Equal(card, received["card"]!.GetValue<string>());
            Assert.Equal("discussed at the tumour board", received["userComment"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Feedback_on_a_card_neither_replica_answered_is_refused_by_both()
    {
        var now = replicaA.Clock.GetUtcNow();
        await Http.Post(replicaA.CreateClient(), "/cds-services/" + Service, Request(), ehr.Rs384(ServiceAudience, now));
        var feedback = Overridden(Guid.NewGuid().ToString(), now);

        foreach (var replica in new[] { replicaA, replicaB })
        {
            var sent = await Http.Post(replica.CreateClient(), $"/cds-services/{Service}/feedback", feedback, ehr.Rs384(ServiceAudience, now));
            Assert.Equal(HttpStatusCode.NotFound, sent.StatusCode);
        }
    }

    private static HeraldHost Replica(string connection, string jwks) =>
        new(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Audit:ConnectionString"] = connection,
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = PublicBase,
            ["Herald:Auth:Issuers:0:Issuer"] = TestTokens.DefaultIssuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = jwks,
        });

    private static JsonObject Overridden(string card, DateTimeOffset now) => new()
    {
        ["feedback"] = new JsonArray(new JsonObject
        {
            ["card"] = card,
            ["outcome"] = "overridden",
            ["overrideReason"] = new JsonObject { ["userComment"] = "discussed at the tumour board" },
            ["outcomeTimestamp"] = now.ToString("O"),
        }),
    };

    private static JsonObject Request()
    {
        var request = FhirExamples.HookRequest("seed-case-1");
        request["hookInstance"] = Guid.NewGuid().ToString();
        return request;
    }
}
