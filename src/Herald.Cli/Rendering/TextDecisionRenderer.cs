using System.Globalization;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Spectre.Console;

namespace Herald.Cli.Rendering;

/// <summary>
/// The decision for a clinician at a terminal, the summary first: alerts (most severe first), the decision point,
/// the ranked options one line each, their cautions and monitoring (each said once), what is excluded and why, and
/// the missing data. Then each option's support (the words of the statement that ranks it, each quoted once), the
/// trials of its regimen with their results and the trials its statements only cite; what is not indicated; the
/// clinical-resistance checklist; trials; the lines of therapy as read. Every supporting statement's words and the
/// source of every reason are in the Markdown and the JSON; the condition of every statement in <c>explain</c>.
/// </summary>
internal static class TextDecisionRenderer
{
    public static void Render(Decision decision, IAnsiConsole console)
    {
        var blocks = new Blocks(console);
        Header(decision, blocks);
        Alerts(decision, blocks);
        DecisionPointSection(decision, blocks);
        RankedList(decision, blocks);
        Notes(decision, blocks);
        Verdicts("Excluded for this patient", decision.Excluded, decision, blocks, brief: false);
        Missing(decision, blocks);
        Options(decision, blocks);
        Verdicts("Not indicated at this decision point", decision.NotIndicated, decision, blocks, brief: true);
        Resistance(decision, blocks);
        Trials(decision, blocks);
        Lines(decision, blocks);
        blocks.Blank();
        blocks.Para("The words of every supporting statement and every reason with its source: --format markdown or json; each statement's condition as evaluated: herald explain.", 0, "dim");
        blocks.Para(DecisionView.Disclaimer, 0, "italic");
    }

    public static void Header(Decision decision, Blocks blocks)
    {
        blocks.Title($"Herald: patient {decision.Facts.Patient.Id}, as of {DecisionText.Date(decision.AsOf)}");
        blocks.Para($"{DecisionView.EditionLabel(decision.Edition)}. Knowledge base {decision.Knowledge.Version}.");
    }

    public static void DecisionPointSection(Decision decision, Blocks blocks, bool spaced = false)
    {
        blocks.Section("Decision point: " + DecisionView.PointTitle(decision.Point), spaced);
        foreach (var item in decision.Point.Rationale)
        {
            blocks.Item("•", DecisionText.Rationale(item, decision.Facts), 2);
        }
    }

