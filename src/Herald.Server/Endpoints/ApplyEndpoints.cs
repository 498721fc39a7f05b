using System.Text;
using System.Text.Json;
using Herald.Contracts.Patients;
using Herald.Fhir;
using Herald.Server.Apply;
using Herald.Server.Hosting;
using Herald.Server.Pipeline;

namespace Herald.Server.Endpoints;

/// <summary>
/// <c>POST /fhir/PlanDefinition/herald-her2-metastatic/$apply</c>, in the manner of HL7 CPG-on-FHIR: the body is a
/// FHIR Parameters resource with <c>subject</c> (a Patient reference) and <c>data</c> (a Bundle of the patient's
/// resources), or the Bundle alone; the answer is a Bundle holding a RequestGroup with one option per ranked regimen.
/// Query: <c>edition</c>, <c>asOf</c> as for /api/recommendations.
/// </summary>
public static class ApplyEndpoints
{
    public const string PlanDefinitionId = "herald-her2-metastatic";
    public const string Service = "fhir/$apply";

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost($"/fhir/PlanDefinition/{PlanDefinitionId}/$apply", Apply);

    private static async Task Apply(HttpContext context, DecisionService decisions, AuditRecorder audit, ILoggerFactory logs)
    {
        var call = audit.Begin(context, Service);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.FhirJson,
                Problems.OperationOutcome("too-costly", [$"the body is larger than {call.MaxRequestBytes} bytes"]));
            return;
        }

        await call.Answer(context, Compute(call.Input(context, body), decisions, logs.CreateLogger(RecommendationEndpoints.FhirInputLog)));
    }

    /// <summary>The answer to an $apply call: the same bytes for the same input, live or replayed from the audit record.</summary>
    public static ComputedAnswer Compute(CallInput call, DecisionService decisions, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(decisions);
        var query = RecommendationEndpoints.ReadQuery(call, out var queryErrors);
        if (queryErrors.Count > 0)
        {
            return Fhir(StatusCodes.Status400BadRequest, Problems.OperationOutcome("invalid", queryErrors.Select(e => $"{e.Path}: {e.Message}")));
        }

        // A FHIR body, so only a FHIR media type or plain JSON: a form or text/plain post from a web page is refused.
        if (call.MediaType is not ("application/fhir+json" or "application/json"))
        {
            return Fhir(StatusCodes.Status415UnsupportedMediaType,
                Problems.OperationOutcome("not-supported", ["send the Parameters resource or Bundle as application/fhir+json (or application/json)"]));
        }

        if (!RequestBody.TryParse(call.Body, out var document, out var jsonErrors))
        {
            return Fhir(StatusCodes.Status400BadRequest, Problems.OperationOutcome("structure", jsonErrors.Select(e => $"{e.Path}: {e.Message}")));
        }

        using (document)
        {
            var (data, subject, errors) = ReadParameters(document!.RootElement);
            if (errors.Count > 0)
            {
                return Fhir(StatusCodes.Status400BadRequest, Problems.OperationOutcome("required", errors));
            }

            var resources = new FhirResourceSet();
            var malformed = resources.Add(data, "data");
            if (malformed.Count > 0)
            {
                return Fhir(StatusCodes.Status400BadRequest, Problems.OperationOutcome("structure", malformed.Select(e => $"{e.Path}: {e.Message}")));
            }

            if (RecommendationEndpoints.PartialRecord(log, Service, data, "data") is { Count: > 0 } partial)
            {
                return Fhir(StatusCodes.Status422UnprocessableEntity, Problems.OperationOutcome("incomplete", partial.Select(e => $"{e.Path}: {e.Message}")));
            }

            var patientId = subject?.Split('/').Last() ?? query.Patient;
            var outcome = decisions.FromFhir(resources, patientId, query.Edition, query.AsOf, call.Today);
            var described = outcome.Document?.PatientId ?? patientId;
            var edition = outcome.Document?.Edition ?? query.Edition;
            if (!outcome.Decided)
            {
                return Fhir(StatusCodes.Status422UnprocessableEntity, Problems.OperationOutcome("incomplete", outcome.Errors.Select(e => $"{e.Path}: {e.Message}")))
                    with { PatientId = described, Edition = edition };
            }

            var bundle = RequestGroupBuilder.Build(outcome.Document!, $"Patient/{outcome.Document!.PatientId}", call.Now, decisions.Knowledge);
            return Fhir(StatusCodes.Status200OK, RequestGroupBuilder.ToJson(bundle)) with
            {
                PatientId = described,
                Edition = edition,
                Summary = AuditSummaries.Of(outcome.Document!),
            };
        }
    }

    private static ComputedAnswer Fhir(int status, string body) => new(status, Problems.FhirJson, body);

    /// <summary>A Parameters resource (subject, data) or a bare Bundle.</summary>
    private static (JsonElement Data, string? Subject, List<string> Errors) ReadParameters(JsonElement root)
    {
        var errors = new List<string>();
        var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "Bundle")
        {
            return (root, null, errors);
        }

        if (type != "Parameters")
        {
            errors.Add("the body must be a FHIR Parameters resource (subject, data) or a Bundle");
            return (default, null, errors);
        }

        JsonElement? data = null;
        string? subject = null;
        if (root.TryGetProperty("parameter", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
        {
            foreach (var parameter in parameters.EnumerateArray())
            {
                var name = parameter.ValueKind == JsonValueKind.Object && parameter.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                if (name == "data" && parameter.TryGetProperty("resource", out var resource))
                {
                    data = resource;
                }
                else if (name == "subject")
                {
                    subject = parameter.TryGetProperty("valueString", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()
                        : parameter.TryGetProperty("valueReference", out var r) && r.ValueKind == JsonValueKind.Object && r.TryGetProperty("reference", out var reference) && reference.ValueKind == JsonValueKind.String ? reference.GetString()
                        : null;
                }
            }
        }

        if (data is null)
        {
            errors.Add("Parameters.parameter 'data' (a Bundle of the patient's resources) is required");
        }

        return (data ?? default, subject, errors);
    }
}
