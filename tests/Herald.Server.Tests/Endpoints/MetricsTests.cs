using System.Net;
using System.Text.Json.Nodes;
using Herald.Audit;
using Herald.Core.Knowledge;
using Herald.Server.CdsHooks;
using Herald.Server.Endpoints;
using Herald.Server.Security;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// GET /metrics as an operations scraper sees it: each instrument appears once something is measured, labels are
/// service ids and route templates, and nothing of a patient, a call or a token is ever in it.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class MetricsTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string RequestDuration = "http_server_request_duration_seconds";

    [Fact]
    public async Task A_patient_view_call_appears_in_the_request_duration_histogram_under_its_service_id_and_route_template()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        var buckets = scrape.Series(RequestDuration + "_bucket", ("herald_service", CdsServiceCatalog.PatientViewId), ("http_route", "/cds-services/{id}"));
        Assert.NotEmpty(buckets);
        Assert.Equal(1, buckets.Single(b => b.Labels["le"] == "+Inf").Value);
        Assert.Equal(1, scrape.Value(RequestDuration + "_count",
            ("herald_service", CdsServiceCatalog.PatientViewId), ("http_response_status_code", "200"), ("http_request_method", "POST")));
    }

    [Fact]
    public async Task A_REST_call_is_labelled_with_its_route_template_and_a_page_request_with_its_own()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/recommendations", JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/examples/seed-case-1")).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal(1, scrape.Value(RequestDuration + "_count", ("http_route", "/api/recommendations"), ("herald_service", RecommendationEndpoints.Service)));
        Assert.Equal(1, scrape.Value(RequestDuration + "_count", ("http_route", "/api/examples/{id}")));
    }

    [Fact]
    public async Task Answers_are_counted_by_service_and_status()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-2"))).StatusCode);
        var noHook = FhirExamples.HookRequest("seed-case-1");
        noHook.Remove("hook");
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.Post(client, PatientView, noHook)).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal(2, scrape.Value("herald_answers_total", ("herald_service", CdsServiceCatalog.PatientViewId), ("http_response_status_code", "200")));
        Assert.Equal(1, scrape.Value("herald_answers_total", ("herald_service", CdsServiceCatalog.PatientViewId), ("http_response_status_code", "400")));
    }

    [Fact]
    public async Task An_answer_withheld_because_the_audit_trail_refused_it_is_counted_as_503()
    {
        var store = new FailingAuditStore { FailAppends = true };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(store);
        });
        var client = host.CreateClient();
        // The spool's place is taken by a file: neither the database nor the spool takes the record.
        var spool = host.Service<DurableAuditWriter>().SpoolDirectory;
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, recursive: true);
        }

        await File.WriteAllTextAsync(spool, "not a directory");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);
        Assert.Equal(1, scrape.Value("herald_answers_total", ("herald_service", CdsServiceCatalog.PatientViewId), ("http_response_status_code", "503")));
        Assert.Empty(scrape.Series("herald_answers_total", ("http_response_status_code", "200")));
    }

    [Fact]
    public async Task Decision_time_is_recorded_once_per_decision_and_labelled_with_the_edition()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        var knowledge = host.Service<KnowledgeBase>();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/comparison", JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!)).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        // The call decides under the default edition; the comparison once under every edition.
        foreach (var edition in knowledge.Editions)
        {
            var expected = edition.Id == knowledge.DefaultEdition.Id ? 2 : 1;
            Assert.Equal(expected, scrape.Value("herald_decision_duration_seconds_count", ("herald_edition", edition.Id)));
            Assert.Equal(expected, scrape.Value("herald_decision_duration_seconds_bucket", ("herald_edition", edition.Id), ("le", "+Inf")));
        }
    }

    [Fact]
    public async Task Each_audit_group_commit_is_timed_and_the_records_it_held_add_up_to_the_calls_answered()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        const int calls = 3;
        for (var i = 0; i < calls; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);
        }

        var scrape = await PrometheusText.ScrapeAsync(client);

        var commits = scrape.Value("herald_audit_commit_duration_seconds_count", ("herald_audit_outcome", "committed"));
        Assert.InRange(commits, 1, calls);
        Assert.Equal(commits, scrape.Value("herald_audit_commit_records_count"));
        Assert.Equal(calls, scrape.Value("herald_audit_commit_records_sum"));
        Assert.Empty(scrape.Series("herald_audit_commit_duration_seconds_count", ("herald_audit_outcome", "failed")));
    }

    [Fact]
    public async Task Spool_depth_shows_the_records_waiting_while_the_database_refuses_writes_and_the_failed_commit()
    {
        var store = new FailingAuditStore { FailAppends = true };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s =>
        {
            s.RemoveAll<IAuditStore>();
            s.AddSingleton<IAuditStore>(store);
        });
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-2"))).StatusCode);

        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal(2, scrape.Value("herald_audit_spool_depth"));
        Assert.Equal(0, scrape.Value("herald_audit_queue_depth"));
        // The first commit fails; the second call comes within the retry interval and goes straight to the spool.
        Assert.Equal(1, scrape.Value("herald_audit_commit_duration_seconds_count", ("herald_audit_outcome", "failed")));
    }

    [Fact]
    public async Task Metrics_are_open_to_a_remote_scraper_without_a_token_when_every_service_asks_for_one()
    {
        var ehr = new TestTokens();
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = "https://herald.example.org",
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        }, remoteAddress: IPAddress.Parse("10.20.30.40"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Replay_cache_size_counts_the_token_ids_remembered()
    {
        var ehr = new TestTokens();
        const string publicBase = "https://herald.example.org";
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = publicBase,
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        });
        var client = host.CreateClient();
        foreach (var seedCase in new[] { "seed-case-1", "seed-case-2" })
        {
            var token = ehr.Rs384($"{publicBase}{PatientView}", host.Clock.GetUtcNow());
            Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest(seedCase), token)).StatusCode);
        }

        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal(2, scrape.Value("herald_replay_cache_size"));
    }

    [Fact]
    public async Task A_scrape_is_neither_audited_nor_counted_among_the_requests()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);
        var writer = host.Service<DurableAuditWriter>();
        var before = writer.Health.Commits;

        await PrometheusText.ScrapeAsync(client);
        var scrape = await PrometheusText.ScrapeAsync(client);

        Assert.Equal(before, writer.Health.Commits);
        Assert.Single(await writer.QueryAsync(new AuditQuery(LocalDevelopmentPolicy.CallerName, Limit: 10)));
        Assert.Empty(scrape.Series(RequestDuration + "_count", ("http_route", "/metrics")));
        Assert.DoesNotContain("herald_service=\"/metrics\"", scrape.Body);
    }

    [Fact]
    public async Task Metrics_limited_to_the_operations_port_are_served_there_and_nowhere_else_whatever_the_Host_header_says()
    {
        const int operationsPort = 9464;
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?> { ["Herald:Metrics:Port"] = $"{operationsPort}" },
            services: s => s.AddSingleton<IStartupFilter>(new LocalPortFromHeader()));
        var client = host.CreateClient();

        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        spoofed.Headers.Host = $"herald.ops.internal:{operationsPort}";
        spoofed.Headers.Add(LocalPortFromHeader.Header, "8443");
        var elsewhere = await client.SendAsync(spoofed);
        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        scrape.Headers.Add(LocalPortFromHeader.Header, $"{operationsPort}");
        var operations = await client.SendAsync(scrape);

        Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode);
        Assert.DoesNotContain("herald_audit_spool_depth", await elsewhere.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, operations.StatusCode);
        Assert.Contains("herald_audit_spool_depth", await operations.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_can_be_switched_off_and_then_there_is_no_endpoint()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?> { ["Herald:Metrics:Enabled"] = "false" });
        var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, PatientView, FhirExamples.HookRequest("seed-case-1"))).StatusCode);

        var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("http_server_request_duration", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The in-memory server has no sockets: a test header stands for the local port the connection reached.</summary>
    private sealed class LocalPortFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Local-Port";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (int.TryParse(context.Request.Headers[Header], out var port))
                {
                    context.Connection.LocalPort = port;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