    public static void Alerts(Decision decision, Blocks blocks)
    {
        blocks.Section("Alerts", spaced: false);
        if (decision.Alerts.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

        // The decision lists them most severe first.
        foreach (var alert in decision.Alerts)
        {
            var style = alert.Severity switch
            {
                Severity.Critical => "bold red",
                Severity.Warning => "bold yellow",
                _ => "bold",
            };
            blocks.Item(
                DecisionView.SeverityWord(alert.Severity),
                DecisionView.WithSource(DecisionText.Alert(alert, decision.Facts), DecisionView.Source(alert) ?? DecisionText.AlertSource(alert)),
                2,
                markerStyle: style,
                markerWidth: 8);
        }
    }

    /// <summary>The ranked options, one item each: rank, regimen, preference, strength and the statement that ranks it.</summary>
    private static void RankedList(Decision decision, Blocks blocks)
    {
        var kb = decision.Knowledge;
        blocks.Section("Ranked options (preference; strength; the statement that sets the rank)", spaced: false);
        if (decision.Recommendations.Count == 0)
        {
            blocks.Para("No option is ranked: see the alerts, the missing data and the exclusions.", 2);
            return;
        }

        foreach (var option in decision.Recommendations)
        {
            var weighs = option.WeighedAgainst ? " A caution weighs against it." : "";
            blocks.Item(
                DecisionView.Rank(option),
                $"{DecisionView.RegimenName(option, kb)}: {option.Preference.Id()}; {DecisionView.StrengthWords(option.Strength)}; "
                + $"{option.RankedBy.Id}, {option.RankedBy.Source.Citation}.{weighs}",
                2,
                markerStyle: "bold",
                markerWidth: 3);
        }

        if (decision.Recommendations.Any(o => o.Tied))
        {
            blocks.Para("\"=\" marks a tie: the sources do not order these options against each other.", 2, "dim");
        }

        if (decision.Recommendations.Any(o => o.WeighedAgainst))
        {
            blocks.Para("A caution that weighs against an option ranks it below those without one.", 2, "dim");
        }
    }

    /// <summary>The ranked options' cautions, then their monitoring, each said once with the options it concerns.</summary>
    private static void Notes(Decision decision, Blocks blocks)
    {
        var groups = DecisionView.NoteGroups(decision);
        if (groups.Count == 0)
        {
            return;
        }

        blocks.Section("Cautions and monitoring", spaced: false);
        foreach (var group in groups)
        {
            var mark = group.WeighsAgainst ? "Weighs against the option. " : "";
            blocks.Item(
                group.Monitoring ? "•" : "!",
                $"{mark}{group.Text} [{DecisionView.OptionsNamed(group.Options, decision)}]",
                2);
        }
    }

    private static void Options(Decision decision, Blocks blocks)
    {
        var quoted = new Dictionary<Statement, RankedOption>();
        var shown = new Dictionary<Trial, RankedOption>();
        foreach (var option in decision.Recommendations)
        {
            Option(option, decision, quoted, shown, blocks);
        }
    }

    private static void Option(RankedOption option, Decision decision, Dictionary<Statement, RankedOption> quoted, Dictionary<Trial, RankedOption> shown, Blocks blocks)
    {
        var kb = decision.Knowledge;
        var facts = decision.Facts;
        blocks.Section($"Option {DecisionView.Rank(option)}: {DecisionView.RegimenName(option, kb)}", spaced: false);

        // The words of the statement that sets the rank, each statement quoted once; the others by id.
        var ranking = option.RankedBy;
        var others = option.Statements.Where(s => s.Statement != ranking).Select(s => s.Statement.Id).ToArray();
        var also = others.Length > 0 ? $" Also supported by {string.Join(", ", others)}." : "";
        var quotedBefore = quoted.TryGetValue(ranking, out var earlier) ? $" (quoted under option {DecisionView.Rank(earlier)}, {earlier.Regimen.Name})" : "";
        blocks.Field("Ranked by", $"{ranking.Id}{quotedBefore}.{also}", 2);
        if (earlier is null && ranking.Quote.Length > 0)
        {
            quoted[ranking] = option;
            blocks.Para($"\u201C{ranking.Quote}\u201D \u2014 {ranking.Voice}, {DecisionText.Citation(ranking)}", 4, "italic");
        }

        foreach (var support in option.Statements.Where(s => s.Action.Note is not null))
        {
            blocks.Field("Note", $"{DecisionText.Fill(support.Action.Note!, facts, option.Agents)} [{support.Statement.Id}]", 2);
        }

        // Only the regimen's own trials are its evidence; the others are named with the statement that cites them.
        foreach (var item in option.Evidence().Where(e => e.OfThisRegimen))
        {
            var trial = item.Trial;
            if (shown.TryGetValue(trial, out var first))
            {
                blocks.Item("•", $"Trial of this regimen: {DecisionView.TrialHeading(trial)}, given under option {DecisionView.Rank(first)} ({first.Regimen.Name}).", 2);
                continue;
            }

            shown[trial] = option;
            var results = string.Join(". ", trial.Results.Select(DecisionView.ResultShort));
            blocks.Item("•", $"Trial of this regimen: {DecisionView.TrialHeading(trial)}: {trial.Design}; {trial.Setting}. {trial.Arms}. {results}.", 2);
        }

        if (DecisionView.CitedOnly(option) is { } cited)
        {
            blocks.Para(cited, 2, "dim");
        }
    }

    /// <summary>
    /// Excluded regimens with every reason and its source; not-indicated ones in brief (each reason once, without its
    /// statement's title, the statements by id), as the full reasons are in <c>explain</c> and the JSON.
    /// </summary>
    private static void Verdicts(string title, IReadOnlyList<RegimenVerdict> verdicts, Decision decision, Blocks blocks, bool brief)
    {
        blocks.Section(title, spaced: false);
        if (verdicts.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

        foreach (var group in brief ? DecisionView.GroupBrief(verdicts, decision) : DecisionView.Group(verdicts, decision))
        {
            if (brief && group.Reasons.Count == 1)
            {
                blocks.Item("-", $"{string.Join("; ", group.Regimens)}: {group.Reasons[0]}", 2);
                continue;
            }

            blocks.Strong(string.Join("; ", group.Regimens), 2);
            foreach (var reason in group.Reasons)
            {
                blocks.Item("-", reason, 4);
            }
        }
    }

    private static void Missing(Decision decision, Blocks blocks)
    {
        blocks.Section("Missing data", spaced: false);
        if (decision.MissingData.Count == 0)
        {
            blocks.Para("None: the input answers every question this decision asks.", 2);
            return;
        }

        foreach (var item in DecisionView.MissingBlockingFirst(decision))
        {
            var label = item.Blocking ? "BLOCKING: the decision waits for it" : "would refine the decision";
            blocks.Item("?", $"{item.Field} ({label}). {item.Request}", 2);
        }
    }

    public static void Resistance(Decision decision, Blocks blocks, bool spaced = false)
    {
        blocks.Section("Clinical resistance to anti-HER2 therapy (2016 consensus checklist)", spaced);
        var assessment = decision.Resistance;
        foreach (var criterion in assessment.Criteria)
        {
            blocks.Item(
                DecisionView.CriterionStatus(criterion.Status),
                $"{DecisionText.CriterionText(criterion.Id)}. {DecisionText.CriterionEvidence(criterion, decision.Facts)}",
                2,
                markerStyle: "bold",
                markerWidth: 8);
        }

        blocks.Item("=>", DecisionText.ResistanceConsequence(assessment), 2, "bold", markerWidth: 8);
    }

    private static void Trials(Decision decision, Blocks blocks)
    {
        blocks.Section("Clinical trials the sources point to", spaced: false);
        if (decision.Trials.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

        foreach (var suggestion in decision.Trials)
        {
            var trial = suggestion.Trial;
            blocks.Item("•", $"{DecisionView.TrialHeading(trial)}: {DecisionView.TrialWhy(suggestion)}. Setting: {trial.Setting}. Status: {DecisionView.TrialStatus(trial)}.", 2);
        }
    }

    public static void Lines(Decision decision, Blocks blocks, bool spaced = false)
    {
        var kb = decision.Knowledge;
        blocks.Section("Lines of therapy as Herald reads them", spaced);
        if (decision.Facts.Lines.Count == 0)
        {
            blocks.Para("No metastatic line recorded.", 2);
            return;
        }

        foreach (var line in decision.Facts.Lines)
        {
            var guideline = line.GuidelineLine == line.Number ? "" : $"; guideline line {line.GuidelineLine.ToString(CultureInfo.InvariantCulture)}";
            blocks.Item(
                line.Number.ToString(CultureInfo.InvariantCulture),
                $"{DecisionView.LineAgents(line, kb)}, {DecisionView.LineDates(line)}: {DecisionView.LineOutcome(line)}. "
                + $"{DecisionView.Capitalise(DecisionView.LineKind(line))}; matches {line.MatchedRegimen?.Name ?? "no regimen"}{guideline}.",
                2,
                markerStyle: "bold",
                markerWidth: 2);
        }
    }
}
