using System.Collections.Concurrent;
using System.Globalization;
using Herald.Core;
using Herald.Core.Knowledge;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Herald.Knowledge;

/// <summary>
/// The JSON Schemas of the knowledge files (knowledge/schema/*.schema.json, embedded), and validation of a
/// file against its schema with messages that name the file, the line and the property.
/// </summary>
internal static class KnowledgeSchemas
{
    private static readonly ConcurrentDictionary<string, Lazy<JsonSchema>> Schemas = new(StringComparer.Ordinal);

    public static IReadOnlyList<KnowledgeError> Validate(string schemaName, YamlJsonTree tree)
    {
        var schema = Schemas.GetOrAdd(schemaName, name => new Lazy<JsonSchema>(() => Load(name))).Value;
        var problems = Flatten(schema.Validate(tree.Root)).ToList();

        // A value of the wrong type also fails its enum, pattern and required properties: report the type alone.
        var wrongType = problems.Where(p => IsTypeError(p.Kind)).Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        return [.. problems
            .Where(p => IsTypeError(p.Kind) || !wrongType.Any(w => p.Path == w || IsBelow(p.Path, w)))
            .Select(p => new KnowledgeError(tree.LocationOf(p.Path), Describe(p, tree)))
            .Distinct()
            .OrderBy(e => e.Location!.Line)];
    }

    private static string ResourceName(string schemaName) => $"knowledge/schema/{schemaName}.schema.json";

    private static JsonSchema Load(string schemaName)
    {
        var assembly = typeof(KnowledgeSchemas).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName(schemaName))
            ?? throw new InvalidOperationException($"The schema {ResourceName(schemaName)} is not embedded in {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);

        // Parsed once per process. Only resolving external references would be asynchronous, and these schemas have none.
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }

    private sealed record Problem(ValidationErrorKind Kind, string Path, string? Property, JsonSchema? Schema);

    private static IEnumerable<Problem> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && child.Errors.Count > 0)
            {
                foreach (var nested in Flatten(child.Errors.Values.SelectMany(e => e)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return new Problem(error.Kind, TrimRoot(error.Path), error.Property, error.Schema);
            }
        }
    }

    private static string TrimRoot(string? path) => path is null ? "" : path.StartsWith("#/", StringComparison.Ordinal) ? path[2..] : path.TrimStart('#');

    private static bool IsBelow(string path, string ancestor) =>
        ancestor.Length == 0 || (path.StartsWith(ancestor, StringComparison.Ordinal) && path.Length > ancestor.Length && path[ancestor.Length] is '.' or '[');

    private static bool IsTypeError(ValidationErrorKind kind) => ExpectedType(kind) is not null;

    private static string? ExpectedType(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.StringExpected => "text",
        ValidationErrorKind.NumberExpected => "a number",
        ValidationErrorKind.IntegerExpected => "a whole number",
        ValidationErrorKind.BooleanExpected => "true or false",
        ValidationErrorKind.ArrayExpected => "a list",
        ValidationErrorKind.ObjectExpected => "a mapping (key: value lines)",
        ValidationErrorKind.NullExpected => "nothing",
        _ => null,
    };

    private static string Describe(Problem problem, YamlJsonTree tree)
    {
        var value = tree.ValueAt(problem.Path);
        return problem.Kind switch
        {
            ValidationErrorKind.NoAdditionalPropertiesAllowed =>
                At(YamlJsonTree.ParentOf(problem.Path), $"property '{problem.Property}' is not allowed{Suggestion(problem)}"),
            ValidationErrorKind.PropertyRequired =>
                At(YamlJsonTree.ParentOf(problem.Path), $"property '{problem.Property}' is required"),
            _ when ExpectedType(problem.Kind) is { } expected =>
                At(problem.Path, $"expected {expected}, found {DescribeValue(value)}{QuoteHint(problem.Kind, value)}"),
            ValidationErrorKind.NotInEnumeration =>
                At(problem.Path, $"'{value}' is not one of {string.Join(", ", problem.Schema?.Enumeration ?? [])}"),
            ValidationErrorKind.PatternMismatch =>
                At(problem.Path, $"'{value}' {PatternMessage(problem.Schema)}"),
            ValidationErrorKind.StringTooShort => At(problem.Path, "must not be empty"),
            ValidationErrorKind.TooFewItems => At(problem.Path, $"needs at least {problem.Schema?.MinItems} item(s)"),
            ValidationErrorKind.ItemsNotUnique => At(problem.Path, "lists the same item more than once"),
            ValidationErrorKind.NumberTooSmall => At(problem.Path, $"{value} is below the minimum {problem.Schema?.Minimum}"),
            ValidationErrorKind.NumberTooBig => At(problem.Path, $"{value} is above the maximum {problem.Schema?.Maximum}"),
            _ => At(problem.Path, $"does not match the schema ({problem.Kind})"),
        };
    }

    private static string At(string path, string message) => path.Length == 0 ? message : $"{path}: {message}";

    private static string DescribeValue(JToken? value) => value?.Type switch
    {
        JTokenType.String => $"text '{value}'",
        JTokenType.Integer or JTokenType.Float => $"the number {((JValue)value).ToString(CultureInfo.InvariantCulture)}",
        JTokenType.Boolean => $"the boolean {value.ToString().ToLowerInvariant()}",
        JTokenType.Array => "a list",
        JTokenType.Object => "a mapping",
        _ => "an empty value",
    };

    private static string QuoteHint(ValidationErrorKind kind, JToken? value) =>
        kind == ValidationErrorKind.StringExpected && value?.Type is JTokenType.Integer or JTokenType.Float or JTokenType.Boolean
            ? " (put the value in quotes to make it text)"
            : "";

    private static string PatternMessage(JsonSchema? schema) =>
        schema?.ExtensionData?.TryGetValue("patternErrorMessage", out var message) == true && message is string text
            ? text
            : $"does not match the pattern {schema?.Pattern}";

    /// <summary>Names the allowed property the misspelt one most resembles, or lists them all.</summary>
    private static string Suggestion(Problem problem)
    {
        var allowed = problem.Schema?.ActualProperties.Keys.ToList() ?? [];
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
