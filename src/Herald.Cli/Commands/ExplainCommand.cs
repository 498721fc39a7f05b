using System.CommandLine;
using Herald.Cli.Rendering;
using Herald.Contracts.Output;
using Herald.Core.Engine;

namespace Herald.Cli.Commands;

/// <summary><c>herald explain patient.json</c>: every statement and safety rule as evaluated for the patient.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context) => CommonOptions.PatientCommand(
        context,
        "explain",
        "Show the full trace: the decision point, every statement of the edition with its status and condition tree, every safety rule, then the result",
        [OutputFormat.Text, OutputFormat.Json],
        (patientCase, format) => Execute(context, patientCase, format));

    private static int Execute(CliContext context, PatientCase patientCase, OutputFormat format)
    {
        var decision = new DecisionEngine(patientCase.Knowledge).Decide(patientCase.Patient, patientCase.AsOf, patientCase.Edition, trace: true);
        if (format == OutputFormat.Json)
        {
            context.WriteOut(TraceJson.Serialize(decision));
        }
        else
        {
            TraceTextRenderer.Render(decision, ConsoleFactory.Create(context.Out, context.Interactive));
        }

        return ExitCodes.Success;
    }
}
