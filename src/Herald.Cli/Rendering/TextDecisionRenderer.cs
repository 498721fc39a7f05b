using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Spectre.Console;

namespace Herald.Cli.Rendering;

/// <summary>
/// The decision for a clinician at a terminal: header, decision point, the ranked options as a table, then
/// each option's sources, evidence, cautions and monitoring; what is excluded or not indicated and why;
/// missing data, alerts, the clinical-resistance checklist, trials and the lines of therapy as read.
/// </summary>
internal static class TextDecisionRenderer
{
    public static void Render(Decision decision, IAnsiConsole console)
    {
        var blocks = new Blocks(console);
        Header(decision, blocks);
        DecisionPointSection(decision, blocks);
        Options(decision, blocks);
        Verdicts("Excluded for this patient", decision.Excluded, decision, blocks);
        Verdicts("Not indicated at this decision point", decision.NotIndicated, decision, blocks);
        Missing(decision, blocks);
        Alerts(decision, blocks);
        Resistance(decision, blocks);
        Trials(decision, blocks);
        Lines(decision, blocks);
        blocks.Blank();
        blocks.Para(DecisionView.Disclaimer, 0, "italic");
    }

    public static void Header(Decision decision, Blocks blocks)
    {
        blocks.Title($"Herald: patient {decision.Facts.Patient.Id}, as of {DecisionText.Date(decision.AsOf)}");
        blocks.Para($"{DecisionView.EditionLabel(decision.Edition)}. Knowledge base {decision.Knowledge.Version}.");
    }

    public static void DecisionPointSection(Decision decision, Blocks blocks)
    {
        blocks.Section("Decision point");
        blocks.Strong(DecisionView.PointTitle(decision.Point), 2);
        foreach (var item in decision.Point.Rationale)
        {
            blocks.Item("•", DecisionText.Rationale(item, decision.Facts), 2);
        }
    }

    public static void OptionsTable(Decision decision, Blocks blocks)
    {
        var kb = decision.Knowledge;
        if (decision.Recommendations.Count == 0)
        {
            blocks.Para("No option is ranked: see the alerts, missing data and exclusions below.", 2);
            return;
        }

        var table = Blocks.Table("Rank", "Regimen", "Agents", "Preference", "Strength of support", "Ranked by", "Weighs against");
        table.Columns[0].NoWrap();
        table.Columns[3].NoWrap();
        foreach (var option in decision.Recommendations)
        {
            table.AddRow(
                Blocks.Cell(DecisionView.Rank(option)),
                Blocks.Cell(option.Regimen.Name),
                Blocks.Cell(DecisionView.Agents(option, kb)),
                Blocks.Cell(option.Preference.Id()),
                Blocks.Cell(option.Strength.Label()),
                Blocks.Cell(DecisionText.Citation(option.RankedBy)),
                Blocks.Cell(option.WeighedAgainst ? "yes" : ""));
        }

        blocks.Write(table);
        if (decision.Recommendations.Any(o => o.Tied))
        {
            blocks.Para("\"=\" marks a tie: the sources do not order these options against each other.", 2, "dim");
        }

        if (decision.Recommendations.Any(o => o.WeighedAgainst))
        {
            blocks.Para("\"Weighs against\": a caution for this patient ranks the option below those without one (see its cautions).", 2, "dim");
        }
    }

    private static void Options(Decision decision, Blocks blocks)
    {
        blocks.Section("Ranked options");
        OptionsTable(decision, blocks);

        // A trial's results are given in full under the first option that cites it.
        var firstCited = new Dictionary<Trial, RankedOption>();
        foreach (var option in decision.Recommendations)
        {
            Option(option, decision, firstCited, blocks);
        }
    }

