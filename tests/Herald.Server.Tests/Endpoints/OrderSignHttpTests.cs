using Herald.Audit;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// The order-sign service end to end: seed case 1's prefetch, changed by adding FHIR resources, and draft
/// MedicationRequests coded in RxNorm (knowledge/agents.yaml). A card only when a checked agent is excluded.
/// </summary>
public sealed class OrderSignHttpTests
{
    private const string OrderSign = "/cds-services/" + CdsServiceCatalog.OrderSignId;
    private const string RxNorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
    private const string Patient = "seed-case-1";

    private static readonly Draft TrastuzumabDeruxtecan = new("draft-t-dxd", "2267582", "fam-trastuzumab deruxtecan");
    private static readonly Draft Trastuzumab = new("draft-trastuzumab", "224905", "trastuzumab");
    private static readonly Draft TrastuzumabEmtansine = new("draft-t-dm1", "1371041", "ado-trastuzumab emtansine");
    private static readonly Draft Paclitaxel = new("draft-paclitaxel", "56946", "paclitaxel");
    private static readonly Draft Tucatinib = new("draft-tucatinib", "2361285", "tucatinib");
    private static readonly Draft Capecitabine = new("draft-capecitabine", "194000", "capecitabine");
    private static readonly Draft Letrozole = new("draft-letrozole", "72965", "letrozole");

    [Fact]
    public async Task Trastuzumab_deruxtecan_with_interstitial_lung_disease_gives_a_critical_card_with_override_reasons()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        // Seed case 1 alone (a cough weighs against T-DXd but does not exclude it): no card.
        var without = await Cards(client, Request([TrastuzumabDeruxtecan, Letrozole]));
        Assert.Empty(without);

        var cards = await Cards(client, Request([TrastuzumabDeruxtecan, Letrozole], conditions: [InterstitialLungDisease()]));

        var card = Assert.Single(cards);
        Assert.Equal("critical", card["indicator"]!.GetValue<string>());
        Assert.StartsWith("Trastuzumab deruxtecan: excluded for this patient", Summary(card), StringComparison.Ordinal);
        Assert.Contains("lung-disease-excludes-trastuzumab-deruxtecan", card["detail"]!.GetValue<string>());
        Assert.Equal(
            ["benefit-outweighs-risk", "data-incorrect", "patient-informed-consent", "tumour-board-decision"],
            card["overrideReasons"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).Order());
        Assert.All(card["overrideReasons"]!.AsArray(), r =>
        {
            Assert.Equal(OrderSignCheck.OverrideReasonSystem, r!["system"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(r["display"]?.GetValue<string>()));
        });

        // Only the T-DXd draft is offered for removal, not the letrozole draft beside it.
        var actions = card["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()).ToList();
        var delete = Assert.Single(actions)!;
        Assert.Equal("delete", delete["type"]!.GetValue<string>());
        Assert.Equal("MedicationRequest/" + TrastuzumabDeruxtecan.Id, delete["resourceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Trastuzumab_with_an_LVEF_of_42_percent_gives_a_critical_card()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));

        var cards = await Cards(host.CreateClient(), Request([Trastuzumab], observations: [Lvef(42, "2020-10-20")]));

        var card = Assert.Single(cards);
        Assert.Equal("critical", card["indicator"]!.GetValue<string>());
        Assert.StartsWith("Trastuzumab: excluded for this patient", Summary(card), StringComparison.Ordinal);
        Assert.Contains("LVEF", Summary(card));
        Assert.Contains("42%", card["detail"]!.GetValue<string>());
        Assert.NotEmpty(card["overrideReasons"]!.AsArray());
    }

    [Fact]
    public async Task Trastuzumab_with_an_LVEF_of_60_percent_gives_no_card()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));

        var cards = await Cards(host.CreateClient(), Request([Trastuzumab], observations: [Lvef(60, "2020-10-20")]));

        Assert.Empty(cards);
    }

