using System.CommandLine;
using Herald.Cli.Rendering;
using Herald.Contracts.Output;
using Herald.Core.Engine;

namespace Herald.Cli.Commands;

/// <summary><c>herald recommend patient.json</c>: the ranked options, exclusions, missing data and alerts.</summary>
internal static class RecommendCommand
{
    public static Command Create(CliContext context) => CommonOptions.PatientCommand(
        context,
        "recommend",
        "Rank the treatment options for a patient, with the sources' own words, and say what is excluded and why",
        [OutputFormat.Text, OutputFormat.Json, OutputFormat.Markdown],
        (patientCase, format) => Execute(context, patientCase, format));

    private static int Execute(CliContext context, PatientCase patientCase, OutputFormat format)
    {
        var decision = new DecisionEngine(patientCase.Knowledge).Decide(patientCase.Patient, patientCase.AsOf, patientCase.Edition);
        switch (format)
        {
            case OutputFormat.Json:
                context.WriteOut(DecisionJson.Serialize(decision));
                break;
            case OutputFormat.Markdown:
                context.WriteOut(MarkdownDecisionRenderer.Render(decision));
                break;
            default:
                TextDecisionRenderer.Render(decision, ConsoleFactory.Create(context.Out, context.Interactive));
                break;
        }

        return ExitCodes.Success;
    }
}
