using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts;
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
/// derived, unmapped codes and mapping notes, so a clinician can check and correct them. A FHIR body that is only part
/// of a record (a search page, an error OperationOutcome) is answered 422 with no decision.
/// </summary>
public static class RecommendationEndpoints
{
    public const string Service = "api/recommendations";

    public const string ComparisonService = "api/comparison";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/recommendations", (HttpContext context, DecisionService decisions, AuditRecorder audit) =>
            Answer(context, audit, Service, (input, query) => Recommend(decisions, input, query)));
        app.MapPost("/api/comparison", (HttpContext context, DecisionService decisions, AuditRecorder audit) =>
            Answer(context, audit, ComparisonService, (input, query) => Compare(decisions, input, query)));
    }

    /// <summary>The body as Herald reads it: native patient JSON, or parsed FHIR resources.</summary>
    private sealed record Input(string? NativeJson, FhirResourceSet? Resources);

    /// <summary>What a route made of its input: the answer, or the errors and (for FHIR) the mapping that explains them.</summary>
    private sealed record RouteResult(JsonObject? Answer, IReadOnlyList<InputError> Errors, FhirMappingResult? Mapping, string? PatientId, string? Edition);

    private static RouteResult Recommend(DecisionService decisions, Input input, Query query)
    {
        var outcome = input.Resources is { } resources
            ? decisions.FromFhir(resources, query.Patient, query.Edition, query.AsOf)
            : decisions.FromNative(input.NativeJson!, query.Edition, query.AsOf);
        var answer = outcome.Document is { } document ? JsonNode.Parse(DecisionJson.Serialize(document))!.AsObject() : null;
        return new RouteResult(answer, outcome.Errors, outcome.Mapping,
            outcome.Document?.PatientId ?? PatientIdOf(outcome.Mapping), outcome.Document?.Edition ?? query.Edition);
    }

    private static RouteResult Compare(DecisionService decisions, Input input, Query query)
    {
        var outcome = input.Resources is { } resources
            ? decisions.CompareFhir(resources, query.Patient, query.AsOf)
            : decisions.CompareNative(input.NativeJson!, query.AsOf);
        var answer = outcome.Document is { } document ? JsonNode.Parse(BrowseJson.Serialize(document))!.AsObject() : null;
        // Every edition is decided, so the audit record names none.
        return new RouteResult(answer, outcome.Errors, outcome.Mapping, outcome.Document?.PatientId ?? PatientIdOf(outcome.Mapping), null);
    }

    private static string? PatientIdOf(FhirMappingResult? mapping) => mapping?.Patient["id"]?.GetValue<string>();

    private static async Task Answer(HttpContext context, AuditRecorder audit, string service, Func<Input, Query, RouteResult> route)
    {
        var call = audit.Begin(context, service);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.ProblemJson,
                ProblemBody(context, 413, "Payload Too Large", $"the body is larger than {call.MaxRequestBytes} bytes", []));
            return;
        }

        call.Input(body);
        var query = ReadQuery(context, out var queryErrors);
        if (queryErrors.Count > 0)
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson, ProblemBody(context, 400, "Bad Request", "the query is invalid", queryErrors));
            return;
        }

        Input input;
        var mediaType = RequestBody.MediaType(context);
        if (mediaType is not ("application/json" or "application/fhir+json"))
        {
            await call.Answer(context, StatusCodes.Status415UnsupportedMediaType, Problems.ProblemJson, ProblemBody(context, 415, "Unsupported Media Type",
                "send the native patient JSON as application/json or a FHIR Bundle as application/fhir+json", []));
            return;
        }

        // The native reader names members given twice itself, among every other problem; FHIR input is screened for them here.
        var native = mediaType == "application/json";
        if (StrictJson.Check(body, refuseDuplicateNames: !native) is { Count: > 0 } malformed)
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson,
                ProblemBody(context, 400, "Bad Request", "the body is not well-formed JSON; every fault is listed under errors", malformed));
            return;
        }

        if (native)
        {
            input = new Input(RequestBody.Text(body), null);
        }
        else
        {
            var read = FhirResourceSet.Parse(RequestBody.Text(body));
            if (!read.IsValid)
            {
                await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson,
                    ProblemBody(context, 400, "Bad Request", "the FHIR input is malformed", read.Errors.Select(e => new InputError(e.Path, e.Message)).ToArray()));
                return;
            }

            if (PartialRecord(context, service, body) is { Count: > 0 } partial)
            {
                await call.Answer(context, StatusCodes.Status422UnprocessableEntity, Problems.ProblemJson, ProblemBody(context, 422, "Unprocessable Content",
                    "the FHIR input is only part of the patient's record, so Herald does not decide from it; every problem is listed under errors", partial));
                return;
            }

            input = new Input(null, read.Resources);
        }

        var result = route(input, query);
        call.Describe(result.PatientId, result.Edition);
        if (result.Answer is not { } answer)
        {
            // Input errors are the caller's to fix: 400 for malformed native input, 422 when FHIR resources parse but
            // do not give Herald what it needs (the mapping is returned so the gap is visible).
            var status = result.Mapping is null ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            var problem = Problems.Create(context, status, "Herald cannot decide from this input; every problem is listed under errors",
                result.Errors, title: status == 400 ? "Bad Request" : "Unprocessable Content");
            if (result.Mapping is not null)
            {
                problem.Extensions["fhirMapping"] = FhirMappingNode(result.Mapping);
            }

            await call.Answer(context, status, Problems.ProblemJson, Problems.Render(context, problem));
            return;
        }

        if (result.Mapping is not null)
        {
            answer["fhirMapping"] = FhirMappingNode(result.Mapping);
        }

        await call.Answer(context, StatusCodes.Status200OK, "application/json", answer.ToJsonString(Json.Indented));
    }

    /// <summary>
    /// What makes a FHIR body only part of a record (<see cref="FhirCompleteness"/>): a search page with a next link, a
    /// total above its matches, an OperationOutcome reporting an error. Logged with codes and counts only.
    /// </summary>
    internal static IReadOnlyList<InputError> PartialRecord(HttpContext context, string service, byte[] body)
    {
        if (!FhirCompleteness.MayBeIncomplete(body))
        {
            return [];
        }

        using var document = JsonDocument.Parse(StrictJson.WithoutBom(body));
        return PartialRecord(context, service, document.RootElement, location: null);
    }

    internal static IReadOnlyList<InputError> PartialRecord(HttpContext context, string service, JsonElement data, string? location)
    {
        var findings = FhirCompleteness.Check(data, location);
        if (findings.Count > 0)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Herald.Server.FhirInput").LogWarning(
                "Refused FHIR input to {Service} as a partial record ({Reasons}): {Findings} findings",
                service, string.Join(",", findings.Select(f => f.Code).Distinct()), findings.Count);
        }

        return findings.Select(f => new InputError(f.Path, f.Message)).ToArray();
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

    /// <summary>The native patient Herald read from the FHIR resources (a form can be filled from it), then the report.</summary>
    internal static JsonObject FhirMappingNode(FhirMappingResult mapping)
    {
        var node = JsonNode.Parse(FhirMappingJson.Serialize(mapping))!.AsObject();
        node.Insert(0, "patient", mapping.Patient.DeepClone());
        return node;
    }

    /// <summary>A problem document as the text an audited answer sends.</summary>
    internal static string ProblemBody(HttpContext context, int status, string title, string detail, IReadOnlyList<InputError> errors) =>
        Problems.Render(context, Problems.Create(context, status, detail, errors, title: title));
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
