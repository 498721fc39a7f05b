using System.Globalization;
using System.Text.Json.Nodes;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// The parts of a decision (docs/output.md) that must not depend on whether the patient came as native JSON or as FHIR:
/// where the patient stands, what is ranked and how, what is excluded, what blocks the decision, and critical alerts.
/// Wording, evidence and the mapping report may differ; these may not.
/// </summary>
internal sealed record DecisionSummary(
    string Kind,
    int? Line,
    string Label,
    IReadOnlyList<(string Id, int Rank)> Ranked,
    IReadOnlyList<string> Excluded,
    IReadOnlyList<string> BlockingMissing,
    IReadOnlyList<string> CriticalAlerts)
{
    public static DecisionSummary Of(JsonNode decision)
    {
        var point = decision["decisionPoint"]!;
        return new DecisionSummary(
            point["kind"]!.GetValue<string>(),
            point["line"]?.GetValue<int>(),
            point["label"]!.GetValue<string>(),
            Array(decision, "recommendations").Select(r => (r!["regimen"]!["id"]!.GetValue<string>(), r["rank"]!.GetValue<int>())).ToArray(),
            Sorted(Array(decision, "excluded").Select(e => e!["regimen"]!["id"]!.GetValue<string>())),
            Sorted(Array(decision, "missingData").Where(m => m!["blocking"]!.GetValue<bool>()).Select(m => m!["field"]!.GetValue<string>())),
            Sorted(Array(decision, "alerts").Where(a => a!["severity"]!.GetValue<string>() == "critical").Select(a => a!["code"]!.GetValue<string>())));
    }

    /// <summary>How the decision-point card's summary begins: "Second-line therapy (line 2):".</summary>
    public string CardPrefix => Label + (Line is { } line ? $" (line {line.ToString(CultureInfo.InvariantCulture)})" : "") + ":";

    /// <summary>One line per field that differs, "field: expected … ; got …".</summary>
    public IReadOnlyList<string> Differences(DecisionSummary actual)
    {
        var differences = new List<string>();
        Compare(differences, "decision point", Point, actual.Point);
        Compare(differences, "ranked", Ranks(Ranked), Ranks(actual.Ranked));
        Compare(differences, "excluded", Excluded, actual.Excluded);
        Compare(differences, "blocking missing data", BlockingMissing, actual.BlockingMissing);
        Compare(differences, "critical alerts", CriticalAlerts, actual.CriticalAlerts);
        return differences;
    }

    public string Point => Kind + (Line is { } line ? $" (line {line.ToString(CultureInfo.InvariantCulture)})" : "");

    public override string ToString() =>
        $"{Point}; ranked [{string.Join(", ", Ranks(Ranked))}]; excluded [{string.Join(", ", Excluded)}]; "
        + $"blocking [{string.Join(", ", BlockingMissing)}]; critical [{string.Join(", ", CriticalAlerts)}]";

    internal static void Compare(List<string> differences, string what, string expected, string actual)
    {
        if (expected != actual)
        {
            differences.Add($"{what}: expected {expected}; got {actual}");
        }
    }

    internal static void Compare(List<string> differences, string what, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        if (!expected.SequenceEqual(actual))
        {
            differences.Add($"{what}: expected [{string.Join(", ", expected)}]; got [{string.Join(", ", actual)}]");
        }
    }

    private static IReadOnlyList<string> Ranks(IEnumerable<(string Id, int Rank)> ranked) =>
        ranked.Select(r => $"{r.Rank.ToString(CultureInfo.InvariantCulture)}:{r.Id}").ToArray();

    private static IEnumerable<JsonNode?> Array(JsonNode decision, string name) => decision[name] as JsonArray ?? [];

    private static IReadOnlyList<string> Sorted(IEnumerable<string> values) => values.Order(StringComparer.Ordinal).ToArray();
}
