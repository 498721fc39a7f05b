using Herald.Contracts.Output;
using Herald.Core;
using Herald.Core.Conditions;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Spectre.Console;

namespace Herald.Cli.Rendering;

/// <summary>
/// The full trace for <c>explain</c>: the decision point and its rationale; every statement of the edition with
/// its status and condition tree (each fact's value and the patient's value); every safety rule with its value
/// and the regimens it hit; then the ranked result.
/// </summary>
internal static class TraceTextRenderer
{
    public static void Render(Decision decision, IAnsiConsole console)
    {
        var trace = decision.Trace ?? throw new ArgumentException("The decision carries no trace.", nameof(decision));
        var blocks = new Blocks(console);
        TextDecisionRenderer.Header(decision, blocks);
        TextDecisionRenderer.DecisionPointSection(decision, blocks, spaced: true);

        var speaking = trace.Statements.Where(s => s.Status != StatementStatus.OtherSetting).ToArray();
        var elsewhere = trace.Statements.Where(s => s.Status == StatementStatus.OtherSetting).ToArray();
        blocks.Section($"Statements of {decision.Edition.Id} that speak to this decision point ({speaking.Length} of {trace.Statements.Count})");
        if (speaking.Length == 0)
        {
            blocks.Para("None: the edition is silent here.", 2);
        }

        foreach (var evaluation in speaking)
        {
            Statement(evaluation, blocks);
        }

        blocks.Section($"Statements of {decision.Edition.Id} for other decision points ({elsewhere.Length}): status other setting");
        foreach (var evaluation in elsewhere)
        {
            var s = evaluation.Statement;
            blocks.Item("-", $"{s.Id} [other setting: {s.At.Ids()}] {s.Title}", 2);
        }

        blocks.Section($"Safety rules ({trace.Rules.Count})");
        foreach (var rule in trace.Rules)
        {
            Rule(rule, decision.Knowledge, blocks);
        }

        blocks.Section("Result");
        if (decision.Recommendations.Count == 0)
        {
            blocks.Para("No option is ranked.", 2);
        }

        foreach (var option in decision.Recommendations)
        {
            var weighs = option.WeighedAgainst ? "; a caution weighs against it" : "";
            blocks.Item(
                DecisionView.Rank(option),
                $"{DecisionView.RegimenName(option, decision.Knowledge)} [{option.Regimen.Id}]: {option.Preference.Id()}, ranked by {option.RankedBy.Id}{weighs}",
                2,
                markerWidth: 3);
        }

        if (decision.Excluded.Count > 0)
        {
            blocks.Field("Excluded", string.Join("; ", decision.Excluded.Select(v => $"{v.Regimen.Id} ({string.Join(", ", v.Reasons.Select(DecisionText.ReasonCodeId))})")), 2, 14);
        }

        if (decision.NotIndicated.Count > 0)
        {
            blocks.Field("Not indicated", string.Join("; ", decision.NotIndicated.Select(v => v.Regimen.Id)), 2, 14);
        }

        if (decision.MissingData.Count > 0)
        {
            blocks.Field("Missing data", string.Join("; ", DecisionView.MissingBlockingFirst(decision).Select(m => m.Blocking ? $"{m.Field} (blocking)" : m.Field)), 2, 14);
        }

        blocks.Para("'herald recommend' shows each option with its quotes, evidence, cautions and every reason in full.", 2, "dim");
        blocks.Blank();
        blocks.Para(DecisionView.Disclaimer, 0, "italic");
    }

    public static string Status(StatementEvaluation evaluation) => evaluation.Status switch
    {
        StatementStatus.Fired => "fired",
        StatementStatus.Superseded => $"superseded by {evaluation.SupersededBy?.Id ?? "a newer statement"}",
        StatementStatus.ConditionFalse => "condition false",
        StatementStatus.ConditionUnknown => "condition unknown",
        _ => "other setting",
    };

    private static void Statement(StatementEvaluation evaluation, Blocks blocks)
    {
        var s = evaluation.Statement;
        blocks.Blank();
        blocks.Para($"[{Status(evaluation)}] {s.Id}", 2, "bold");
        blocks.Para(s.Title, 4);
        blocks.Para($"{s.Edition.Id}; {DecisionText.Citation(s)}; settings: {s.At.Ids()}", 4, "dim");
        var actions = Actions(s);
        if (actions.Length > 0)
        {
            blocks.Para(actions, 4);
        }

        if (evaluation.Condition is { } condition)
        {
            ConditionTree(condition, blocks, 4);
        }
    }

    private static void Rule(RuleEvaluation evaluation, KnowledgeBase kb, Blocks blocks)
    {
        var rule = evaluation.Rule;
        blocks.Blank();
        blocks.Para($"[{Value(evaluation.Value)}] {rule.Id}", 2, "bold");
        blocks.Para(rule.Title, 4);
        var effect = rule.Effect switch
        {
            SafetyEffect.Exclude => "excludes",
            SafetyEffect.Caution => "cautions",
            SafetyEffect.WeighAgainst => "weighs against",
            SafetyEffect.Monitor => "monitoring",
            _ => "alert",
        };
        var target = rule.Target.Describe(kb);
        var hits = evaluation.Hits.Count == 0 ? "hit no regimen" : "hit: " + string.Join(", ", evaluation.Hits.Select(r => r.Id));
        blocks.Para($"Effect: {effect}{(target.Length > 0 ? $" ({target})" : "")}; {hits}. Source: {rule.Source.Citation}.", 4, "dim");
        ConditionTree(evaluation.Condition, blocks, 4);
    }

    private static string Actions(Statement s)
    {
        var parts = new List<string>(4);
        if (s.Recommends.Count > 0)
        {
            parts.Add("Recommends: " + string.Join(", ", s.Recommends.Select(a => $"{a.Regimen.Id} ({a.Preference.Id()}{(a.When is { } w ? $", when {w.Text}" : "")})")));
        }

        if (s.NotRecommended.Count > 0)
        {
            parts.Add("Not recommended: " + string.Join(", ", s.NotRecommended.Select(r => r.Id)));
        }

        if (s.Cautions.Count > 0)
        {
            parts.Add($"{s.Cautions.Count} caution(s)");
        }

        if (s.Alerts.Count > 0)
        {
            parts.Add($"{s.Alerts.Count} alert(s)");
        }

        if (s.Trials.Count > 0)
        {
            parts.Add("Trials: " + string.Join(", ", s.Trials.Select(t => t.Name)));
        }

        return string.Join(". ", parts);
    }

    /// <summary>The condition as a tree: each node's value and, for each fact, the patient's value.</summary>
    public static void ConditionTree(ConditionTrace trace, Blocks blocks, int indent)
    {
        blocks.Para("when " + Node(trace), indent);
        Children(trace, blocks, new string(' ', indent));
    }

    private static void Children(ConditionTrace trace, Blocks blocks, string prefix)
    {
        for (var i = 0; i < trace.Children.Count; i++)
        {
            var child = trace.Children[i];
            var last = i == trace.Children.Count - 1;
            blocks.Item(prefix + (last ? "\u2514\u2500\u2500" : "\u251C\u2500\u2500"), Node(child), 0);
            Children(child, blocks, prefix + (last ? "    " : "\u2502   "));
        }
    }

    private static string Node(ConditionTrace trace) =>
        $"{trace.Text} = {Value(trace.Value)}{(trace.PatientValue is { } value ? $" (patient: {value})" : "")}";

    public static string Value(Tri value) => value switch
    {
        Tri.True => "true",
        Tri.False => "false",
        _ => "unknown",
    };
}
