using System.CommandLine;
using Herald.Cli.Rendering;
using Herald.Contracts.Output;
using Herald.Core.Engine;

namespace Herald.Cli.Commands;

/// <summary><c>herald explain patient.json</c>: every statement and safety rule as evaluated for the patient.</summary>
internal static class ExplainCommand
{
    public static Command Create(CliContext context)
    {
        var file = CommonOptions.PatientFile();
        var format = CommonOptions.Format(OutputFormat.Text, OutputFormat.Json);
        var edition = CommonOptions.Edition();
        var asOf = CommonOptions.AsOf();
        var knowledge = CommonOptions.Knowledge();
        var command = new Command(
            "explain",
            "Show the full trace: the decision point, every statement of the edition with its status and condition tree, every safety rule, then the result")
        {
            file, format, edition, asOf, knowledge,
        };
        command.SetAction(parse =>
        {
            var chosen = CommonOptions.ParseFormat(parse.GetValue(format));
            var request = new PatientRequest(
                parse.GetValue(file)!, parse.GetValue(edition), parse.GetValue(asOf), parse.GetValue(knowledge), chosen == OutputFormat.Json);
            return PatientCases.Run(context, request, patientCase => Execute(context, patientCase, chosen));
        });
        return command;
    }

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
