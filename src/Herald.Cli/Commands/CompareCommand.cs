using System.CommandLine;
using Herald.Cli.Rendering;
using Herald.Contracts.Output;
using Herald.Core.Engine;
using Spectre.Console;

namespace Herald.Cli.Commands;

/// <summary>
/// <c>herald compare patient.json</c>: the patient decided under every edition, side by side, differences marked.
/// The JSON is the document the web page's edition comparison renders (<c>POST /api/comparison</c>).
/// </summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context) => CommonOptions.PatientCommand(
        context,
        "compare",
        "Decide the patient under every edition (2014 ASCO, 2016 consensus, 2021 panel, combined) and show the differences",
        [OutputFormat.Text, OutputFormat.Json],
        (patientCase, format) => Execute(context, patientCase, format),
        withEdition: false);

    private static int Execute(CliContext context, PatientCase patientCase, OutputFormat format)
    {
        var engine = new DecisionEngine(patientCase.Knowledge);
        var decisions = patientCase.Knowledge.Editions.Select(edition => engine.Decide(patientCase.Patient, patientCase.AsOf, edition)).ToArray();
        var comparison = ComparisonDocumentMapper.Map(decisions);
        if (format == OutputFormat.Json)
        {
            context.WriteOut(BrowseJson.Serialize(comparison));
            return ExitCodes.Success;
        }

        var console = ConsoleFactory.Create(context.Out, context.Interactive);
        console.WriteLine($"{comparison.PatientId}, as of {comparison.AsOf}: every edition side by side");
        var table = Blocks.Table(["Regimen", .. comparison.Editions.Select(e => e.EditionName), "Same in all?"]);
        table.AddRow([
            Blocks.Cell("Decision point"),
            .. comparison.Editions.Select(e => Blocks.Cell(e.DecisionPoint.Label)),
            Blocks.Cell(comparison.DecisionPointDiffers ? "DIFFERS" : "same"),
        ]);
        foreach (var row in comparison.Rows)
        {
            table.AddRow([
                Blocks.Cell(row.Regimen.Name),
                .. row.Cells.Select(c => Blocks.Cell(CellText(c))),
                Blocks.Cell(row.Differs ? "DIFFERS" : "same"),
            ]);
        }

        console.Write(table);
        return ExitCodes.Success;
    }

    private static string CellText(ComparisonCellDocument cell) => cell.Status switch
    {
        "recommended" => $"rank {cell.Rank}{(cell.Tied == true ? " (tied)" : "")}, {cell.StrengthLabel}",
        "excluded" => "excluded: " + string.Join("; ", cell.Reasons),
        "not-indicated" => "not indicated here",
        _ => "not in this edition",
    };
}
