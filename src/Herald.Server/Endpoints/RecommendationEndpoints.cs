using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Fhir;
using Herald.Server.Hosting;
using Herald.Server.Pipeline;

namespace Herald.Server.Endpoints;

/// <summary>
/// <c>POST /api/recommendations</c>: the CLI's JSON contract over HTTP. The body is the native patient JSON
/// (<c>application/json</c>) or a FHIR Bundle of the patient's resources (<c>application/fhir+json</c>); for FHIR
/// input the answer adds <c>fhirMapping</c>: the native patient Herald read, the derived lines with how each was
/// derived, unmapped codes and mapping notes, so a clinician can check and correct them.
/// </summary>
public static class RecommendationEndpoints
{
    public const string Service = "api/recommendations";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/recommendations", Recommend);

    private static async Task Recommend(HttpContext context, DecisionService decisions, AuditRecorder audit)
    {
        var call = audit.Begin(context, Service);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.ProblemJson,
                ProblemBody(413, "Payload Too Large", $"the body is larger than {call.MaxRequestBytes} bytes", []));
            return;
        }

        call.Input(body);
        var query = ReadQuery(context, out var queryErrors);
        if (queryErrors.Count > 0)
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson, ProblemBody(400, "Bad Request", "the query is invalid", queryErrors));
            return;
        }

        var mediaType = RequestBody.MediaType(context);
        DecisionOutcome outcome;
        switch (mediaType)
        {
            case "application/json":
                outcome = decisions.FromNative(Encoding.UTF8.GetString(body), query.Edition, query.AsOf);
                break;
            case "application/fhir+json":
                var read = FhirResourceSet.Parse(Encoding.UTF8.GetString(body));
                if (!read.IsValid)
                {
                    await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson,
                        ProblemBody(400, "Bad Request", "the FHIR input is malformed", read.Errors.Select(e => new InputError(e.Path, e.Message)).ToArray()));
                    return;
                }

                outcome = decisions.FromFhir(read.Resources, query.Patient, query.Edition, query.AsOf);
                break;
            default:
                await call.Answer(context, StatusCodes.Status415UnsupportedMediaType, Problems.ProblemJson, ProblemBody(415, "Unsupported Media Type",
                    "send the native patient JSON as application/json or a FHIR Bundle as application/fhir+json", []));
                return;
        }

        call.Describe(outcome.Document?.PatientId ?? outcome.Mapping?.Patient["id"]?.GetValue<string>(), outcome.Document?.Edition ?? query.Edition);
        if (!outcome.Decided)
        {
            // Input errors are the caller's to fix: 400 for malformed native input, 422 when FHIR resources parse but
            // do not give Herald what it needs (the mapping is returned so the gap is visible).
            var status = outcome.Mapping is null ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            var problem = ProblemNode(status, status == 400 ? "Bad Request" : "Unprocessable Content",
                "Herald cannot decide from this input; every problem is listed under errors", outcome.Errors);
            if (outcome.Mapping is not null)
            {
                problem["fhirMapping"] = FhirMappingNode(outcome.Mapping);
            }

            await call.Answer(context, status, Problems.ProblemJson, problem.ToJsonString(Json.Indented));
            return;
        }

        var answer = JsonNode.Parse(DecisionJson.Serialize(outcome.Decision!))!.AsObject();
        if (outcome.Mapping is not null)
        {
            answer["fhirMapping"] = FhirMappingNode(outcome.Mapping);
        }

        await call.Answer(context, StatusCodes.Status200OK, "application/json", answer.ToJsonString(Json.Indented));
    }

    internal sealed record Query(string? Edition, DateOnly? AsOf, string? Patient);

    internal static Query ReadQuery(HttpContext context, out List<InputError> errors)
    {
        errors = [];
        var edition = context.Request.Query["edition"].ToString();
        var asOfText = context.Request.Query["asOf"].ToString();
        var patient = context.Request.Query["patient"].ToString();
        DateOnly? asOf = null;
        if (asOfText.Length > 0)
        {
            if (DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", out var parsed))
            {
                asOf = parsed;
            }
            else
            {
                errors.Add(new InputError("asOf", "expected a date as yyyy-MM-dd"));
            }
        }

        return new Query(edition.Length > 0 ? edition : null, asOf, patient.Length > 0 ? patient : null);
    }

    internal static JsonObject FhirMappingNode(FhirMappingResult mapping) =>
        JsonNode.Parse(FhirMappingJson.Serialize(mapping))!.AsObject();

    internal static JsonObject ProblemNode(int status, string title, string detail, IReadOnlyList<InputError> errors)
    {
        var problem = new JsonObject
        {
            ["type"] = "about:blank",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (errors.Count > 0)
        {
            problem["errors"] = new JsonArray(errors.Select(e => (JsonNode)new JsonObject { ["path"] = e.Path, ["message"] = e.Message }).ToArray());
        }

        return problem;
    }

    internal static string ProblemBody(int status, string title, string detail, IReadOnlyList<InputError> errors) =>
        ProblemNode(status, title, detail, errors).ToJsonString(Json.Indented);
}

internal static class Json
{
    public static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = System.Text.Json.Serialization.Metadata.JsonTypeInfoResolver.Combine(),
    };
}
