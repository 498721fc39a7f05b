using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Herald.Cli.Commands;

internal enum OutputFormat
{
    Text,
    Json,
    Markdown,
}

/// <summary>The arguments and options several verbs share, built fresh for each command (a symbol has one parent).</summary>
internal static class CommonOptions
{
    public static Argument<string> PatientFile() => new("patient.json")
    {
        Description = "The patient as JSON (docs/patient-input.md; examples/*.json)",
    };

    public static Option<string?> Edition() => new("--edition")
    {
        Description = "The edition of the knowledge base to decide with (default: the knowledge base's default edition; 'herald kb list editions')",
        HelpName = "id",
    };

    public static Option<DateOnly?> AsOf() => new("--as-of")
    {
        Description = "The date the decision is made for (default: the patient's assessmentDate, else today)",
        HelpName = "yyyy-MM-dd",
        CustomParser = ParseDate,
    };

    public static Option<string?> Knowledge() => new("--knowledge")
    {
        Description = "Read the knowledge files from this directory instead of the built-in knowledge base",
        HelpName = "dir",
    };

    public static Option<string> Format(params OutputFormat[] allowed)
    {
        var names = allowed.Select(Name).ToArray();
        var option = new Option<string>("--format")
        {
            Description = $"Output format: {string.Join(", ", names)}",
            HelpName = string.Join("|", names),
            DefaultValueFactory = _ => names[0],
        };
        option.AcceptOnlyFromAmong(names);
        return option;
    }

    /// <summary>
    /// A verb that decides for one patient (recommend, explain): the patient file, --format, --edition,
    /// --as-of and --knowledge, then <paramref name="execute"/> with the patient read and checked.
    /// </summary>
    public static Command PatientCommand(
        CliContext context, string name, string description, OutputFormat[] formats, Func<PatientCase, OutputFormat, int> execute,
        bool withEdition = true)
    {
        var file = PatientFile();
        var format = Format(formats);
        var edition = Edition();
        var asOf = AsOf();
        var knowledge = Knowledge();
        var command = new Command(name, description) { file, format, asOf, knowledge };
        if (withEdition)
        {
            command.Options.Add(edition);
        }

        command.SetAction(parse =>
        {
            var chosen = ParseFormat(parse.GetValue(format));
            var request = new PatientRequest(
                parse.GetValue(file)!, withEdition ? parse.GetValue(edition) : null, parse.GetValue(asOf), parse.GetValue(knowledge), chosen == OutputFormat.Json);
            return PatientCases.Run(context, request, patientCase => execute(patientCase, chosen));
        });
        return command;
    }

    public static OutputFormat ParseFormat(string? name) => name switch
    {
        "json" => OutputFormat.Json,
        "markdown" => OutputFormat.Markdown,
        _ => OutputFormat.Text,
    };

    public static string Name(OutputFormat format) => format switch
    {
        OutputFormat.Text => "text",
        OutputFormat.Json => "json",
        OutputFormat.Markdown => "markdown",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    private static DateOnly? ParseDate(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (DateOnly.TryParseExact(token, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        result.AddError($"--as-of: '{token}' is not a date; write it as yyyy-MM-dd (e.g. 2024-06-01).");
        return null;
    }
}
