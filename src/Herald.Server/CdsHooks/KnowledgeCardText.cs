using System.Runtime.CompilerServices;
using System.Text;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;

namespace Herald.Server.CdsHooks;

/// <summary>
/// The Markdown of card parts that come from the knowledge base alone: a statement's heading and quote, a trial's line
/// and results. They are the bulk of a regimen card and the same on every answer, so each is rendered once per
/// statement or trial object and kept with it (a loaded edition's objects; a knowledge base loaded again gets fresh
/// entries, and entries go when their objects do). Nothing here depends on the patient.
/// </summary>
internal static class KnowledgeCardText
{
    private static readonly ConditionalWeakTable<Statement, string> Statements = new();
    private static readonly ConditionalWeakTable<Trial, string> Trials = new();

    /// <summary>"**Title** — voice, citation (edition)", the quote as a blockquote, and how Herald reads it.</summary>
    public static string Statement(Statement statement) => Statements.GetValue(statement, RenderStatement);

    /// <summary>The trial's line (heading, design, setting, arms, publication) and one line per result.</summary>
    public static string Trial(Trial trial) => Trials.GetValue(trial, RenderTrial);

    private static string RenderStatement(Statement statement)
    {
        var md = new StringBuilder(statement.Quote.Length + 256);
        md.Append("\n**").Append(CardText.Escape(statement.Title)).Append("** — ")
          .Append(CardText.Escape(statement.Voice)).Append(", ").Append(CardText.Escape(DecisionText.Citation(statement)))
          .Append(" (").Append(statement.Edition.Id).Append(")\n\n");
        md.Append(CardText.Blockquote(statement.Quote)).Append("\n\n");
        if (statement.Interpretation is { } reading)
        {
            md.Append("*How Herald reads it:* ").Append(CardText.Escape(reading)).Append('\n');
        }

        return md.ToString();
    }

    private static string RenderTrial(Trial trial)
    {
        var md = new StringBuilder(512);
        md.Append("- **").Append(CardText.Escape(DecisionView.TrialHeading(trial))).Append("**")
          .Append(" — ").Append(CardText.Escape(trial.Design)).Append("; ").Append(CardText.Escape(trial.Setting))
          .Append("; ").Append(CardText.Escape(trial.Arms))
          .Append(trial.Publication is { } publication ? $". {CardText.Escape(publication)}" : "").Append('\n');
        foreach (var result in trial.Results)
        {
            md.Append("  - ").Append(CardText.Escape(DecisionView.Result(result))).Append('\n');
        }

        return md.ToString();
    }
}
