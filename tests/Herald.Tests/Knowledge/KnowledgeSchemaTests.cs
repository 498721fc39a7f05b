using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Herald.Core.Knowledge;
using Herald.Core.Knowledge.Definitions;
using Herald.Knowledge;
using Json.Schema;

namespace Herald.Tests.Knowledge;

/// <summary>
/// The schemas in knowledge/schema are documentation for guideline authors as well as the loader's first
/// check, so they must be valid, described, strict, and in step with Core's vocabularies and definitions.
/// </summary>
public sealed partial class KnowledgeSchemaTests
{
    public static readonly TheoryData<string> SchemaNames =
        ["sources", "parameters", "agents", "regimens", "trials", "editions", "statements", "safety-rules"];

    // Draft-07 keywords, plus two that editors read (VS Code, yaml-language-server) and validators ignore.
    private static readonly HashSet<string> Keywords =
    [
        "$schema", "$id", "$ref", "$comment", "title", "description", "default", "examples", "readOnly", "writeOnly",
        "type", "enum", "const", "properties", "patternProperties", "additionalProperties", "required", "propertyNames",
        "minProperties", "maxProperties", "items", "additionalItems", "contains", "minItems", "maxItems", "uniqueItems",
        "pattern", "minLength", "maxLength", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "multipleOf", "definitions", "dependencies", "if", "then", "else", "allOf", "anyOf", "oneOf", "not",
        "contentMediaType", "contentEncoding",
        "patternErrorMessage", "enumDescriptions",
    ];

