using System.CommandLine;
using Herald.Core.Decisions;

namespace Herald.Cli.Commands;

/// <summary><c>herald validate patient.json</c>: checks the input only; no decision is made.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliContext context)
    {
        var file = CommonOptions.PatientFile();
        var asOf = CommonOptions.AsOf();
        var knowledge = CommonOptions.Knowledge();
        var command = new Command("validate", "Check a patient file against the input rules without deciding: 'valid' and the as-of date, or every problem")
        {
            file, asOf, knowledge,
        };
        command.SetAction(parse =>
        {
            var request = new PatientRequest(parse.GetValue(file)!, null, parse.GetValue(asOf), parse.GetValue(knowledge), JsonErrors: false);
            return PatientCases.Run(context, request, patientCase =>
            {
                context.WriteOut($"valid: {patientCase.Patient.Id}, as of {DecisionText.Date(patientCase.AsOf)}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
