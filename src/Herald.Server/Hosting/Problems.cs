using System.Text;
using System.Text.Json;
using Herald.Contracts.Patients;

namespace Herald.Server.Hosting;

/// <summary>
/// Error bodies. Every failure names what is wrong and where; none carries a stack trace or patient data.
/// HTTP errors are RFC 9457 problem documents; the FHIR-facing 412 is an OperationOutcome.
/// </summary>
public static class Problems
{
    public const string ProblemJson = "application/problem+json";
    public const string FhirJson = "application/fhir+json";

    public static Task Write(HttpContext context, int status, string title, string detail, IReadOnlyList<InputError>? errors = null) =>
        WriteBody(context, status, ProblemJson, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "about:blank");
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            if (errors is { Count: > 0 })
            {
                writer.WriteStartArray("errors");
                foreach (var error in errors)
                {
                    writer.WriteStartObject();
                    writer.WriteString("path", error.Path);
                    writer.WriteString("message", error.Message);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        });

    public static Task BadRequest(HttpContext context, string detail, IReadOnlyList<InputError>? errors = null) =>
        Write(context, StatusCodes.Status400BadRequest, "Bad Request", detail, errors);

    /// <summary>A FHIR OperationOutcome with one error issue per text (412 for missing prefetch, per CDS Hooks; $apply errors).</summary>
    public static string OperationOutcome(string issueCode, IEnumerable<string> diagnostics) =>
        Render(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "OperationOutcome");
            writer.WriteStartArray("issue");
            foreach (var text in diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", "error");
                writer.WriteString("code", issueCode);
                writer.WriteString("diagnostics", text);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

    /// <summary>A body as text, so the audit keeps exactly what the caller received.</summary>
    public static string Render(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task WriteBody(HttpContext context, int status, string contentType, Action<Utf8JsonWriter> write)
    {
        var body = Render(write);
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
