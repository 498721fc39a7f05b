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

    private static async Task Call(string id, HttpContext context, DecisionService decisions, AuditRecorder audit, PrefetchGatherer prefetch)
    {
        if (await OpenAsync(id, context, audit) is not var (service, call, body))
        {
            return;
        }

        var parsed = CdsRequestValidator.Parse(body, service);
        if (!parsed.IsValid)
        {
            // Only a hookInstance that is a UUID goes into the audit record and the log: a refused one may hold anything.
            call.Hook(service.Hook, CdsRequestValidator.IsHookInstance(parsed.Request?.HookInstance) ? parsed.Request!.HookInstance : null);
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson, RecommendationEndpoints.ProblemBody(
                context, 400, "Bad Request", "the request does not follow CDS Hooks 2.0", parsed.Faults));
            return;
        }

        var request = parsed.Request!;
        var patientId = request.PatientId!;
        call.Hook(request.Hook, request.HookInstance);
        call.Describe(patientId, decisions.Knowledge.DefaultEdition.Id);

        var gathered = await prefetch.GatherAsync(service, request, patientId, context.RequestAborted);
        if (gathered.Missing.Count > 0)
        {
            await call.Answer(context, StatusCodes.Status412PreconditionFailed, Problems.FhirJson, Problems.OperationOutcome("incomplete", gathered.Missing));
            return;
        }

        if (gathered.Malformed.Count > 0)
        {
            await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson, RecommendationEndpoints.ProblemBody(
                context, 400, "Bad Request", "the FHIR data is malformed", gathered.Malformed));
            return;
        }

        DraftOrderReading? drafts = null;
        if (service.Hook == CdsServiceCatalog.OrderSignHook)
        {
            drafts = DraftOrderReader.Read(request.DraftOrders!.Value, decisions.Knowledge);
            if (drafts.Errors.Count > 0)
            {
                await call.Answer(context, StatusCodes.Status400BadRequest, Problems.ProblemJson, RecommendationEndpoints.ProblemBody(
                    context, 400, "Bad Request", "context.draftOrders is malformed", drafts.Errors.Select(e => new InputError(e.Path, e.Message)).ToArray()));
                return;
            }
        }

        var outcome = decisions.FromFhir(gathered.Resources, patientId, editionId: null, asOf: null);
        var cardContext = new CardContext
        {
            HookInstance = request.HookInstance!,
            PatientId = patientId,
            Unmapped = [.. outcome.Mapping?.Unmapped ?? [], .. drafts?.Unmapped ?? []],
            Notes = outcome.Mapping?.Notes ?? [],
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
        call.Cards(response.CardIds);
        await call.Answer(context, StatusCodes.Status200OK, "application/json", CdsHooksJson.Serialize(response));
    }

    private static async Task Feedback(string id, HttpContext context, DurableAuditWriter writer, TimeProvider time, AuditRecorder audit)
    {
        if (await OpenAsync(id, context, audit) is not var (service, _, body))
        {
            return;
        }

        var (feedback, errors) = CdsRequestValidator.ParseFeedback(body);
        if (errors.Count > 0)
        {
            await Problems.BadRequest(context, "the feedback does not follow CDS Hooks 2.0", errors);
            return;
        }

        var caller = context.GetCaller()?.Caller ?? "anonymous";
        var received = time.GetUtcNow();
        var unknown = new List<string>();
        foreach (var entry in feedback!.Feedback!)
        {
            var record = new AuditFeedback(
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
                received);
            try
            {
                if (!await writer.AppendFeedbackAsync(record, context.RequestAborted))
                {
                    unknown.Add(entry.Card!);
                }
            }
            catch (AuditUnavailableException)
            {
                await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "the audit trail cannot record this feedback; send it again later");
                return;
            }
        }

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
                RecommendationEndpoints.ProblemBody(context, 413, "Payload Too Large", $"the body is larger than {call.MaxRequestBytes} bytes", []));
            return null;
        }

        call.Input(body);

        // CDS Hooks sends JSON: a form or text/plain post, which a web page may make across origins without asking, is refused.
        if (RequestBody.MediaType(context) != "application/json")
        {
            await call.Answer(context, StatusCodes.Status415UnsupportedMediaType, Problems.ProblemJson,
                RecommendationEndpoints.ProblemBody(context, 415, "Unsupported Media Type", "a CDS Hooks request is sent as application/json", []));
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
