using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Audit;
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
        app.MapPost("/api/recommendations", (HttpContext context, DecisionService decisions, AuditRecorder audit, ILoggerFactory logs) =>
            Answer(context, decisions, audit, logs, Service));
        app.MapPost("/api/comparison", (HttpContext context, DecisionService decisions, AuditRecorder audit, ILoggerFactory logs) =>
            Answer(context, decisions, audit, logs, ComparisonService));
    }

    /// <summary>The body as Herald reads it: native patient JSON, or parsed FHIR resources.</summary>
    private sealed record Input(string? NativeJson, FhirResourceSet? Resources);

    /// <summary>What a route made of its input: the answer, or the errors and (for FHIR) the mapping that explains them.</summary>
    private sealed record RouteResult(byte[]? Answer, IReadOnlyList<InputError> Errors, FhirMappingResult? Mapping, string? PatientId, string? Edition, AuditSummary Summary);

    private static RouteResult Recommend(DecisionService decisions, Input input, Query query, DateOnly today)
    {
        var outcome = input.Resources is { } resources
            ? decisions.FromFhir(resources, query.Patient, query.Edition, query.AsOf, today)
            : decisions.FromNative(input.NativeJson!, query.Edition, query.AsOf, today);
        var answer = outcome.Document is { } document ? DecisionJson.SerializeToUtf8(document) : null;
        return new RouteResult(answer, outcome.Errors, outcome.Mapping,
            outcome.Document?.PatientId ?? PatientIdOf(outcome.Mapping), outcome.Document?.Edition ?? query.Edition,
            outcome.Document is { } decided ? AuditSummaries.Of(decided) : AuditSummary.None);
    }

    private static RouteResult Compare(DecisionService decisions, Input input, Query query, DateOnly today)
    {
        var outcome = input.Resources is { } resources
            ? decisions.CompareFhir(resources, query.Patient, query.AsOf, today)
            : decisions.CompareNative(input.NativeJson!, query.AsOf, today);
        var answer = outcome.Document is { } document ? BrowseJson.SerializeToUtf8(document) : null;
        // Every edition is decided, so the audit record names none.
        return new RouteResult(answer, outcome.Errors, outcome.Mapping, outcome.Document?.PatientId ?? PatientIdOf(outcome.Mapping), null,
            outcome.Document is { } compared ? AuditSummaries.Of(compared) : AuditSummary.None);
    }

    private static string? PatientIdOf(FhirMappingResult? mapping) => mapping?.Patient["id"]?.GetValue<string>();

    private static async Task Answer(HttpContext context, DecisionService decisions, AuditRecorder audit, ILoggerFactory logs, string service)
    {
        var call = audit.Begin(context, service);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.ProblemJson,
                ProblemBody(413, "Payload Too Large", $"the body is larger than {call.MaxRequestBytes} bytes", []));
            return;
        }

        await call.Answer(context, Compute(service, call.Input(context, body), decisions, logs.CreateLogger(FhirInputLog)));
    }

    /// <summary>
    /// The answer to a call of <paramref name="service"/> (recommendations or comparison): the same bytes for the same
    /// input, live or replayed from the audit record.
    /// </summary>
    public static ComputedAnswer Compute(string service, CallInput call, DecisionService decisions, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(call);
        var route = service == ComparisonService ? (Func<DecisionService, Input, Query, DateOnly, RouteResult>)Compare : Recommend;
        var query = ReadQuery(call, out var queryErrors);
        if (queryErrors.Count > 0)
        {
            return new ComputedAnswer(StatusCodes.Status400BadRequest, Problems.ProblemJson, ProblemBody(400, "Bad Request", "the query is invalid", queryErrors));
        }

        if (call.MediaType is not ("application/json" or "application/fhir+json"))
        {
            return new ComputedAnswer(StatusCodes.Status415UnsupportedMediaType, Problems.ProblemJson, ProblemBody(415, "Unsupported Media Type",
                "send the native patient JSON as application/json or a FHIR Bundle as application/fhir+json", []));
        }

        // The native reader names members given twice itself, among every other problem; FHIR input is screened for them here.
        // One parse: a FHIR body's resources are read from the screen's own document, which lives until the answer is made.
        var native = call.MediaType == "application/json";
        if (!RequestBody.TryParse(call.Body, out var parsed, out var malformed, refuseDuplicateNames: !native))
        {
            return new ComputedAnswer(StatusCodes.Status400BadRequest, Problems.ProblemJson,
                ProblemBody(400, "Bad Request", "the body is not well-formed JSON; every fault is listed under errors", malformed));
        }

        using var document = parsed;
        Input input;
        if (native)
        {
            input = new Input(RequestBody.Text(call.Body), null);
        }
        else
        {
            var resources = FhirResourceSet.OverLiveDocuments();
            if (resources.Add(document!.RootElement) is { Count: > 0 } unreadable)
            {
                return new ComputedAnswer(StatusCodes.Status400BadRequest, Problems.ProblemJson,
                    ProblemBody(400, "Bad Request", "the FHIR input is malformed", unreadable.Select(e => new InputError(e.Path, e.Message)).ToArray()));
            }

            if (FhirCompleteness.MayBeIncomplete(call.Body) && PartialRecord(log, service, document.RootElement, location: null) is { Count: > 0 } partial)
            {
                return new ComputedAnswer(StatusCodes.Status422UnprocessableEntity, Problems.ProblemJson, ProblemBody(422, "Unprocessable Content",
                    "the FHIR input is only part of the patient's record, so Herald does not decide from it; every problem is listed under errors", partial));
            }

            input = new Input(null, resources);
        }

        var result = route(decisions, input, query, call.Today);
        if (result.Answer is not { } answer)
        {
            // Input errors are the caller's to fix: 400 for malformed native input, 422 when FHIR resources parse but
            // do not give Herald what it needs (the mapping is returned so the gap is visible).
            var status = result.Mapping is null ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            var problem = ProblemNode(status, status == 400 ? "Bad Request" : "Unprocessable Content",
                "Herald cannot decide from this input; every problem is listed under errors", result.Errors);
            if (result.Mapping is not null)
            {
                problem["fhirMapping"] = FhirMappingNode(result.Mapping);
            }

            return new ComputedAnswer(status, Problems.ProblemJson, problem.ToJsonString(Json.Indented)) { PatientId = result.PatientId, Edition = result.Edition };
        }

        return new ComputedAnswer(StatusCodes.Status200OK, "application/json", WithMapping(answer, result.Mapping))
        {
            PatientId = result.PatientId,
            Edition = result.Edition,
            Summary = result.Summary,
        };
    }

    /// <summary>
    /// The answer: the document's own indented JSON and, for FHIR input, the mapping as its last member, indented as the
    /// rest. The same bytes as reading the document into a tree, adding the member and writing the tree with
    /// <see cref="Json.Indented"/> (a test holds them equal on every example), without the tree, which cost about a
    /// third of a REST answer's CPU. A JSON string holds no raw line break, so indenting after each one is exact.
    /// </summary>
    internal static byte[] WithMapping(byte[] document, FhirMappingResult? mapping)
    {
        if (mapping is null)
        {
            return document;
        }

        var close = document.AsSpan().LastIndexOf("\n}"u8);
        if (close < 0)
        {
            throw new InvalidOperationException("The answer document is not an indented JSON object.");
        }

        var member = Encoding.UTF8.GetBytes(FhirMappingNode(mapping).ToJsonString(Json.Indented).Replace("\n", "\n  ", StringComparison.Ordinal));
        var buffer = new ArrayBufferWriter<byte>(document.Length + member.Length + 32);
        buffer.Write(document.AsSpan(0, close));
        buffer.Write(",\n  \"fhirMapping\": "u8);
        buffer.Write(member);
        buffer.Write("\n}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The log category of refused partial FHIR input.</summary>
    public const string FhirInputLog = "Herald.Server.FhirInput";

    /// <summary>
    /// What makes a FHIR body only part of a record (<see cref="FhirCompleteness"/>): a search page with a next link, a
    /// total above its matches, an OperationOutcome reporting an error. Logged with codes and counts only.
    /// </summary>
    internal static IReadOnlyList<InputError> PartialRecord(ILogger log, string service, JsonElement data, string? location)
    {
        var findings = FhirCompleteness.Check(data, location);
        if (findings.Count > 0)
        {
            log.LogWarning(
                "Refused FHIR input to {Service} as a partial record ({Reasons}): {Findings} findings",
                service, string.Join(",", findings.Select(f => f.Code).Distinct()), findings.Count);
        }

        return findings.Select(f => new InputError(f.Path, f.Message)).ToArray();
    }

    internal sealed record Query(string? Edition, DateOnly? AsOf, string? Patient);

    internal static Query ReadQuery(CallInput call, out List<InputError> errors)
    {
        errors = [];
        var edition = call.QueryValue("edition");
        var asOfText = call.QueryValue("asOf");
        var patient = call.QueryValue("patient");
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

    /// <summary>
    /// A problem document an audited answer sends. Everything in it follows from the input, so a replay of the audit
    /// record gives the same bytes: no trace id (the answer's audit id header names the call).
    /// </summary>
    internal static JsonObject ProblemNode(int status, string title, string detail, IReadOnlyList<InputError> errors)
    {
        var problem = new JsonObject
        {
            ["type"] = Problems.TypeOf(status),
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
