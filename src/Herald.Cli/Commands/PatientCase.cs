using System.Text.Encodings.Web;
using System.Text.Json;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Cli.Commands;

/// <summary>What recommend, explain and validate are given on the command line.</summary>
internal sealed record PatientRequest(string File, string? Edition, DateOnly? AsOf, string? KnowledgeDirectory, bool JsonErrors);

/// <summary>A patient read and validated, with the knowledge base, edition and "now" to decide with.</summary>
internal sealed record PatientCase(KnowledgeBase Knowledge, Edition Edition, Patient Patient, DateOnly AsOf);

/// <summary>
/// Turns a <see cref="PatientRequest"/> into a <see cref="PatientCase"/>, or reports why it cannot (exit code 2):
/// the one message naming every problem on standard error and, for --format json, the error document on
/// standard output.
/// </summary>
internal static class PatientCases
{
    public static int Run(CliContext context, PatientRequest request, Func<PatientCase, int> body)
    {
        PatientCase patientCase;
        try
        {
            var kb = KnowledgeSource.Load(request.KnowledgeDirectory);
            var edition = KnowledgeSource.Edition(kb, request.Edition);
            var today = context.Today;
            if (request.AsOf is { } asOf && asOf > today)
            {
                throw new UsageException("--as-of", $"--as-of: {DecisionText.Date(asOf)} is after today ({DecisionText.Date(today)}): a decision cannot be made as of a future date.");
            }

            var json = ReadFile(request.File);

            // --as-of replaces the patient's assessmentDate; the patient's dates are checked against it.
            var read = PatientJsonReader.Read(json, kb, today, request.AsOf);
            if (!read.IsValid)
            {
                var message = read.Describe();
                if (request.AsOf is { } given)
                {
                    message += $"\n(Dates were checked against --as-of {DecisionText.Date(given)}.)";
                }

                context.WriteError(message);
                if (request.JsonErrors)
                {
                    context.WriteOut(InputErrorJson.Serialize(read));
                }

                return ExitCodes.InvalidInput;
            }

            patientCase = new PatientCase(kb, edition, read.Patient, read.AsOf);
        }
        catch (UsageException e)
        {
            context.WriteError(e.Message);
            if (request.JsonErrors)
            {
                context.WriteOut(UsageErrorJson(e));
            }

            return ExitCodes.InvalidInput;
        }

        return body(patientCase);
    }

    // Bytes, not text: the reader refuses bytes that are not UTF-8 instead of reading them as U+FFFD.
    private static byte[] ReadFile(string file)
    {
        try
        {
            return File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException("patient.json", $"Cannot read the patient file '{file}': it does not exist.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new UsageException("patient.json", $"Cannot read the patient file '{file}': {e.Message}");
        }
    }

    /// <summary>A usage error in the shape of the input-error document: <c>{ "errors": [ { "path", "message" } ] }</c>.</summary>
    private static string UsageErrorJson(UsageException e) => InputErrorJson.Serialize([new InputError(e.Path, e.Message)]);
}
