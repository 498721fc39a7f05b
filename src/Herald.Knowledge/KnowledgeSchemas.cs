using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Core;
using Herald.Core.Knowledge;
using Json.Schema;

namespace Herald.Knowledge;

/// <summary>
/// The JSON Schemas of the knowledge files (knowledge/schema/*.schema.json, embedded), and validation of a file against
/// its schema (JsonSchema.Net, draft-07) with messages that name the file, the line and the property.
/// </summary>
internal static class KnowledgeSchemas
{
    private static readonly ConcurrentDictionary<string, Lazy<Schema>> Schemas = new(StringComparer.Ordinal);

    /// <summary>A compiled schema and its text, in which each error's schema location is looked up for the message.</summary>
    private sealed record Schema(JsonSchema Compiled, JsonNode Document);

    /// <summary>One failed keyword: where in the file, which keyword, and the subschema that holds it.</summary>
    private sealed record Problem(string Path, string Keyword, JsonObject? Subschema, string? Property);

    public static IReadOnlyList<KnowledgeError> Validate(string schemaName, YamlJsonTree tree)
    {
        var schema = Schemas.GetOrAdd(schemaName, name => new Lazy<Schema>(() => Load(name))).Value;
        var results = schema.Compiled.Evaluate(JsonSerializer.SerializeToElement(tree.Root), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return []; // The list also holds what failed inside a branch (oneOf, anyOf) that did not apply.
        }

        var problems = Problems(results, schema, tree).ToList();

        // A value of the wrong type also fails its enum, pattern and required properties: report the type alone.
        var wrongType = problems.Where(p => p.Keyword == "type").Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        return [.. problems
            .Where(p => p.Keyword == "type" || !wrongType.Any(w => p.Path == w || IsBelow(p.Path, w)))
            .Select(p => new KnowledgeError(tree.LocationOf(p.Property is null ? p.Path : Child(p.Path, p.Property)), Describe(p, tree)))
            .Distinct()
            .OrderBy(e => e.Location!.Line)];
    }

    private static string ResourceName(string schemaName) => $"knowledge/schema/{schemaName}.schema.json";

    private static Schema Load(string schemaName)
    {
        var assembly = typeof(KnowledgeSchemas).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName(schemaName))
            ?? throw new InvalidOperationException($"The schema {ResourceName(schemaName)} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();

        // Each schema in a registry of its own: its "#/definitions/..." references resolve within it, whatever else is loaded.
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return new Schema(JsonSchema.FromText(text, options, new Uri($"https://herald.invalid/{ResourceName(schemaName)}")), JsonNode.Parse(text)!);
    }

    private static IEnumerable<Problem> Problems(EvaluationResults results, Schema schema, YamlJsonTree tree)
    {
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is not { Count: > 0 } errors)
            {
                continue;
            }

            var path = tree.PathOf(detail.InstanceLocation.ToString());
            var location = detail.EvaluationPath.ToString();
            foreach (var keyword in errors.Keys)
            {
                var additional = location.LastIndexOf("/additionalProperties", StringComparison.Ordinal);
                if (keyword.Length == 0 && additional >= 0)
                {
                    // additionalProperties: false fails the property itself; the message belongs to its object.
                    var objectSchema = Subschema(schema, location[..additional]);
                    yield return new Problem(YamlJsonTree.ParentOf(path), "additionalProperties", objectSchema, LastName(path));
                }
                else if (keyword == "required")
                {
                    var subschema = Subschema(schema, location);
                    var present = tree.ValueAt(path) as JsonObject;
                    foreach (var name in subschema?["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
                    {
                        if (present?.ContainsKey(name) != true)
                        {
                            yield return new Problem(path, "required", subschema, name);
                        }
                    }
                }
                else
                {
                    yield return new Problem(path, keyword, Subschema(schema, location), null);
                }
            }
        }
    }