    private static void Option(RankedOption option, Decision decision, Dictionary<Trial, RankedOption> firstCited, Blocks blocks)
    {
        var kb = decision.Knowledge;
        var facts = decision.Facts;
        blocks.Section($"Option {DecisionView.Rank(option)}: {DecisionView.RegimenName(option, kb)}");
        blocks.Para($"Preference: {option.Preference.Id()}. {option.Strength.Label()}. Ranked by {option.RankedBy.Id} ({option.RankedBy.Edition.Id}).", 2);

        blocks.Blank();
        blocks.Strong("What the sources say", 2);
        foreach (var support in option.Statements)
        {
            var statement = support.Statement;
            blocks.Item("•", $"{statement.Title} [{statement.Id}]", 2, "bold");
            blocks.Para(DecisionView.StatementCitation(statement), 4, "dim");
            if (statement.Quote.Length > 0)
            {
                blocks.Para($"\u201C{statement.Quote}\u201D", 4, "italic");
            }

            if (support.Action.Note is { } note)
            {
                blocks.Para("Note: " + DecisionText.Fill(note, facts, option.Agents), 4);
            }
        }

        var evidence = option.Evidence().ToList();
        if (evidence.Count > 0)
        {
            blocks.Blank();
            blocks.Strong("Evidence", 2);
            foreach (var trial in evidence)
            {
                if (firstCited.TryGetValue(trial, out var earlier))
                {
                    blocks.Item("•", $"{DecisionView.TrialHeading(trial)}: see option {DecisionView.Rank(earlier)}.", 2);
                    continue;
                }

                firstCited[trial] = option;
                blocks.Item("•", $"{DecisionView.TrialHeading(trial)}: {trial.Design}; {trial.Setting}. {trial.Arms}.", 2);
                foreach (var result in trial.Results)
                {
                    blocks.Item("-", DecisionView.Result(result), 4);
                }
            }
        }

        if (option.Cautions.Count > 0)
        {
            blocks.Blank();
            blocks.Strong("Cautions", 2);
            foreach (var caution in option.Cautions)
            {
                var mark = caution.WeighsAgainst ? "Weighs against this option. " : "";
                blocks.Item("!", DecisionView.WithSource(mark + DecisionText.Note(caution, facts), DecisionView.Source(caution)), 2);
            }
        }

        if (option.Monitoring.Count > 0)
        {
            blocks.Blank();
            blocks.Strong("Monitoring", 2);
            foreach (var monitoring in option.Monitoring)
            {
                blocks.Item("•", DecisionView.WithSource(DecisionText.Note(monitoring, facts), DecisionView.Source(monitoring)), 2);
            }
        }
    }

    private static void Verdicts(string title, IReadOnlyList<RegimenVerdict> verdicts, Decision decision, Blocks blocks)
    {
        blocks.Section(title);
        if (verdicts.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

        foreach (var group in DecisionView.Group(verdicts, decision))
        {
            foreach (var regimen in group.Regimens)
            {
                blocks.Strong(regimen, 2);
            }

            foreach (var reason in group.Reasons)
            {
                blocks.Item("-", reason, 4);
            }
        }
    }

    private static void Missing(Decision decision, Blocks blocks)
    {
        blocks.Section("Missing data");
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

    private static void Alerts(Decision decision, Blocks blocks)
    {
        blocks.Section("Alerts");
        if (decision.Alerts.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

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
                DecisionView.WithSource(DecisionText.Alert(alert, decision.Facts), DecisionView.Source(alert)),
                2,
                markerStyle: style,
                markerWidth: 8);
        }
    }

    public static void Resistance(Decision decision, Blocks blocks)
    {
        blocks.Section("Clinical resistance to anti-HER2 therapy (2016 consensus checklist)");
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
        blocks.Section("Clinical trials the sources point to");
        if (decision.Trials.Count == 0)
        {
            blocks.Para("None.", 2);
            return;
        }

        foreach (var suggestion in decision.Trials)
        {
            var trial = suggestion.Trial;
            blocks.Item("•", DecisionView.TrialHeading(trial), 2, "bold");
            blocks.Field("Why", DecisionView.TrialWhy(suggestion), 4, 8);
            blocks.Field("Setting", trial.Setting, 4, 8);
            blocks.Field("Status", DecisionView.TrialStatus(trial), 4, 8);
        }
    }

    public static void Lines(Decision decision, Blocks blocks)
    {
        var kb = decision.Knowledge;
        blocks.Section("Lines of therapy as Herald reads them");
        if (decision.Facts.Lines.Count == 0)
        {
            blocks.Para("No metastatic line recorded.", 2);
            return;
        }

        var table = Blocks.Table("Line", "Guideline line", "Agents", "Dates", "Outcome", "Anti-HER2", "Matches regimen");
        table.Columns[0].NoWrap();
        table.Columns[3].NoWrap();
        table.Columns[5].NoWrap();
        foreach (var line in decision.Facts.Lines)
        {
            table.AddRow(
                Blocks.Cell(line.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Blocks.Cell(line.GuidelineLine.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Blocks.Cell(DecisionView.LineAgents(line, kb)),
                Blocks.Cell(DecisionView.LineDates(line)),
                Blocks.Cell(DecisionView.LineOutcome(line)),
                Blocks.Cell(DecisionView.LineKind(line)),
                Blocks.Cell(line.MatchedRegimen?.Name ?? "none"));
        }

        blocks.Write(table);
    }
}
