using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts.Patients;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Herald.Server.Hosting;

/// <summary>
/// Error bodies, written one way. HTTP errors are RFC 9457 problem documents (<see cref="ProblemDetails"/>, written by
/// ASP.NET Core's problem details service, or rendered with the same serializer settings when the audit must keep the
/// exact text sent); each names what is wrong and where (<c>errors[]</c>: path and message) and none carries a stack
/// trace or patient data. FHIR-facing errors (the 412 of a prefetch, $apply) are OperationOutcomes.
/// </summary>
public static class Problems
{
    public const string ProblemJson = "application/problem+json";
    public const string FhirJson = "application/fhir+json";

    /// <summary>A problem document: the status, its reason phrase as title, the detail, and each error with its path.</summary>
    /// <param name="code">A stable failure code (authentication: <c>expired</c>, <c>wrong-audience</c>, ...).</param>
    public static ProblemDetails Create(HttpContext context, int status, string detail, IReadOnlyList<InputError>? errors = null,
        string? code = null, string? title = null)
    {
        var problem = new ProblemDetails
        {
            Type = TypeOf(status),
            Title = title ?? ReasonPhrases.GetReasonPhrase(status),
            Status = status,
            Detail = detail,
        };
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["path"] = e.Path, ["message"] = e.Message }).ToArray());
        }

        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }

        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        return problem;
    }

    /// <summary>The problem as the text the audit keeps and the caller receives, with the server's JSON settings.</summary>
    public static string Render(HttpContext context, ProblemDetails problem) =>
        JsonSerializer.Serialize(problem, context.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions);

    /// <summary>Writes the problem (not audited: authentication, 404, 413, 500, ...).</summary>
    public static async Task Write(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The caller's Accept header named no JSON type: the problem goes out all the same.
            context.Response.ContentType = ProblemJson;
            await context.Response.WriteAsync(Render(context, problem), context.RequestAborted);
        }
    }

    public static Task Write(HttpContext context, int status, string title, string detail, IReadOnlyList<InputError>? errors = null) =>
        Write(context, Create(context, status, detail, errors, title: title));

    public static Task BadRequest(HttpContext context, string detail, IReadOnlyList<InputError>? errors = null) =>
        Write(context, Create(context, StatusCodes.Status400BadRequest, detail, errors));

    /// <summary>The RFC 9110 section of a status, as ASP.NET Core's own problem details name it.</summary>
    public static string TypeOf(int status) => status switch
    {
        400 => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        401 => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        403 => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        412 => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        413 => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        415 => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        500 => "https://tools.ietf.org/html/rfc9110#section-15.6.1",
        503 => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => "about:blank",
    };

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
}
