using Herald.Contracts.Patients;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using static Herald.Tests.Contracts.PatientJson;

namespace Herald.Tests.Contracts;

/// <summary>docs/patient.schema.json against the reader and the shipped examples.</summary>
public sealed class PatientSchemaTests
{
    private static readonly Lazy<JsonSchema> LazySchema = new(() =>
        JsonSchema.FromText(File.ReadAllText(SchemaPath), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    private static readonly Lazy<JsonObject> LazyDocument = new(() => JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject());

    private static string SchemaPath => Path.Combine(RepositoryRoot, "docs", "patient.schema.json");

    /// <summary>The schema as written, to walk its objects and words.</summary>
    internal static JsonObject Schema => LazyDocument.Value;

    /// <summary>Every failed keyword (JsonSchema.Net, draft-07), as "instance location: keyword"; empty when the JSON is valid.</summary>
    private static List<string> Validate(string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = LazySchema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });

        // The list also holds what failed inside a oneOf branch that did not apply; only an invalid result has faults.
        return results.IsValid ? [] : [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Keys.Select(keyword => $"{d.InstanceLocation}: {keyword}"))];
    }

    private static string[] Examples()
    {
        var directory = Path.Combine(RepositoryRoot, "examples");
        var files = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).ToArray()
            : [];

        // An empty folder must fail, not pass vacuously.
        Assert.True(files.Length > 0, $"No examples found in {directory}.");
        return files;
    }

    [Fact]
    public void Every_example_validates_against_the_schema()
    {
        var failures = new List<string>();
        foreach (var file in Examples())
        {
            failures.AddRange(Validate(File.ReadAllText(file)).Select(e => $"{Path.GetFileName(file)}: {e}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Every_example_is_read_without_errors()
    {
        // Today's date, as the CLI would use: an example must not be dated in the future.
        var today = DateOnly.FromDateTime(DateTime.Now);
        var failures = new List<string>();
        foreach (var file in Examples())
        {
            var result = PatientJsonReader.Read(File.ReadAllText(file), Kb, today);
            if (!result.IsValid)
            {
                failures.Add($"{Path.GetFileName(file)}: {result.Describe()}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_example_in_the_documentation_is_valid()
    {
        var markdown = File.ReadAllText(Path.Combine(RepositoryRoot, "docs", "patient-input.md")).ReplaceLineEndings("\n");
        const string Fence = "```json\n";
        var start = markdown.IndexOf(Fence, StringComparison.Ordinal) + Fence.Length;
        var example = markdown[start..markdown.IndexOf("```", start, StringComparison.Ordinal)];

        Assert.Empty(Validate(example));
        var result = Read(example);
        Assert.True(result.IsValid, result.Describe());
    }

    [Fact]
    public void The_test_patients_validate_against_the_schema()
    {
        Assert.Empty(Validate(Valid));
        Assert.Empty(Validate(FirstLine));
    }

    public static TheoryData<string, string> BrokenPatients => new()
    {
        { "stop without stopReason (draft-07 dependencies)", """{ "metastaticRegimens": [{ "agents": ["trastuzumab"], "start": "2023-02-01", "stop": "2023-08-01" }] }""" },
        { "unknown property", """{ "weight": 70 }""" },
        { "enum", """{ "receptors": { "her2": { "ihc": "5+" } } }""" },
        { "range", """{ "lvef": { "percent": 150, "date": "2024-05-01" } }""" },
        { "type", """{ "age": "54" }""" },
        { "date form", """{ "presentation": { "type": "de-novo", "metastaticDiagnosisDate": "2024/01/01" } }""" },
        { "no agents", """{ "metastaticRegimens": [{ "agents": [], "start": "2023-02-01" }] }""" },
        { "brain lesion count zero", """{ "disease": { "brain": { "lesionCount": 0 } } }""" },
    };

    [Theory]
    [MemberData(nameof(BrokenPatients))]
    public void Schema_and_reader_both_reject_what_the_schema_can_express(string problem, string change)
    {
        var patient = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        foreach (var (name, value) in System.Text.Json.Nodes.JsonNode.Parse(change)!.AsObject().ToArray())
        {
            patient[name] = value?.DeepClone();
        }

        var json = patient.ToJsonString();
        Assert.True(Validate(json).Count > 0, $"the schema accepts: {problem}");
        Assert.False(Read(json).IsValid, $"the reader accepts: {problem}");
    }

    [Fact]
    public void Schema_and_reader_accept_the_same_properties_at_every_level()
    {
        var schemaObjects = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        CollectObjects(Schema, "", schemaObjects);
        var readerObjects = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var shape in PatientJsonShape.Objects)
        {
            readerObjects[shape.Path] = shape.Properties.Order(StringComparer.Ordinal).ToArray();
        }

        Assert.Equal(readerObjects.Keys, schemaObjects.Keys);
        foreach (var (path, properties) in readerObjects)
        {
            Assert.True(
                properties.SequenceEqual(schemaObjects[path]),
                $"'{path}': reader accepts [{string.Join(", ", properties)}], schema lists [{string.Join(", ", schemaObjects[path])}]");
        }
    }

    [Fact]
    public void Every_schema_object_forbids_other_properties_and_every_property_is_described()
    {
        var objects = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        CollectObjects(Schema, "", objects);
        foreach (var path in objects.Keys)
        {
            var schema = At(path);
            Assert.True(schema["additionalProperties"] is JsonValue closed && closed.GetValueKind() == JsonValueKind.False,
                $"'{path}' must set additionalProperties: false");
            foreach (var (name, property) in schema["properties"]!.AsObject())
            {
                Assert.False(string.IsNullOrWhiteSpace(property?["description"]?.GetValue<string>()), $"'{path}.{name}' has no description");
            }
        }
    }

    public static TheoryData<string, string[]> Vocabularies => new()
    {
        { "sex", [.. PatientVocabulary.Sex.Accepted] },
        { "menopausalStatus", [.. PatientVocabulary.MenopausalStatus.Accepted] },
        { "receptors.her2.ihc", [.. PatientVocabulary.Ihc.Accepted] },
        { "receptors.her2.ish", [.. PatientVocabulary.Ish.Accepted] },
        { "receptors.her2.status", [.. PatientVocabulary.Her2Status.Accepted] },
        { "receptors.her2.specimen", [.. PatientVocabulary.Specimen.Accepted] },
        { "receptors.er", [.. PatientVocabulary.HormoneReceptor.Accepted] },
        { "receptors.pr", [.. PatientVocabulary.HormoneReceptor.Accepted] },
        { "presentation.type", [.. PatientVocabulary.PresentationType.Accepted] },
        { "disease.sites[]", [.. PatientVocabulary.Site.Accepted] },
        { "disease.brain.status", [.. PatientVocabulary.BrainStatus.Accepted] },
        { "disease.burden", [.. PatientVocabulary.Burden.Accepted] },
        { "disease.extracranialStatus", [.. PatientVocabulary.Extracranial.Accepted] },
        { "comorbidities[]", [.. PatientVocabulary.Comorbidity.Accepted] },
        { "symptoms[]", [.. PatientVocabulary.Symptom.Accepted] },
        { "symptoms[].symptom", [.. PatientVocabulary.Symptom.Accepted] },
        { "pregnancy", [.. PatientVocabulary.Pregnancy.Accepted] },
        { "metastaticRegimens[].toxicity", [.. PatientVocabulary.Toxicity.Accepted] },
        { "earlyDisease.regimens[].setting", [.. PatientVocabulary.EarlySetting.Accepted] },
        { "earlyDisease.pathologicResponse", [.. PatientVocabulary.PathologicResponse.Accepted] },
        { "metastaticRegimens[].bestResponse", [.. PatientVocabulary.Response.Accepted] },
        { "metastaticRegimens[].stopReason", [.. PatientVocabulary.StopReason.Accepted] },
        { "preferences.avoid[]", [.. PatientVocabulary.Avoid.Accepted] },
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Schema_enums_match_the_reader(string path, string[] accepted)
    {
        var values = At(path, words: true)["enum"]!.AsArray().Select(v => v?.GetValue<string>()).ToArray();

        Assert.Equal(accepted, values);
    }

    private static bool HasType(JsonObject schema, string type) => schema["type"] switch
    {
        JsonValue single => single.GetValue<string>() == type,
        JsonArray many => many.Any(t => t!.GetValue<string>() == type),
        _ => false,
    };

    /// <summary>Every object schema under <paramref name="schema"/>, by path in <see cref="ObjectShape.Path"/> form.</summary>
    internal static void CollectObjects(JsonObject schema, string path, IDictionary<string, string[]> into)
    {
        if (HasType(schema, "array") && schema["items"] is JsonObject item)
        {
            CollectObjects(item, path + "[]", into);
            return;
        }

        // An item that may be written two ways (a symptom word, or an object with its onset): each way.
        foreach (var branch in (schema["oneOf"] as JsonArray ?? []).OfType<JsonObject>())
        {
            CollectObjects(branch, path, into);
        }

        if (!HasType(schema, "object") || schema["properties"] is not JsonObject properties)
        {
            return;
        }

        into[path] = properties.Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        foreach (var (name, property) in properties)
        {
            CollectObjects(property!.AsObject(), path.Length == 0 ? name : $"{path}.{name}", into);
        }
    }

    /// <summary>The schema at a path such as <c>metastaticRegimens[].stopReason</c>.</summary>
    private static JsonObject At(string path, bool words = false)
    {
        var schema = Schema;
        if (path.Length == 0)
        {
            return schema;
        }

        foreach (var part in path.Split('.'))
        {
            schema = OneWay(schema)["properties"]![part.TrimEnd('[', ']')]!.AsObject();
            if (part.EndsWith("[]", StringComparison.Ordinal))
            {
                schema = schema["items"]!.AsObject();
            }
        }

        return OneWay(schema, words ? "string" : "object");
    }

    /// <summary>Of an item that may be written two ways, the way of this type (an object, or a plain word).</summary>
    private static JsonObject OneWay(JsonObject schema, string type = "object") =>
        (schema["oneOf"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(b => HasType(b, type)) ?? schema;
}
