using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// Seed case 1 written the way an EHR writes it: one MedicationAdministration per drug per cycle instead of a
/// MedicationRequest per regimen. The RxNorm codes are those of the shipped example (examples/fhir/seed-case-1).
/// </summary>
internal static class EhrShapedRecords
{
    public const string PatientId = "seed-case-1";

    /// <summary>Six three-weekly cycles of four drugs before surgery (2016-09-05 to 2016-12-19).</summary>
    public static readonly (string Code, string Name)[] EarlyDrugs =
        [("72962", "docetaxel"), ("40048", "carboplatin"), ("224905", "trastuzumab"), ("1298944", "pertuzumab")];

    public const int EarlyCycles = 6;

    /// <summary>Trastuzumab emtansine every three weeks from 2019-10-07: 17 doses, the last on 2020-09-07.</summary>
    public const int TrastuzumabEmtansineDoses = 17;

    /// <summary>24 early doses, 17 of trastuzumab emtansine and one antiemetic given by text only.</summary>
    public const int AdministrationCount = 42;

    /// <summary>The restaging scan that found progression, three weeks after the last dose.</summary>
    public const string ProgressionDate = "2020-09-28";

    /// <summary>
    /// Seed case 1's CDS Hooks request with its medications as 42 administrations in date order (so a reader that
    /// stops after 25 keeps one dose of trastuzumab emtansine), and progression recorded on <see cref="ProgressionDate"/>.
    /// </summary>
    public static JsonObject TrastuzumabEmtansineProgressedRequest()
    {
        var request = FhirExamples.HookRequest(PatientId);
        var prefetch = request["prefetch"]!.AsObject();
        prefetch["medicationRequests"] = SearchSet([]);
        prefetch["medicationAdministrations"] = SearchSet(Administrations());

        // The progression the seed records on 2020-10-12 is dated to the scan after the last dose.
        foreach (var entry in prefetch["observations"]!["entry"]!.AsArray())
        {
            var resource = entry!["resource"]!;
            if (resource["id"]!.GetValue<string>() == "seed-case-1-status-2020-10-12")
            {
                resource["effectiveDateTime"] = ProgressionDate;
            }
        }

        return request;
    }

    public static List<JsonObject> Administrations()
    {
        var records = new List<JsonObject>();
        var early = new DateOnly(2016, 9, 5);
        for (var cycle = 0; cycle < EarlyCycles; cycle++)
        {
            foreach (var (code, name) in EarlyDrugs)
            {
                records.Add(Administration(records.Count + 1, early.AddDays(21 * cycle), Coded(code, name)));
            }
        }

        var tdm1 = new DateOnly(2019, 10, 7);
        for (var dose = 0; dose < TrastuzumabEmtansineDoses; dose++)
        {
            records.Add(Administration(records.Count + 1, tdm1.AddDays(21 * dose), Coded("1371041", "ado-trastuzumab emtansine")));
            if (dose == 0)
            {
                records.Add(Administration(records.Count + 1, tdm1, new JsonObject { ["text"] = "ondansetron 8 mg IV" }));
            }
        }

        return records;
    }

    public static JsonObject SearchSet(IEnumerable<JsonObject> resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "searchset",
        ["entry"] = new JsonArray(resources.Select(r => (JsonNode)new JsonObject
        {
            ["fullUrl"] = $"https://ehr.example.org/fhir/{r["resourceType"]}/{r["id"]}",
            ["resource"] = r,
            ["search"] = new JsonObject { ["mode"] = "match" },
        }).ToArray()),
    };

    private static JsonObject Administration(int n, DateOnly on, JsonObject medication) => new()
    {
        ["resourceType"] = "MedicationAdministration",
        ["id"] = $"ma-{n}",
        ["status"] = "completed",
        ["medicationCodeableConcept"] = medication,
        ["subject"] = new JsonObject { ["reference"] = $"Patient/{PatientId}" },
        ["effectiveDateTime"] = on.ToString("yyyy-MM-dd"),
    };

    private static JsonObject Coded(string code, string display) => new()
    {
        ["coding"] = new JsonArray(new JsonObject
        {
            ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm",
            ["code"] = code,
            ["display"] = display,
        }),
    };
}