    /// <summary>
    /// The subschema an evaluation path leads to (<c>/properties/agents/items/$ref/properties/class</c>), following each
    /// <c>$ref</c> to its definition in the same document; "" is the root.
    /// </summary>
    private static JsonObject? Subschema(Schema schema, string evaluationPath)
    {
        JsonNode? node = schema.Document;
        foreach (var raw in evaluationPath.Split('/').Skip(1))
        {
            var segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = segment == "$ref" && node?["$ref"] is JsonValue reference
                ? Subschema(schema, reference.GetValue<string>().TrimStart('#'))
                : node switch
                {
                    JsonObject obj => obj[segment],
                    JsonArray array when int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                    _ => null,
                };
        }

        return node as JsonObject;
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string LastName(string path)
    {
        var cut = path.LastIndexOf('.');
        return cut < 0 ? path : path[(cut + 1)..];
    }

    private static bool IsBelow(string path, string ancestor) =>
        ancestor.Length == 0 || (path.StartsWith(ancestor, StringComparison.Ordinal) && path.Length > ancestor.Length && path[ancestor.Length] is '.' or '[');

    private static string Describe(Problem problem, YamlJsonTree tree)
    {
        var value = tree.ValueAt(problem.Path);
        var schema = problem.Subschema;
        return problem.Keyword switch
        {
            "additionalProperties" => At(problem.Path, $"property '{problem.Property}' is not allowed{Suggestion(problem)}"),
            "required" => At(problem.Path, $"property '{problem.Property}' is required"),
            "type" => At(problem.Path, $"expected {ExpectedType(schema)}, found {DescribeValue(value)}{QuoteHint(schema, value)}"),
            "enum" => At(problem.Path, $"'{Text(value)}' is not one of {string.Join(", ", schema?["enum"]?.AsArray().Select(Text) ?? [])}"),
            "pattern" => At(problem.Path, $"'{Text(value)}' {PatternMessage(schema)}"),
            "minLength" => At(problem.Path, "must not be empty"),
            "minItems" => At(problem.Path, $"needs at least {Text(schema?["minItems"])} item(s)"),
            "uniqueItems" => At(problem.Path, "lists the same item more than once"),
            "minimum" => At(problem.Path, $"{Text(value)} is below the minimum {Text(schema?["minimum"])}"),
            "maximum" => At(problem.Path, $"{Text(value)} is above the maximum {Text(schema?["maximum"])}"),
            _ => At(problem.Path, $"does not match the schema ({problem.Keyword})"),
        };
    }

    private static string At(string path, string message) => path.Length == 0 ? message : $"{path}: {message}";

    private static string ExpectedType(JsonObject? schema)
    {
        var types = schema?["type"] switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToArray(),
            JsonValue single => [single.GetValue<string>()],
            _ => [],
        };
        return string.Join(" or ", types.Select(type => type switch
        {
            "string" => "text",
            "number" => "a number",
            "integer" => "a whole number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "a mapping (key: value lines)",
            "null" => "nothing",
            _ => type,
        }));
    }

    private static string DescribeValue(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String => $"text '{Text(value)}'",
        JsonValueKind.Number => $"the number {Text(value)}",
        JsonValueKind.True => "the boolean true",
        JsonValueKind.False => "the boolean false",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "a mapping",
        _ => "an empty value",
    };

    private static string QuoteHint(JsonObject? schema, JsonNode? value) =>
        ExpectedType(schema) == "text" && value?.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? " (put the value in quotes to make it text)"
            : "";

    /// <summary>A scalar as the file wrote it: text unquoted, numbers in invariant form.</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.TryGetValue<long>(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<double>(out var real) => real.ToString(CultureInfo.InvariantCulture),
        _ => value.ToJsonString(),
    };

    private static string PatternMessage(JsonObject? schema) =>
        schema?["patternErrorMessage"] is JsonValue message ? message.GetValue<string>() : $"does not match the pattern {Text(schema?["pattern"])}";

    /// <summary>Names the allowed property the misspelt one most resembles, or lists them all.</summary>
    private static string Suggestion(Problem problem)
    {
        var allowed = (problem.Subschema?["properties"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        if (allowed.Count == 0 || problem.Property is null)
        {
            return "";
        }

        var closest = NameSuggestions.Closest(problem.Property, allowed, Math.Max(2, problem.Property.Length / 3));
        return closest is not null
            ? $" (did you mean '{closest}'?)"
            : $" (allowed: {string.Join(", ", allowed)})";
    }
}
