using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// The decision a patient-view answer carries, read back from its cards by their deterministic uuids
/// (<see cref="CardIds"/>, <see cref="PatientViewCards.Keys"/>) and topics: the decision point, the regimen cards in
/// order, whether there is nothing to propose, the blocking data, the critical safety findings, and the fields a
/// refusal ("Herald needs more data") names.
/// </summary>
internal sealed partial record CardSummary(
    string? DecisionPoint,
    IReadOnlyList<string> RegimenCards,
    string? NoOptions,
    IReadOnlyList<string> BlockingMissing,
    IReadOnlyList<string> CriticalFindings,
    IReadOnlyList<string>? Refused,
    IReadOnlyList<string> Summaries)
{
    /// <summary>The card the server answers with when the record does not give what a decision needs.</summary>
    public const string UndecidedKey = "undecided";

    private const string BlockingPrefix = "Data needed before Herald can rank options: ";

    public static CardSummary Of(JsonArray cards, string hookInstance)
    {
        var list = cards.OfType<JsonObject>().ToList();
        JsonObject? ById(string key) => list.FirstOrDefault(c => Text(c, "uuid") == CardIds.For(hookInstance, key));

        var point = ById(PatientViewCards.Keys.DecisionPoint);
        var missing = ById(PatientViewCards.Keys.MissingData);
        var noOptions = ById(PatientViewCards.Keys.NoOptions);
        var undecided = ById(UndecidedKey);
        var summary = missing is not null && Text(missing, "indicator") == CardIndicator.Warning && Text(missing, "summary") is { } s
                      && s.StartsWith(BlockingPrefix, StringComparison.Ordinal)
            ? s[BlockingPrefix.Length..].Split(", ").Order(StringComparer.Ordinal).ToArray()
            : [];
        return new CardSummary(
            Text(point, "summary") is { } p ? p[..(p.IndexOf(':', StringComparison.Ordinal) + 1)] : null,
            list.Where(c => Topic(c) == "treatment-option").Select(c => Text(c, "uuid") ?? "").ToArray(),
            noOptions is null ? null : Text(noOptions, "indicator"),
            summary,
            list.Where(c => Topic(c) == "safety" && Text(c, "indicator") == CardIndicator.Critical)
                .Select(c => AlertCode().Match(Text(c, "detail") ?? "") is { Success: true } m ? m.Groups[1].Value : Text(c, "summary") ?? "")
                .Order(StringComparer.Ordinal).ToArray(),
            undecided is null ? null : RefusedField().Matches(Text(undecided, "detail") ?? "").Select(m => Unescape(m.Groups[1].Value)).Order(StringComparer.Ordinal).ToArray(),
            list.Select(c => $"[{Text(c, "indicator")}] {Text(c, "summary")}").ToArray());
    }

    /// <summary>The expected regimen card uuids for a decision's ranking, in rank order.</summary>
    public static IReadOnlyList<string> RegimenCardIds(string hookInstance, DecisionSummary decision) =>
        decision.Ranked.Select((r, i) => CardIds.For(hookInstance, PatientViewCards.Keys.Regimen(i, r.Id))).ToArray();

    public IReadOnlyList<string> Differences(CardSummary actual, DecisionSummary expected)
    {
        var differences = new List<string>();
        DecisionSummary.Compare(differences, "decision-point card", DecisionPoint ?? "(none)", actual.DecisionPoint ?? "(none)");
        if (!RegimenCards.SequenceEqual(actual.RegimenCards))
        {
            var wanted = expected.Ranked.Select(r => $"{r.Rank}:{r.Id}");
            differences.Add($"regimen cards: expected [{string.Join(", ", wanted)}]; got [{string.Join(" | ", actual.Summaries.Where(s => s.Contains("Rank ", StringComparison.Ordinal)))}]");
        }

        DecisionSummary.Compare(differences, "no-options card", NoOptions ?? "(none)", actual.NoOptions ?? "(none)");
        DecisionSummary.Compare(differences, "blocking missing data", BlockingMissing, actual.BlockingMissing);
        DecisionSummary.Compare(differences, "critical findings", CriticalFindings, actual.CriticalFindings);
        if (actual.Refused is { } refused)
        {
            differences.Add($"refused (\"Herald needs more data\"): [{string.Join(", ", refused)}]");
        }

        return differences;
    }

    // Card text escapes Markdown characters (CardText.Escape): "metastaticRegimens\[0\].stop".
    private static string Unescape(string text) => Escaped().Replace(text, "$1");

    private static string? Text(JsonNode? card, string name) => card?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string? Topic(JsonObject card) => Text(card["source"]?["topic"], "code");

    [GeneratedRegex(@"\(`([^`]+)`\)\.\s*$")]
    private static partial Regex AlertCode();

    [GeneratedRegex(@"^- \*\*([^*]+)\*\*:", RegexOptions.Multiline)]
    private static partial Regex RefusedField();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex Escaped();
}
