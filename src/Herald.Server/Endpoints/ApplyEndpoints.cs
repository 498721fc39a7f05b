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

    private static async Task Apply(HttpContext context, DecisionService decisions, AuditRecorder audit, TimeProvider time)
    {
        var call = audit.Begin(context, Service);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.FhirJson,
                Problems.OperationOutcome("too-costly", [$"the body is larger than {call.MaxRequestBytes} bytes"]));
            return;
        }

        call.Input(body);
        var query = RecommendationEndpoints.ReadQuery(context, out var queryErrors);
        if (queryErrors.Count > 0)
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.FhirJson, Problems.OperationOutcome("invalid", queryErrors.Select(e => $"{e.Path}: {e.Message}")));
            return;
        }

        // A FHIR body, so only a FHIR media type or plain JSON: a form or text/plain post from a web page is refused.
        if (RequestBody.MediaType(context) is not ("application/fhir+json" or "application/json"))
        {
            await call.Answer(context, StatusCodes.Status415UnsupportedMediaType, Problems.FhirJson,
                Problems.OperationOutcome("not-supported", ["send the Parameters resource or Bundle as application/fhir+json (or application/json)"]));
            return;
        }

        if (!RequestBody.TryParse(body, out var document, out var jsonErrors))
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.FhirJson,
                Problems.OperationOutcome("structure", jsonErrors.Select(e => $"{e.Path}: {e.Message}")));
            return;
        }

        using (document)
        {
            var (data, subject, errors) = ReadParameters(document!.RootElement);
            if (errors.Count > 0)
            {
                await call.Answer(context, StatusCodes.Status400BadRequest, Problems.FhirJson, Problems.OperationOutcome("required", errors));
                return;
            }

            var resources = new FhirResourceSet();
            var malformed = resources.Add(data, "data");
            if (malformed.Count > 0)
            {
                await call.Answer(context, StatusCodes.Status400BadRequest, Problems.FhirJson, Problems.OperationOutcome("structure", malformed.Select(e => $"{e.Path}: {e.Message}")));
                return;
            }

            if (RecommendationEndpoints.PartialRecord(context, Service, data, "data") is { Count: > 0 } partial)
            {
                await call.Answer(context, StatusCodes.Status422UnprocessableEntity, Problems.FhirJson,
                    Problems.OperationOutcome("incomplete", partial.Select(e => $"{e.Path}: {e.Message}")));
                return;
            }

            var patientId = subject?.Split('/').Last() ?? query.Patient;
            var outcome = decisions.FromFhir(resources, patientId, query.Edition, query.AsOf);
            call.Describe(outcome.Document?.PatientId ?? patientId, outcome.Document?.Edition ?? query.Edition);
            if (!outcome.Decided)
            {
                await call.Answer(context, StatusCodes.Status422UnprocessableEntity, Problems.FhirJson,
                    Problems.OperationOutcome("incomplete", outcome.Errors.Select(e => $"{e.Path}: {e.Message}")));
                return;
            }

            var bundle = RequestGroupBuilder.Build(outcome.Document!, $"Patient/{outcome.Document!.PatientId}", time.GetUtcNow(), decisions.Knowledge);
            await call.Answer(context, StatusCodes.Status200OK, Problems.FhirJson, RequestGroupBuilder.ToJson(bundle));
        }
    }

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
