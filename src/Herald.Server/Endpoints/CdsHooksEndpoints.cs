using System.Text;
using System.Text.Json;
using Herald.Audit;
using Herald.Contracts.Patients;
using Herald.Fhir;
using Herald.Server.CdsHooks;
using Herald.Server.FhirAccess;
using Herald.Server.Hosting;
using Herald.Server.Pipeline;
using Herald.Server.Security;

namespace Herald.Server.Endpoints;

/// <summary>
/// HL7 CDS Hooks 2.0: discovery, the two services and their feedback. A call's data comes from its prefetch;
/// what the prefetch lacks, or gives only in part, is read from <c>fhirServer</c> with the <c>fhirAuthorization</c>
/// token (<see cref="PrefetchGatherer"/>); when neither gives it whole the answer is 412 with an OperationOutcome
/// naming each key and what was wrong.
/// </summary>
public static class CdsHooksEndpoints
{
    /// <summary>
    /// Feedback entries taken in one request. Feedback is one entry per card, and no Herald answer holds this many cards;
    /// a bound keeps one request from becoming thousands of audit writes (more: 413).
    /// </summary>
    public const int MaxFeedbackEntries = 100;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/cds-services", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(CdsHooksJson.Serialize(CdsServiceCatalog.Discovery), context.RequestAborted);
        }).AllowAnonymous(); // CDS Hooks 2.0 lets clients send a JWT to discovery too; Herald does not ask for one.
        app.MapPost("/cds-services/{id}", Call);
        app.MapPost("/cds-services/{id}/feedback", Feedback);
    }

    private static async Task Call(string id, HttpContext context, DecisionService decisions, AuditRecorder audit, CdsAuthOptions auth, ILogger<PrefetchGatherer> log)
    {
        if (await OpenAsync(id, context, audit) is not var (service, call, body))
        {
            return;
        }

        var caller = context.GetCaller()?.Caller;

        // What fhirServer gives goes into the record with the request: the answer was decided from both.
        async Task<FhirFetchResult> Fetch(string key, string server, string query, string? token, CancellationToken cancellationToken)
        {
            // The FHIR client is resolved only when the prefetch lacks something: a typed HttpClient is built per
            // resolution, which a call answered from its prefetch alone (the usual case) need not pay for.
            var result = FhirServerTrust.Refusal(auth, caller, server) is { } refusal
                ? FhirFetchResult.Fail(FhirServerTrust.ReasonUntrusted, refusal)
                : await context.RequestServices.GetRequiredService<FhirServerClient>().FetchAsync(server, query, token, cancellationToken);
            call.Fetched(key, new AuditFetch(result.Resource, result.Failure, result.Reason));
            return result;
        }

        await call.Answer(context, await ComputeAsync(service, call.Input(context, body), decisions, Fetch, log, context.RequestAborted));
    }

    /// <summary>
    /// The answer to a call of a CDS service: the same bytes for the same input, live (<paramref name="fetch"/> reads
    /// fhirServer) or replayed from the audit record (<paramref name="fetch"/> gives back what was read then).
    /// </summary>
    public static async Task<ComputedAnswer> ComputeAsync(
        CdsServiceDefinition service, CallInput call, DecisionService decisions,
        Func<string, string, string, string?, CancellationToken, Task<FhirFetchResult>> fetch, ILogger log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(decisions);

        // CDS Hooks sends JSON: a form or text/plain post, which a web page may make across origins without asking, is refused.
        if (call.MediaType != "application/json")
        {
            return new ComputedAnswer(StatusCodes.Status415UnsupportedMediaType, Problems.ProblemJson,
                RecommendationEndpoints.ProblemBody(415, "Unsupported Media Type", "a CDS Hooks request is sent as application/json", []))
            {
                Hook = service.Hook,
            };
        }

        // The request's context and prefetch values are read from the parsed body until the answer is made.
        using var parsed = CdsRequestValidator.Parse(call.Body, service);
        if (!parsed.IsValid)
        {
            return new ComputedAnswer(StatusCodes.Status400BadRequest, Problems.ProblemJson, RecommendationEndpoints.ProblemBody(
                400, "Bad Request", "the request does not follow CDS Hooks 2.0", parsed.Faults))
            {
                Hook = service.Hook,
                // Only a hookInstance that is a UUID goes into the audit record and the log: a refused one may hold anything.
                HookInstance = CdsRequestValidator.IsHookInstance(parsed.Request?.HookInstance) ? parsed.Request!.HookInstance : null,
            };
        }

        var request = parsed.Request!;
        var patientId = request.PatientId!;
        var described = new ComputedAnswer(0, "", [])
        {
            Hook = request.Hook,
            HookInstance = request.HookInstance,
            PatientId = patientId,
            Edition = decisions.Knowledge.DefaultEdition.Id,
        };

        var gathered = await PrefetchGatherer.GatherAsync(service, request, patientId, fetch, log, cancellationToken);
        if (gathered.Missing.Count > 0)
        {
            return described with { Status = StatusCodes.Status412PreconditionFailed, ContentType = Problems.FhirJson, Body = Encoding.UTF8.GetBytes(Problems.OperationOutcome("incomplete", gathered.Missing)) };
        }

        if (gathered.Malformed.Count > 0)
        {
            return described with
            {
                Status = StatusCodes.Status400BadRequest,
                ContentType = Problems.ProblemJson,
                Body = Encoding.UTF8.GetBytes(RecommendationEndpoints.ProblemBody(400, "Bad Request", "the FHIR data is malformed", gathered.Malformed)),
            };
        }

        DraftOrderReading? drafts = null;
        if (service.Hook == CdsServiceCatalog.OrderSignHook)
        {
            drafts = DraftOrderReader.Read(request.DraftOrders!.Value, decisions.Knowledge);
            if (drafts.Errors.Count > 0)
            {
                return described with
                {
                    Status = StatusCodes.Status400BadRequest,
                    ContentType = Problems.ProblemJson,
                    Body = Encoding.UTF8.GetBytes(RecommendationEndpoints.ProblemBody(
                        400, "Bad Request", "context.draftOrders is malformed", drafts.Errors.Select(e => new InputError(e.Path, e.Message)).ToArray())),
                };
            }
        }

        // The cards are rendered from the typed decision, so no decision document is made.
        var outcome = decisions.FromFhir(gathered.Resources, patientId, editionId: null, asOf: null, call.Today, withDocument: false);
        var cardContext = new CardContext
        {
            HookInstance = request.HookInstance!,
            PatientId = patientId,
            Unmapped = [.. outcome.Mapping?.Unmapped ?? [], .. drafts?.Unmapped ?? []],
            // A supplementary search not done is said: results known only by name or a local code were not looked for.
            Notes = [.. outcome.Mapping?.Notes ?? [], .. gathered.Skipped.Select(s => new MappingNote("prefetch",
                $"Not read: {s}. Receptor results the EHR codes locally or names only in words may be missing; check the record."))],
            DerivedLines = outcome.Mapping?.Lines ?? [],
            Knowledge = decisions.Knowledge,
            Reading = outcome.Reading,
        };

        IReadOnlyList<Card> cards;
        if (!outcome.Decided)
        {
            cards = [UndecidedCard(outcome.Errors, cardContext, service.Hook)];
        }
        else if (drafts is not null)
        {
            cards = [.. OrderSignCheck.Evaluate(outcome.Decision!, drafts.Orders, cardContext), .. UncheckedOrdersCard(drafts, cardContext)];
        }
        else
        {
            cards = PatientViewCards.Build(outcome.Decision!, cardContext);
        }

        var response = new CdsResponse { Cards = cards };
        return described with
        {
            Status = StatusCodes.Status200OK,
            ContentType = "application/json",
            Body = CdsHooksJson.SerializeToUtf8(response),
            Summary = outcome.Decision is { } decided ? AuditSummaries.Of(decided, response.CardIds) : AuditSummaries.OfCards(response.CardIds),
        };
    }

    private static async Task Feedback(string id, HttpContext context, DurableAuditWriter writer, TimeProvider time, AuditRecorder audit)
    {
        if (await OpenAsync(id, context, audit) is not var (service, _, body))
        {
            return;
        }

        // Feedback is JSON too; a form post from another origin must not plant it.
        if (RequestBody.MediaType(context) != "application/json")
        {
            await Problems.Write(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", "CDS Hooks feedback is sent as application/json");
            return;
        }

        var (feedback, errors) = CdsRequestValidator.ParseFeedback(body);
        if (feedback?.Feedback is { Count: > MaxFeedbackEntries } tooMany)
        {
            await Problems.Write(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"feedback has {tooMany.Count} entries; at most {MaxFeedbackEntries} are taken in one request (send the rest in further requests)");
            return;
        }

        if (errors.Count > 0)
        {
            await Problems.BadRequest(context, "the feedback does not follow CDS Hooks 2.0", errors);
            return;
        }

        var caller = context.GetCaller()?.Caller ?? "anonymous";
        var received = time.GetUtcNow();
        var records = feedback!.Feedback!.Select(entry => new AuditFeedback(
            caller,
            service.Id,
            entry.Card!,
            entry.Outcome!,
            entry.OverrideReason?.Reason?.Code,
            entry.OverrideReason?.Reason?.System,
            entry.OverrideReason?.Reason?.Display,
            entry.OverrideReason?.UserComment,
            entry.AcceptedSuggestions?.Select(s => s.Id ?? string.Empty).ToArray() ?? [],
            DateTimeOffset.TryParse(entry.OutcomeTimestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : null,
            received)).ToArray();

        // One request's feedback is one transaction: all of it is recorded, or none.
        IReadOnlyList<bool> attached;
        try
        {
            attached = await writer.AppendFeedbackAsync(records);
        }
        catch (AuditBusyException)
        {
            context.Response.Headers.RetryAfter = AuditRecorder.RetryAfter;
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "the audit trail has more records waiting than it takes; send the feedback again shortly");
            return;
        }
        catch (AuditUnavailableException)
        {
            context.Response.Headers.RetryAfter = AuditRecorder.RetryAfter;
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "the audit trail cannot record this feedback; send it again later");
            return;
        }

        var unknown = records.Where((_, i) => !attached[i]).Select(r => r.CardId).ToList();
        if (unknown.Count > 0)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not Found",
                $"no card of yours with id {string.Join(", ", unknown)}; the other feedback was recorded");
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>The service and the body of a call, or null when the answer (404, 413) has been sent.</summary>
    private static async Task<(CdsServiceDefinition Service, AuditCall Call, byte[] Body)?> OpenAsync(string id, HttpContext context, AuditRecorder audit)
    {
        var service = CdsServiceCatalog.Find(id);
        if (service is null)
        {
            await Problems.Write(context, StatusCodes.Status404NotFound, "Not Found", $"no CDS service '{id}'; GET /cds-services lists them");
            return null;
        }

        var call = audit.Begin(context, service.Id);
        var body = await RequestBody.ReadAsync(context, call.MaxRequestBytes);
        if (body is null)
        {
            await call.Answer(context, StatusCodes.Status413PayloadTooLarge, Problems.ProblemJson,
                RecommendationEndpoints.ProblemBody(413, "Payload Too Large", $"the body is larger than {call.MaxRequestBytes} bytes", []));
            return null;
        }

        return (service, call, body);
    }

    // A draft order that looks like an anticancer drug but whose code Herald does not know was not checked: say so.
    private static IEnumerable<Card> UncheckedOrdersCard(DraftOrderReading drafts, CardContext context)
    {
        if (drafts.Unmapped.Count == 0)
        {
            yield break;
        }

        var detail = new StringBuilder("Herald did not check these draft orders because it does not know their codes:\n\n");
        PatientViewCards.AppendUnmappedTable(detail, drafts.Unmapped);

        yield return new Card
        {
            Uuid = CardIds.For(context.HookInstance, "order-sign/unchecked"),
            Summary = CardText.Summary($"Herald could not check {drafts.Unmapped.Count} draft order{(drafts.Unmapped.Count == 1 ? "" : "s")}: unknown drug code"),
            Detail = detail.ToString(),
            Indicator = CardIndicator.Info,
            Source = new CardSource { Label = "Herald" },
        };
    }

    private static Card UndecidedCard(IReadOnlyList<InputError> errors, CardContext context, string hook)
    {
        var detail = new StringBuilder(hook == CdsServiceCatalog.OrderSignHook
            ? "Herald could not check these orders because the record does not give what it needs:\n\n"
            : "Herald gives no recommendation until the record gives what it needs:\n\n");
        foreach (var error in errors)
        {
            detail.Append("- **").Append(CardText.Escape(error.Path)).Append("**: ").Append(CardText.Escape(error.Message)).Append('\n');
        }

        if (context.Unmapped.Count > 0)
        {
            detail.Append("\nCodes Herald could not map (not used):\n\n");
            PatientViewCards.AppendUnmappedTable(detail, context.Unmapped);
        }

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, "undecided"),
            Summary = CardText.Summary($"Herald needs more data: {errors.Count} item{(errors.Count == 1 ? "" : "s")} missing or unclear in the record"),
            Detail = detail.ToString(),
            Indicator = CardIndicator.Warning,
            Source = new CardSource { Label = "Herald" },
        };
    }
}
