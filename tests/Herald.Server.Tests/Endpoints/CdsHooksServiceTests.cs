using Herald.Audit;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>The two CDS Hooks services end to end: FHIR prefetch in, cards out, every call audited.</summary>
public sealed class CdsHooksServiceTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;

    [Fact]
    public async Task Discovery_lists_both_services_with_their_hooks_and_prefetch_templates()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var body = await Http.Body(await host.CreateClient().GetAsync("/cds-services"));

        var services = body["services"]!.AsArray();
        Assert.Equal(["herald-order-sign", "herald-patient-view"], services.Select(s => s!["id"]!.GetValue<string>()).Order());
        var patientView = services.Single(s => s!["id"]!.GetValue<string>() == "herald-patient-view")!;
        Assert.Equal("patient-view", patientView["hook"]!.GetValue<string>());
        var prefetch = patientView["prefetch"]!.AsObject();
        Assert.Equal(
            ["allergies", "conditions", "laboratoryObservations", "medicationAdministrations", "medicationRequests", "medicationStatements", "observations", "patient", "procedures"],
            prefetch.Select(p => p.Key).Order());
        Assert.Equal("Patient/{{context.patientId}}", prefetch["patient"]!.GetValue<string>());
        Assert.Contains("http://loinc.org|48676-1", prefetch["observations"]!.GetValue<string>());
        Assert.Equal("order-sign", services.Single(s => s!["id"]!.GetValue<string>() == "herald-order-sign")!["hook"]!.GetValue<string>());
    }

    [Fact]
    public async Task Seed_case_1_puts_the_tucatinib_regimen_first_and_carries_the_cough_caution_on_trastuzumab_deruxtecan()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var response = await Http.Post(host.CreateClient(), PatientView, FhirExamples.HookRequest("seed-case-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cards = (await Http.Body(response))["cards"]!.AsArray().Select(c => c!.AsObject()).ToList();
        var regimens = cards.Where(c => Summary(c).StartsWith("Rank ", StringComparison.Ordinal)).ToList();
        Assert.Contains("tucatinib", Summary(regimens[0]));
        Assert.StartsWith("Rank 1", Summary(regimens[0]));
        var deruxtecan = regimens.Single(c => Summary(c).Contains("trastuzumab deruxtecan", StringComparison.Ordinal));
        Assert.Contains("cough", deruxtecan["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.True(regimens.IndexOf(deruxtecan) > 0);

        // Every card: a summary under 140 characters, Herald and the edition named as the source.
        Assert.All(cards, c => Assert.True(Summary(c).Length < 140, Summary(c)));
        Assert.All(regimens, c => Assert.Contains("Herald", c["source"]!["label"]!.GetValue<string>()));
        Assert.Contains(cards, c => c["indicator"]!.GetValue<string>() == "info" && !Summary(c).StartsWith("Rank ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Seed_case_2_offers_both_the_tucatinib_regimen_and_trastuzumab_deruxtecan_at_rank_1()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var response = await Http.Post(host.CreateClient(), PatientView, FhirExamples.HookRequest("seed-case-2"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summaries = (await Http.Body(response))["cards"]!.AsArray().Select(c => Summary(c!.AsObject())).ToList();
        Assert.Contains(summaries, s => s.StartsWith("Rank 1 (tied)", StringComparison.Ordinal) && s.Contains("tucatinib", StringComparison.Ordinal));
        Assert.Contains(summaries, s => s.StartsWith("Rank 1 (tied)", StringComparison.Ordinal) && s.Contains("trastuzumab deruxtecan", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_regimen_card_proposes_a_draft_MedicationRequest_coded_in_RxNorm()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var body = await Http.Body(await Http.Post(host.CreateClient(), PatientView, FhirExamples.HookRequest("seed-case-1")));

        var first = body["cards"]!.AsArray().First(c => Summary(c!.AsObject()).StartsWith("Rank 1", StringComparison.Ordinal))!;
        var resources = first["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()).Select(a => a!["resource"]!).ToList();
        Assert.NotEmpty(resources);
        Assert.All(resources, r =>
        {
            Assert.Equal("MedicationRequest", r["resourceType"]!.GetValue<string>());
            Assert.Equal("proposal", r["intent"]!.GetValue<string>());
        });
        var codes = resources.SelectMany(r => r["medicationCodeableConcept"]!["coding"]?.AsArray() ?? []).ToList();
        Assert.Contains(codes, c => c!["system"]!.GetValue<string>() == "http://www.nlm.nih.gov/research/umls/rxnorm" && c["code"]!.GetValue<string>() == "2361285");
    }

    [Fact]
    public async Task Every_call_is_audited_with_hook_instance_patient_the_digests_of_input_and_answer_its_summary_and_card_ids()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var client = host.CreateClient();
        var request = FhirExamples.HookRequest("seed-case-2");
        var response = await Http.Post(client, PatientView, request);
        var answer = await Http.Body(response);

        var audit = await Http.Body(await client.GetAsync($"/audit?hookInstance={request["hookInstance"]!.GetValue<string>()}"));
        var record = Assert.Single(audit["records"]!.AsArray())!;
        Assert.Equal("patient-view", record["hook"]!.GetValue<string>());
        Assert.Equal(CdsServiceCatalog.PatientViewId, record["service"]!.GetValue<string>());
        Assert.Equal(request["context"]!["patientId"]!.GetValue<string>(), record["patientId"]!.GetValue<string>());
        Assert.Equal("current-seeds", record["edition"]!.GetValue<string>());
        Assert.Equal(200, record["status"]!.GetValue<int>());
        Assert.Matches("^[0-9a-f]{64}$", record["inputDigest"]!.GetValue<string>());
        Assert.True(record["latencyMs"]!.GetValue<double>() > 0);
        Assert.Equal(answer["cards"]!.AsArray().Select(c => c!["uuid"]!.GetValue<string>()), record["cardIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(AuditDigest.Of(await response.Content.ReadAsByteArrayAsync()), record["outputDigest"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(record["knowledgeBaseVersion"]!.GetValue<string>()));
        Assert.NotNull(record["summary"]!["decisionPoint"]);
    }

    [Fact]
    public async Task Feedback_on_a_card_is_recorded_against_the_answer_that_produced_it()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var client = host.CreateClient();
        var request = FhirExamples.HookRequest("seed-case-1");
        var answer = await Http.Body(await Http.Post(client, PatientView, request));
        var cardIds = answer["cards"]!.AsArray().Select(c => c!["uuid"]!.GetValue<string>()).ToList();
        var proposal = answer["cards"]!.AsArray().First(c => c!["suggestions"] is not null)!;
        var suggestion = proposal["suggestions"]![0]!["uuid"]!.GetValue<string>();

        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(
                new JsonObject
                {
                    ["card"] = proposal["uuid"]!.GetValue<string>(),
                    ["outcome"] = "accepted",
                    ["acceptedSuggestions"] = new JsonArray(new JsonObject { ["id"] = suggestion }),
                    ["outcomeTimestamp"] = "2020-10-26T10:00:00Z",
                },
                new JsonObject
                {
                    ["card"] = cardIds[0],
                    ["outcome"] = "overridden",
                    ["overrideReason"] = new JsonObject
                    {
                        ["reason"] = new JsonObject { ["system"] = "https://example.org/reasons", ["code"] = "tumour-board-decision", ["display"] = "Tumour board decision" },
                        ["userComment"] = "Discussed at the board",
                    },
                    ["outcomeTimestamp"] = "2020-10-26T10:01:00Z",
                }),
        };
        var sent = await Http.Post(client, PatientView + "/feedback", feedback);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);

        var record = (await Http.Body(await client.GetAsync($"/audit?hookInstance={request["hookInstance"]!.GetValue<string>()}")))["records"]![0]!;
        var received = record["feedback"]!.AsArray();
        Assert.Equal(2, received.Count);
        var overridden = received.Single(f => f!["outcome"]!.GetValue<string>() == "overridden")!;
        var accepted = received.Single(f => f!["outcome"]!.GetValue<string>() == "accepted")!;
        Assert.Equal(suggestion, accepted["acceptedSuggestions"]![0]!.GetValue<string>());
        Assert.Equal(cardIds[0], overridden["card"]!.GetValue<string>());
        Assert.Equal("tumour-board-decision", overridden["overrideReason"]!["code"]!.GetValue<string>());
        Assert.Equal("Discussed at the board", overridden["userComment"]!.GetValue<string>());
    }

    [Fact]
    public async Task Feedback_on_an_unknown_card_is_404()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var feedback = new JsonObject
        {
            ["feedback"] = new JsonArray(new JsonObject
            {
                ["card"] = Guid.NewGuid().ToString(),
                ["outcome"] = "overridden",
                ["overrideReason"] = new JsonObject { ["userComment"] = "not relevant" },
                ["outcomeTimestamp"] = "2026-11-21T10:00:00Z",
            }),
        };

        var response = await Http.Post(host.CreateClient(), PatientView + "/feedback", feedback);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static string Summary(JsonObject card) => card["summary"]!.GetValue<string>();
}