    private static readonly HashSet<string> Types = ["string", "number", "integer", "boolean", "array", "object", "null"];

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Each_schema_is_a_valid_draft_07_schema(string name)
    {
        var text = ReadSchema(name);
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });

        Assert.Equal("http://json-schema.org/draft-07/schema#", json.RootElement.GetProperty("$schema").GetString());
        var problems = new List<string>();
        CheckSchema(json.RootElement, "#", json.RootElement, problems);
        Assert.Empty(problems);

        var schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        Assert.NotNull(schema);
    }

    [Theory]
    [MemberData(nameof(SchemaNames))]
    public void Every_property_has_a_description_and_every_object_is_closed(string name)
    {
        using var json = JsonDocument.Parse(ReadSchema(name));
        var problems = new List<string>();

        foreach (var (path, schema) in Subschemas(json.RootElement, "#"))
        {
            if (schema.TryGetProperty("properties", out var properties))
            {
                if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
                {
                    problems.Add($"{path}: additionalProperties must be false");
                }

                problems.AddRange(properties.EnumerateObject()
                    .Where(p => !p.Value.TryGetProperty("description", out var d) || string.IsNullOrWhiteSpace(d.GetString()))
                    .Select(p => $"{path}/properties/{p.Name}: no description"));
            }
        }

        Assert.Empty(problems);
    }

    public static readonly TheoryData<string, string, string[]> Vocabularies = new()
    {
        { "agents", "definitions/agent/properties/class/enum", Ids<AgentClass>(c => c.Id()) },
        { "agents", "definitions/group/properties/classes/items/enum", Ids<AgentClass>(c => c.Id()) },
        { "agents", "definitions/agent/properties/routes/items/enum", Ids<Route>(r => r.Id()) },
        { "agents", "definitions/group/properties/onlyRoutes/items/enum", Ids<Route>(r => r.Id()) },
        { "agents", "definitions/agent/properties/rxnorm/properties/confidence/enum", Ids<CodeConfidence>(c => c.Id()) },
        { "regimens", "definitions/regimen/properties/kind/enum", Ids<RegimenKind>(Kebab) },
        { "statements", "definitions/statement/properties/kind/enum", Ids<StatementKind>(Kebab) },
        { "statements", "definitions/statement/properties/strength/enum", Ids<Strength>(s => s.Id(), except: Strength.ProductLabel) },
        { "statements", "definitions/statement/properties/at/items/enum", [.. VocabularyNames.SettingIds.Select(s => s.Id)] },
        { "statements", "definitions/recommend/properties/preference/enum", Ids<Preference>(p => p.Id()) },
        { "statements", "definitions/alert/properties/severity/enum", Ids<Severity>(s => s.Id()) },
        { "safety-rules", "definitions/rule/properties/effect/enum", Ids<SafetyEffect>(Kebab) },
        { "safety-rules", "definitions/rule/properties/severity/enum", Ids<Severity>(s => s.Id()) },
        { "safety-rules", "definitions/rule/properties/strength/enum", Ids<Strength>(s => s.Id()) },
        { "safety-rules", "definitions/rule/properties/target/properties/dynamic/enum", [.. DynamicTargetNames.All.Select(d => d.Id)] },
    };

    [Theory]
    [MemberData(nameof(Vocabularies))]
    public void Schema_vocabularies_match_the_compiler(string name, string path, string[] expected)
    {
        using var json = JsonDocument.Parse(ReadSchema(name));

        var actual = At(json.RootElement, path).EnumerateArray().Select(e => e.GetString()!).ToHashSet();

        Assert.Equal(expected.ToHashSet(), actual);
    }

    public static readonly TheoryData<string, string, Type> Definitions = new()
    {
        { "sources", "definitions/source", typeof(SourceDefinition) },
        { "parameters", "definitions/parameter", typeof(ParameterDefinition) },
        { "agents", "definitions/agent", typeof(AgentDefinition) },
        { "agents", "definitions/agent/properties/rxnorm", typeof(CodeDefinition) },
        { "agents", "definitions/group", typeof(GroupDefinition) },
        { "regimens", "definitions/regimen", typeof(RegimenDefinition) },
        { "trials", "definitions/trial", typeof(TrialDefinition) },
        { "trials", "definitions/result", typeof(TrialResultDefinition) },
        { "editions", "definitions/edition", typeof(EditionDefinition) },
        { "statements", "", typeof(StatementFile) },
        { "statements", "definitions/statement", typeof(StatementDefinition) },
        { "statements", "definitions/recommend", typeof(RecommendDefinition) },
        { "statements", "definitions/caution", typeof(CautionDefinition) },
        { "statements", "definitions/alert", typeof(AlertDefinition) },
        { "safety-rules", "definitions/rule", typeof(SafetyRuleDefinition) },
        { "safety-rules", "definitions/rule/properties/target", typeof(TargetDefinition) },
    };

    /// <summary>A property the schema allows but the definitions lack would be dropped without a word.</summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void Schema_properties_match_the_definitions(string name, string path, Type definition)
    {
        using var json = JsonDocument.Parse(ReadSchema(name));

        var schemaProperties = At(json.RootElement, path).GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        var definitionProperties = definition.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != nameof(Located.Location))
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .ToHashSet();

        Assert.Equal(definitionProperties, schemaProperties);
    }

    private static string ReadSchema(string name)
    {
        using var stream = typeof(KnowledgeLoader).Assembly.GetManifestResourceStream($"knowledge/schema/{name}.schema.json");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static void CheckSchema(JsonElement schema, string path, JsonElement root, List<string> problems)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: a schema must be an object");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Keywords.Contains(keyword.Name))
            {
                problems.Add($"{path}: '{keyword.Name}' is not a JSON Schema keyword");
            }
        }

        if (schema.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && Types.Contains(type.GetString()!)))
        {
            problems.Add($"{path}: type {type} is not a JSON Schema type");
        }

        if (schema.TryGetProperty("required", out var required))
        {
            schema.TryGetProperty("properties", out var properties);
            problems.AddRange(required.EnumerateArray()
                .Where(r => properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(r.GetString()!, out _))
                .Select(r => $"{path}: required property '{r}' is not defined"));
        }

        if (schema.TryGetProperty("enum", out var values) && schema.TryGetProperty("enumDescriptions", out var descriptions)
            && values.GetArrayLength() != descriptions.GetArrayLength())
        {
            problems.Add($"{path}: enumDescriptions must describe each enum value");
        }

        if (schema.TryGetProperty("pattern", out var pattern))
        {
            try
            {
                _ = new Regex(pattern.GetString()!);
            }
            catch (ArgumentException e)
            {
                problems.Add($"{path}: pattern is not a regular expression: {e.Message}");
            }
        }

        if (schema.TryGetProperty("$ref", out var reference)
            && (reference.GetString() is not { } target || !target.StartsWith("#/", StringComparison.Ordinal) || !TryAt(root, target[2..], out _)))
        {
            problems.Add($"{path}: $ref {reference} does not resolve within the file");
        }

        foreach (var (childPath, child) in Children(schema, path))
        {
            CheckSchema(child, childPath, root, problems);
        }
    }

    private static IEnumerable<(string Path, JsonElement Schema)> Subschemas(JsonElement schema, string path) =>
        Children(schema, path).SelectMany(c => Subschemas(c.Schema, c.Path)).Prepend((path, schema));

    private static IEnumerable<(string Path, JsonElement Schema)> Children(JsonElement schema, string path)
    {
        foreach (var map in new[] { "properties", "definitions", "patternProperties" })
        {
            if (schema.TryGetProperty(map, out var children))
            {
                foreach (var child in children.EnumerateObject())
                {
                    yield return ($"{path}/{map}/{child.Name}", child.Value);
                }
            }
        }

        foreach (var single in new[] { "items", "additionalProperties", "additionalItems", "contains", "not", "if", "then", "else" })
        {
            if (schema.TryGetProperty(single, out var child) && child.ValueKind == JsonValueKind.Object)
            {
                yield return ($"{path}/{single}", child);
            }
        }

        foreach (var list in new[] { "allOf", "anyOf", "oneOf" })
        {
            if (schema.TryGetProperty(list, out var children))
            {
                var i = 0;
                foreach (var child in children.EnumerateArray())
                {
                    yield return ($"{path}/{list}/{i++}", child);
                }
            }
        }
    }

    private static JsonElement At(JsonElement root, string path) =>
        TryAt(root, path, out var element) ? element : throw new KeyNotFoundException($"the schema has nothing at {path}");

    private static bool TryAt(JsonElement root, string path, out JsonElement element)
    {
        element = root;
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(segment, out element))
            {
                return false;
            }
        }

        return true;
    }

    private static string[] Ids<T>(Func<T, string> id, params T[] except)
        where T : struct, Enum =>
        [.. Enum.GetValues<T>().Except(except).Select(id)];

    private static string Kebab<T>(T value)
        where T : struct, Enum =>
        WordStart().Replace(value.ToString(), "-$1").ToLowerInvariant();

    [GeneratedRegex("(?<=[a-z0-9])([A-Z])")]
    private static partial Regex WordStart();
}
