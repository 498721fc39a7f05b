using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Cards;

namespace Herald.Server.Tests.Corpus;

/// <summary>What a case expects Herald to answer for its record: the native twin's decision, out of scope, or a refusal.</summary>
internal sealed record Expectation(string Kind, int Status = 200, IReadOnlyList<string>? Fields = null)
{
    public const string SameDecision = "same-decision";
    public const string OutOfScope = "out-of-scope";
    public const string Refusal = "refusal";

    public IReadOnlyList<string> RefusedFields => Fields ?? [];

    public override string ToString() => Kind == Refusal ? $"{Status} naming {string.Join(", ", RefusedFields)}" : Kind;

    /// <summary>"same-decision" | "out-of-scope" | {"status": 422, "fields": [...]}; null with a message when malformed.</summary>
    public static Expectation? Parse(JsonNode? node, out string? problem)
    {
        problem = null;
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text) && text is SameDecision or OutOfScope:
                return new Expectation(text);
            case JsonObject refusal when refusal["status"] is JsonValue status && status.TryGetValue<int>(out var code)
                                         && refusal["fields"] is JsonArray fields && fields.Count > 0
                                         && fields.All(f => f is JsonValue v && v.TryGetValue<string>(out _)):
                return new Expectation(Refusal, code, fields.Select(f => f!.GetValue<string>()).ToArray());
            default:
                problem = $"expect must be \"{SameDecision}\", \"{OutOfScope}\" or {{\"status\": 422, \"fields\": [...]}}, not {node?.ToJsonString() ?? "missing"}";
                return null;
        }
    }
}

/// <summary>
/// One case of the EHR corpus (tests/corpus/ehr/&lt;id&gt;/): a FHIR record (record.json, a Bundle) or a CDS Hooks
/// patient-view request (cds-hooks.json), the native patient a clinician would enter from the same chart (native.json)
/// and what Herald must answer (case.json).
/// </summary>
internal sealed record CorpusCase(
    string Id,
    string Description,
    DateOnly AsOf,
    Expectation Expect,
    Expectation CdsExpect,
    JsonObject? Record,
    JsonObject? HookRequest,
    JsonObject Native)
{
    public const string RecordFile = "record.json";
    public const string HookFile = "cds-hooks.json";
    public const string NativeFile = "native.json";
    public const string CaseFile = "case.json";

    public static string Root => Path.Combine(CardTestKit.RepositoryRoot, "tests", "corpus", "ehr");

    public static IReadOnlyList<string> Ids() =>
        Directory.GetDirectories(Root).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static CorpusCase Load(string id)
    {
        var problems = new List<string>();
        var loaded = TryLoad(id, problems);
        Assert.True(loaded is not null, $"{id}: {string.Join("; ", problems)}");
        return loaded!;
    }

    /// <summary>The case, or null with every problem of its files listed.</summary>
    public static CorpusCase? TryLoad(string id, List<string> problems)
    {
        var folder = Path.Combine(Root, id);
        var record = ReadObject(folder, RecordFile, problems, optional: true);
        var hook = ReadObject(folder, HookFile, problems, optional: true);
        var native = ReadObject(folder, NativeFile, problems, optional: false);
        var description = ReadObject(folder, CaseFile, problems, optional: false);
        if (File.Exists(Path.Combine(folder, RecordFile)) == File.Exists(Path.Combine(folder, HookFile)))
        {
            problems.Add($"needs exactly one of {RecordFile} and {HookFile}");
        }

        if (record is not null && (record["resourceType"]?.GetValue<string>() != "Bundle" || record["entry"] is not JsonArray))
        {
            problems.Add($"{RecordFile} is not a FHIR Bundle with entries");
        }

        if (hook is not null && (hook["hook"]?.GetValue<string>() != "patient-view" || hook["prefetch"] is not JsonObject
                                 || hook["context"]?["patientId"] is null))
        {
            problems.Add($"{HookFile} is not a patient-view request with context.patientId and prefetch");
        }

        if (description is null || native is null)
        {
            return null;
        }

        var text = description["description"] is JsonValue d && d.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
        if (text is null || description["shape"] is not JsonValue)
        {
            problems.Add($"{CaseFile} needs a description and a shape");
        }

        if (!DateOnly.TryParseExact(description["asOf"]?.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf))
        {
            problems.Add($"{CaseFile}: asOf must be a date yyyy-MM-dd");
        }

        var expect = Expectation.Parse(description["expect"], out var problem);
        if (problem is not null)
        {
            problems.Add($"{CaseFile}: {problem}");
        }

        var cdsExpect = description["cdsExpect"] is { } cds ? Expectation.Parse(cds, out problem) : expect;
        if (problem is not null)
        {
            problems.Add($"{CaseFile}: cdsExpect: {problem}");
        }

        return problems.Count > 0 ? null : new CorpusCase(id, text!, asOf, expect!, cdsExpect!, record, hook, native);
    }

    /// <summary>The id of the patient the case is about: the record's only Patient, else the native twin's id.</summary>
    public string PatientId
    {
        get
        {
            if (HookRequest is not null)
            {
                return HookRequest["context"]!["patientId"]!.GetValue<string>();
            }

            var patients = Record!["entry"]!.AsArray().Select(e => e?["resource"]).Where(r => r?["resourceType"]?.GetValue<string>() == "Patient").ToList();
            return patients.Count == 1 ? patients[0]!["id"]!.GetValue<string>() : Native["id"]!.GetValue<string>();
        }
    }

    public string AsOfText => AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public override string ToString() => Id;

    private static JsonObject? ReadObject(string folder, string name, List<string> problems, bool optional)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path))
        {
            if (!optional)
            {
                problems.Add($"{name} is missing");
            }

            return null;
        }

        try
        {
            if (JsonNode.Parse(File.ReadAllText(path)) is JsonObject json)
            {
                return json;
            }

            problems.Add($"{name} is not a JSON object");
        }
        catch (JsonException e)
        {
            problems.Add($"{name} is not JSON: {e.Message}");
        }

        return null;
    }
}
