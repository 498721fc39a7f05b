using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// Records shaped the way EHRs write them decide over REST and over CDS Hooks as their native twin does: facts the
/// record leaves unsaid are inferred and stated, or left unknown and asked for, never refused outright.
/// </summary>
public sealed class EhrRecordTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string Icd10 = "http://hl7.org/fhir/sid/icd-10-cm";
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";

    private const string HookInstance = "0e0a6a3c-1d0c-4b47-9b7c-7d1f8f2f6a10";

    private static readonly DateOnly AsOf = new(2024, 3, 20);

    [Fact]
    public async Task Metastases_two_months_after_diagnosis_without_curative_treatment_decide_first_line_and_say_it_was_inferred()
    {
        var record = Record();

        var (rest, cards) = await DecideBothWays(record);
        var native = await DecideNative(Twin());

        Assert.Equal(Summary(native), Summary(rest));
        Assert.Equal("first-line", rest["decisionPoint"]!["kind"]!.GetValue<string>());
        Assert.StartsWith("Read as de novo: metastases diagnosed 2024-03-05, 1 month after the breast cancer", Rationale(rest)[0]);
        var decisionPoint = cards.Single(c => Topic(c) == "decision-point");
        Assert.Contains("Read as de novo", decisionPoint["detail"]!.GetValue<string>());
        AssertRegimenCardsFollow(rest, cards);
    }

    [Fact]
    public async Task A_brain_metastasis_recorded_nine_days_ago_without_a_status_is_read_as_new_and_the_decision_is_made()
    {
        var record = Record(Condition("brain", Icd10, "C79.31", "Secondary malignant neoplasm of brain", "2024-03-11"));
        var twin = Twin();
        twin["disease"]!["brain"] = new JsonObject { ["status"] = "new" };

        var (rest, cards) = await DecideBothWays(record);
        var native = await DecideNative(twin);

        Assert.Equal(Summary(native), Summary(rest));
        Assert.Contains(Rationale(rest), r => r.StartsWith("Read as new brain metastases: first recorded 2024-03-11 (9 days before", StringComparison.Ordinal));
        AssertRegimenCardsFollow(rest, cards);
    }

    [Fact]
    public async Task Ihc_2_plus_with_an_ish_result_coded_positive_is_her2_positive_over_both_channels()
    {
        var record = Record(her2:
        [
            Observation("ihc", Loinc, "85319-2", "2024-02-20", "valueString", JsonValue.Create("2+")!),
            Observation("ish", Loinc, "85318-4", "2024-02-24", "valueCodeableConcept", Concept(Snomed, "10828004", "Positive")),
        ]);

        var (rest, cards) = await DecideBothWays(record);

        Assert.Equal("first-line", rest["decisionPoint"]!["kind"]!.GetValue<string>());
        Assert.NotEmpty(rest["recommendations"]!.AsArray());
        AssertRegimenCardsFollow(rest, cards);
    }

    [Fact]
    public async Task A_her2_result_that_cannot_be_read_is_named_in_the_request_for_her2()
    {
        var record = Record(her2: [Observation("her2", Loinc, "48676-1", "2024-02-20", "valueString", JsonValue.Create("see scanned report")!)]);

        var (rest, cards) = await DecideBothWays(record);

        var request = rest["missingData"]!.AsArray().Single(m => m!["field"]!.GetValue<string>() == "receptors.her2")!["request"]!.GetValue<string>();
        Assert.Contains("A HER2 result was found but could not be read: 'see scanned report' (Observation/her2).", request);
        Assert.Contains("A HER2 result was found but could not be read", cards.Single(c => Topic(c) == "missing-data")["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_her2_negative_patient_is_answered_out_of_scope_not_refused()
    {
        var record = Record(her2: [Observation("her2", Loinc, "48676-1", "2024-02-20", "valueCodeableConcept", Concept(Loinc, "LA6577-6", "Negative"))]);

        var (rest, cards) = await DecideBothWays(record);

        Assert.Equal("out-of-scope", rest["decisionPoint"]!["kind"]!.GetValue<string>());
        Assert.Contains(cards, c => Topic(c) == "no-options" && c["summary"]!.GetValue<string>().Contains("not HER2-positive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_patient_without_metastases_is_answered_out_of_scope_not_refused()
    {
        var record = Record();
        var entries = record["entry"]!.AsArray();
        entries.Remove(entries.Single(e => e!["resource"]!["id"]?.GetValue<string>() == "liver"));

        var (rest, cards) = await DecideBothWays(record);

        Assert.Equal("out-of-scope", rest["decisionPoint"]!["kind"]!.GetValue<string>());
        Assert.StartsWith("Read as not metastatic", Rationale(rest)[0]);
        Assert.Contains(cards, c => Topic(c) == "no-options");
    }

    [Fact]
    public async Task Mapping_notes_about_the_whole_record_carry_no_empty_source()
    {
        var (rest, _) = await DecideBothWays(Record());

        Assert.All(rest["fhirMapping"]!["notes"]!.AsArray(), n => Assert.NotEqual("", n!["source"]?.GetValue<string>()));
    }

    // ---- the record and its twin ----

    /// <summary>A de novo HER2-positive patient as an EHR exports her: ICD-10-CM conditions, text results, no staging.</summary>
    private static JsonObject Record(JsonObject? extra = null, JsonObject[]? her2 = null)
    {
        var resources = new List<JsonObject>
        {
            new() { ["resourceType"] = "Patient", ["id"] = "p1", ["birthDate"] = "1970-02-01", ["gender"] = "female" },
            Condition("primary", Icd10, "C50.911", "Malignant neoplasm of unspecified site of right female breast", "2024-01-10"),
            Condition("liver", Icd10, "C78.7", "Secondary malignant neoplasm of liver", "2024-03-05"),
            Condition("htn", Snomed, "38341003", "Hypertensive disorder", "2015-05-01"),
            Observation("er", Loinc, "85337-4", "2024-01-15", "valueString", JsonValue.Create("Negative (0%)")!),
            Observation("pr", Loinc, "85339-0", "2024-01-15", "valueString", JsonValue.Create("Negative")!),
            Observation("lvef", Loinc, "18043-0", "2024-03-01", "valueQuantity", new JsonObject { ["value"] = 62, ["unit"] = "%" }),
            Observation("ecog", Loinc, "89247-1", "2024-03-01", "valueInteger", JsonValue.Create(1)!),
            Observation("hb", Loinc, "718-7", "2024-03-01", "valueQuantity", new JsonObject { ["value"] = 12.1, ["unit"] = "g/dL" }),
        };
        resources.AddRange(her2 ?? [Observation("her2", Loinc, "18474-7", "2024-01-15", "valueString", JsonValue.Create("3+ (positive)")!)]);
        if (extra is not null)
        {
            resources.Add(extra);
        }

        return new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
            {
                ["fullUrl"] = $"urn:uuid:{new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(r["id"]!.GetValue<string>())))}",
                ["resource"] = r,
            }).ToArray()),
        };
    }

    private static JsonObject Twin() => new()
    {
        ["id"] = "p1",
        ["assessmentDate"] = AsOf.ToString("yyyy-MM-dd"),
        ["age"] = 54,
        ["sex"] = "female",
        ["receptors"] = new JsonObject { ["her2"] = new JsonObject { ["ihc"] = "3+", ["status"] = "positive", ["date"] = "2024-01-15" }, ["er"] = "negative", ["pr"] = "negative" },
        ["presentation"] = new JsonObject { ["type"] = "de-novo", ["initialDiagnosisDate"] = "2024-01-10", ["metastaticDiagnosisDate"] = "2024-03-05" },
        ["disease"] = new JsonObject { ["sites"] = new JsonArray("liver") },
        ["ecog"] = 1,
        ["lvef"] = new JsonObject { ["percent"] = 62, ["date"] = "2024-03-01" },
        ["otherComorbidities"] = new JsonArray("Hypertensive disorder"),
    };

    private static JsonObject Condition(string id, string system, string code, string display, string onset) => new()
    {
        ["resourceType"] = "Condition",
        ["id"] = id,
        ["clinicalStatus"] = Concept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null),
        ["code"] = Concept(system, code, display),
        ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
        ["onsetDateTime"] = onset,
    };

    private static JsonObject Observation(string id, string system, string code, string date, string valueKey, JsonNode value) => new()
    {
        ["resourceType"] = "Observation",
        ["id"] = id,
        ["status"] = "final",
        ["code"] = Concept(system, code, null),
        ["subject"] = new JsonObject { ["reference"] = "Patient/p1" },
        ["effectiveDateTime"] = date,
        [valueKey] = value,
    };

    private static JsonObject Concept(string system, string code, string? display) =>
        new() { ["coding"] = new JsonArray(new JsonObject { ["system"] = system, ["code"] = code, ["display"] = display }) };

    // ---- deciding and comparing ----

    private static async Task<(JsonNode Answer, IReadOnlyList<JsonObject> Cards)> DecideBothWays(JsonObject record)
    {
        using var host = new HeraldHost(AsOf);
        var client = host.CreateClient();
        var rest = await Http.Post(client, "/api/recommendations", record, mediaType: "application/fhir+json");
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var hook = await Http.Post(client, PatientView, HookRequest(record));
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        var cards = (await Http.Body(hook))["cards"]!.AsArray().Select(c => c!.AsObject()).ToList();
        return (await Http.Body(rest), cards);
    }

    private static async Task<JsonNode> DecideNative(JsonObject twin)
    {
        using var host = new HeraldHost(AsOf);
        var response = await Http.Post(host.CreateClient(), "/api/recommendations", twin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Http.Body(response);
    }

    /// <summary>A patient-view request whose prefetch is what an EHR returns for the discovery templates (the corpus's builder).</summary>
    private static JsonObject HookRequest(JsonObject record) => new()
    {
        ["hook"] = "patient-view",
        ["hookInstance"] = HookInstance,
        ["context"] = new JsonObject { ["userId"] = "Practitioner/1", ["patientId"] = "p1" },
        ["prefetch"] = Corpus.EhrPrefetch.Build(record, "p1", CdsServiceCatalog.PatientView.Prefetch!),
    };

    private static string Summary(JsonNode decision) =>
        $"{decision["decisionPoint"]!["kind"]} line {decision["decisionPoint"]!["line"]}: "
        + string.Join(", ", decision["recommendations"]!.AsArray().Select(r => $"{r!["rank"]} {r["regimen"]!["id"]}"))
        + " | excluded " + string.Join(", ", decision["excluded"]!.AsArray().Select(v => v!["regimen"]!["id"]!.GetValue<string>()));

    private static List<string> Rationale(JsonNode decision) =>
        decision["decisionPoint"]!["rationale"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();

    private static string? Topic(JsonObject card) => card["source"]?["topic"]?["code"]?.GetValue<string>();

    // The regimen cards are the REST answer's recommendations, in order (card ids derive from the regimen ids).
    private static void AssertRegimenCardsFollow(JsonNode rest, IReadOnlyList<JsonObject> cards)
    {
        var expected = rest["recommendations"]!.AsArray()
            .Select((r, i) => CardIds.For(HookInstance, PatientViewCards.Keys.Regimen(i, r!["regimen"]!["id"]!.GetValue<string>())))
            .ToList();
        Assert.Equal(expected, cards.Where(c => Topic(c) == "treatment-option").Select(c => c["uuid"]!.GetValue<string>()).ToList());
    }
}
