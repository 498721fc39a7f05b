using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// Where the native patient Herald read from a FHIR record (fhirMapping.patient) differs from the native twin, field by
/// field, so a failing case points at the mapping rule to fix. The identifier, the assessment date and the free-text
/// comorbidities are not compared: they do not enter the decision. Text is compared in lower case with spaces as
/// hyphens, so an agent named "trastuzumab emtansine" in the twin matches the id "trastuzumab-emtansine".
/// </summary>
internal static class PatientDifferences
{
    private static readonly HashSet<string> Ignored = ["id", "assessmentDate", "otherComorbidities"];

    public static IReadOnlyList<string> Between(JsonNode? twin, JsonNode? mapped)
    {
        var expected = Flatten(twin);
        var actual = Flatten(mapped);
        return expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(path => expected.GetValueOrDefault(path) != actual.GetValueOrDefault(path))
            .Select(path => $"{path}: twin {expected.GetValueOrDefault(path) ?? "(absent)"}, mapped {actual.GetValueOrDefault(path) ?? "(absent)"}")
            .ToArray();
    }

    private static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        Walk(node, "", leaves);
        return leaves;
    }

    private static void Walk(JsonNode? node, string path, Dictionary<string, string> leaves)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    if (path.Length == 0 && Ignored.Contains(name))
                    {
                        continue;
                    }

                    Walk(value, path.Length == 0 ? name : $"{path}.{name}", leaves);
                }

                break;
            case JsonArray array when array.All(a => a is JsonValue):
                // Lists of values (sites, agents) compare as sets: their order carries no meaning.
                leaves[path] = "[" + string.Join(", ", array.Select(a => Text((JsonValue)a!)).Order(StringComparer.Ordinal)) + "]";
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", leaves);
                }

                break;
            case JsonValue value:
                leaves[path] = Text(value);
                break;
        }
    }

    private static string Text(JsonValue value) =>
        value.TryGetValue<string>(out var text) ? text.ToLowerInvariant().Replace(' ', '-') : value.ToJsonString();
}