    [Fact]
    public async Task Trastuzumab_emtansine_after_progression_on_it_gives_a_warning_card()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));

        var cards = await Cards(host.CreateClient(), Request([TrastuzumabEmtansine]));

        var card = Assert.Single(cards);
        Assert.Equal("warning", card["indicator"]!.GetValue<string>());
        Assert.StartsWith("Trastuzumab emtansine: repeats line 1 (trastuzumab emtansine)", Summary(card), StringComparison.Ordinal);
        Assert.Equal("MedicationRequest/" + TrastuzumabEmtansine.Id, card["suggestions"]![0]!["actions"]![0]!["resourceId"]!.GetValue<string>());
        Assert.NotEmpty(card["overrideReasons"]!.AsArray());
    }

    [Fact]
    public async Task Paclitaxel_with_a_paclitaxel_allergy_gives_a_critical_card()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        Assert.Empty(await Cards(client, Request([Paclitaxel, Trastuzumab])));

        var cards = await Cards(client, Request([Paclitaxel, Trastuzumab], allergies: [PaclitaxelAllergy()]));

        var card = Assert.Single(cards);
        Assert.Equal("critical", card["indicator"]!.GetValue<string>());
        Assert.StartsWith("Paclitaxel: excluded for this patient — Recorded allergy", Summary(card), StringComparison.Ordinal);
        var removed = card["suggestions"]!.AsArray().SelectMany(s => s!["actions"]!.AsArray()).Select(a => a!["resourceId"]!.GetValue<string>());
        Assert.Equal(["MedicationRequest/" + Paclitaxel.Id], removed);
    }

    [Fact]
    public async Task The_tucatinib_regimen_Herald_ranks_first_for_seed_case_1_gives_no_card()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        // It truly is allowed: the patient-view answer ranks it first.
        var view = FhirExamples.HookRequest(Patient);
        var viewCards = (await Http.Body(await Http.Post(client, "/cds-services/" + CdsServiceCatalog.PatientViewId, view)))["cards"]!.AsArray();
        Assert.Contains(viewCards, c => Summary(c!.AsObject()).StartsWith("Rank 1: tucatinib + trastuzumab + capecitabine", StringComparison.OrdinalIgnoreCase));

        var cards = await Cards(client, Request([Tucatinib, Capecitabine, Trastuzumab]));

        Assert.Empty(cards);
    }

    [Fact]
    public async Task Letrozole_is_not_checked_even_for_a_patient_whom_every_exclusion_hits()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));

        var cards = await Cards(host.CreateClient(), Request(
            [Letrozole],
            conditions: [InterstitialLungDisease()],
            observations: [Lvef(42, "2020-10-20")],
            allergies: [PaclitaxelAllergy()]));

        Assert.Empty(cards);
    }

    [Fact]
    public async Task A_draft_of_an_unknown_antineoplastic_drug_gives_an_info_card_saying_it_was_not_checked()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();

        // "-tinib" is an antineoplastic stem (docs/fhir-mapping.md §5); the drug is not in the knowledge base.
        var unknown = new Draft("draft-pyrotinib", null, "pyrotinib");
        var cards = await Cards(client, Request([unknown]));

        var card = Assert.Single(cards);
        Assert.Equal("info", card["indicator"]!.GetValue<string>());
        Assert.Contains("could not check 1 draft order", Summary(card));
        Assert.Contains("pyrotinib", card["detail"]!.GetValue<string>());
        Assert.Contains("MedicationRequest/draft-pyrotinib", card["detail"]!.GetValue<string>());

        // An unknown drug with no antineoplastic sign is not Herald's concern.
        Assert.Empty(await Cards(client, Request([new Draft("draft-antiemetic", null, "ondansetron")])));
    }

    [Fact]
    public async Task The_call_is_audited_under_the_order_sign_hook_with_its_card_ids()
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn(Patient));
        var client = host.CreateClient();
        var request = Request([TrastuzumabEmtansine, TrastuzumabDeruxtecan], conditions: [InterstitialLungDisease()]);

        var response = await Http.Post(client, OrderSign, request);
        var answer = await Http.Body(response);

        var cardIds = answer["cards"]!.AsArray().Select(c => c!["uuid"]!.GetValue<string>()).ToList();
        Assert.Equal(2, cardIds.Count);
        var audit = await Http.Body(await client.GetAsync($"/audit?hookInstance={request["hookInstance"]!.GetValue<string>()}"));
        var record = Assert.Single(audit["records"]!.AsArray())!;
        Assert.Equal("order-sign", record["hook"]!.GetValue<string>());
        Assert.Equal(CdsServiceCatalog.OrderSignId, record["service"]!.GetValue<string>());
        Assert.Equal(Patient, record["patientId"]!.GetValue<string>());
        Assert.Equal(200, record["status"]!.GetValue<int>());
        Assert.Equal(response.Headers.GetValues("X-Herald-Audit-Id").Single(), record["id"]!.GetValue<string>());
        Assert.Equal(cardIds, record["cardIds"]!.AsArray().Select(c => c!.GetValue<string>()));
        // The record proves the answer by the digest of the bytes sent, and says what it decided.
        Assert.Equal(AuditDigest.Of(await response.Content.ReadAsByteArrayAsync()), record["outputDigest"]!.GetValue<string>());
        Assert.Equal(answer["cards"]!.AsArray().Select(c => c!["uuid"]!.GetValue<string>()), record["cardIds"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    private sealed record Draft(string Id, string? RxNormCode, string Name);

    private static string Summary(JsonObject card) => card["summary"]!.GetValue<string>();

    private static async Task<List<JsonObject>> Cards(HttpClient client, JsonObject request)
    {
        var response = await Http.Post(client, OrderSign, request);
        var body = await Http.Body(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["cards"]!.AsArray().Select(c => c!.AsObject()).ToList();
    }

    /// <summary>Seed case 1's request as an order-sign call, with extra resources in the prefetch and the drafts.</summary>
    private static JsonObject Request(
        IReadOnlyList<Draft> drafts,
        IReadOnlyList<JsonObject>? conditions = null,
        IReadOnlyList<JsonObject>? observations = null,
        IReadOnlyList<JsonObject>? allergies = null)
    {
        var request = FhirExamples.HookRequest(Patient);
        request["hook"] = "order-sign";
        request["hookInstance"] = Guid.NewGuid().ToString();
        request["context"]!["draftOrders"] = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(drafts.Select(d => (JsonNode)new JsonObject { ["resource"] = DraftOrder(d) }).ToArray()),
        };
        var prefetch = request["prefetch"]!.AsObject();
        AddTo(prefetch, "conditions", conditions);
        AddTo(prefetch, "observations", observations);
        AddTo(prefetch, "allergies", allergies);
        return request;
    }

    private static void AddTo(JsonObject prefetch, string key, IReadOnlyList<JsonObject>? resources)
    {
        if (resources is null)
        {
            return;
        }

        var bundle = prefetch[key]!.AsObject();
        if (bundle["entry"] is not JsonArray entries)
        {
            entries = [];
            bundle["entry"] = entries;
        }

        foreach (var resource in resources)
        {
            entries.Add(new JsonObject { ["resource"] = resource });
        }
    }

    private static JsonObject DraftOrder(Draft draft)
    {
        var concept = new JsonObject { ["text"] = draft.Name };
        if (draft.RxNormCode is { } code)
        {
            concept["coding"] = new JsonArray(new JsonObject { ["system"] = RxNorm, ["code"] = code, ["display"] = draft.Name });
        }

        return new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = draft.Id,
            ["status"] = "draft",
            ["intent"] = "order",
            ["medicationCodeableConcept"] = concept,
            ["subject"] = new JsonObject { ["reference"] = "Patient/" + Patient },
            ["authoredOn"] = "2020-10-26",
        };
    }

    internal static JsonObject InterstitialLungDisease() => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = "seed-case-1-ild",
        ["clinicalStatus"] = Coded("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
        ["verificationStatus"] = Coded("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed"),
        ["code"] = Coded("http://snomed.info/sct", "233703007", "Interstitial lung disease (disorder)"),
        ["subject"] = new JsonObject { ["reference"] = "Patient/" + Patient },
        ["onsetDateTime"] = "2020-08-03",
    };

    internal static JsonObject Lvef(int percent, string date) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = $"seed-case-1-lvef-{date}",
        ["status"] = "final",
        ["code"] = Coded("http://loinc.org", "10230-1", "Left ventricular Ejection fraction"),
        ["subject"] = new JsonObject { ["reference"] = "Patient/" + Patient },
        ["effectiveDateTime"] = date,
        ["valueQuantity"] = new JsonObject { ["value"] = percent, ["unit"] = "%", ["system"] = "http://unitsofmeasure.org", ["code"] = "%" },
    };

    internal static JsonObject PaclitaxelAllergy() => new()
    {
        ["resourceType"] = "AllergyIntolerance",
        ["id"] = "seed-case-1-paclitaxel-allergy",
        ["clinicalStatus"] = Coded("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "active"),
        ["verificationStatus"] = Coded("http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "confirmed"),
        ["code"] = Coded(RxNorm, "56946", "paclitaxel"),
        ["patient"] = new JsonObject { ["reference"] = "Patient/" + Patient },
        ["reaction"] = new JsonArray(new JsonObject
        {
            ["manifestation"] = new JsonArray(new JsonObject { ["text"] = "Hypersensitivity reaction" }),
        }),
    };

    private static JsonObject Coded(string system, string code, string? display = null)
    {
        var coding = new JsonObject { ["system"] = system, ["code"] = code };
        if (display is not null)
        {
            coding["display"] = display;
        }

        return new JsonObject { ["coding"] = new JsonArray(coding) };
    }
}
