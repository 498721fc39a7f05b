using System.Globalization;
using System.Text.Json.Nodes;
using Herald.Audit;
using Herald.Contracts.Patients;
using Herald.Server.Hosting;
using Herald.Server.Security;

namespace Herald.Server.Endpoints;

/// <summary>
/// <c>GET /audit</c>: the caller's own records, newest first, with the feedback received on their cards. A record shows
/// what the answer decided (its summary) and the digest of the bytes sent, not the answer itself: <c>herald audit
/// replay</c> derives that again from the record's input.
/// The caller is the token's issuer; no query can reach another caller's records.
/// Query: <c>patient</c>, <c>service</c>, <c>hookInstance</c>, <c>from</c>, <c>to</c> (ISO 8601), <c>limit</c> (1–1000, default 50).
/// </summary>
public static class AuditEndpoints
{
    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/audit", Read);

    private static async Task Read(HttpContext context, DurableAuditWriter store)
    {
        var caller = context.GetCaller()?.Caller;
        if (caller is null)
        {
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", "the audit trail is read by an authenticated caller");
            return;
        }

        var errors = new List<InputError>();
        var query = context.Request.Query;
        var audit = new AuditQuery(
            caller,
            Text(query["patient"]),
            Text(query["service"]),
            Text(query["hookInstance"]),
            Time(query["from"], "from", errors),
            Time(query["to"], "to", errors),
            Limit(query["limit"], errors));
        if (errors.Count > 0)
        {
            await Problems.BadRequest(context, "the audit query is invalid", errors);
            return;
        }

        IReadOnlyList<AuditEntry> entries;
        try
        {
            entries = await store.QueryAsync(audit, context.RequestAborted);
        }
        catch (AuditUnavailableException)
        {
            await Problems.Write(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable", "the audit trail cannot be read now; try again later");
            return;
        }

        var body = new JsonObject
        {
            ["caller"] = caller,
            ["count"] = entries.Count,
            ["records"] = new JsonArray(entries.Select(Entry).ToArray()),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Json.Indented), context.RequestAborted);
    }

    private static JsonNode Entry(AuditEntry entry)
    {
        var r = entry.Record;
        return new JsonObject
        {
            ["id"] = r.Id.ToString(),
            ["time"] = r.Time.ToString("O", CultureInfo.InvariantCulture),
            ["caller"] = r.Caller,
            ["service"] = r.Service,
            ["hook"] = r.Hook,
            ["hookInstance"] = r.HookInstance,
            ["patientId"] = r.PatientId,
            ["edition"] = r.Edition,
            ["knowledgeBaseVersion"] = r.KnowledgeBaseVersion,
            ["inputDigest"] = r.InputDigest,
            ["outputDigest"] = r.OutputDigest,
            ["status"] = r.Status,
            ["latencyMs"] = Math.Round(r.LatencyMs, 3),
            ["summary"] = Summary(r.Summary),
            ["cardIds"] = new JsonArray(r.CardIds.Select(id => (JsonNode)id).ToArray()),
            ["feedback"] = new JsonArray(entry.Feedback.Select(f => (JsonNode)new JsonObject
            {
                ["card"] = f.CardId,
                ["outcome"] = f.Outcome,
                ["overrideReason"] = f.OverrideReasonCode is null ? null : new JsonObject
                {
                    ["system"] = f.OverrideReasonSystem,
                    ["code"] = f.OverrideReasonCode,
                    ["display"] = f.OverrideReasonDisplay,
                },
                ["userComment"] = f.UserComment,
                ["acceptedSuggestions"] = new JsonArray(f.AcceptedSuggestions.Select(s => (JsonNode)s).ToArray()),
                ["outcomeTimestamp"] = f.OutcomeTime?.ToString("O", CultureInfo.InvariantCulture),
                ["receivedAt"] = f.ReceivedAt.ToString("O", CultureInfo.InvariantCulture),
            }).ToArray()),
        };
    }

    private static JsonObject Summary(AuditSummary summary) => new()
    {
        ["decisionPoint"] = summary.DecisionPoint,
        ["line"] = summary.Line,
        ["ranked"] = Ids(summary.Ranked),
        ["excluded"] = Ids(summary.Excluded),
        ["alerts"] = Ids(summary.Alerts),
        ["editions"] = summary.Editions is { } editions
            ? new JsonArray(editions.Select(e => (JsonNode)new JsonObject
            {
                ["edition"] = e.Edition,
                ["decisionPoint"] = e.DecisionPoint,
                ["line"] = e.Line,
                ["ranked"] = Ids(e.Ranked),
                ["excluded"] = Ids(e.Excluded),
            }).ToArray())
            : null,
    };

    private static JsonArray Ids(IEnumerable<string> ids) => new(ids.Select(id => (JsonNode)id).ToArray());

    private static string? Text(Microsoft.Extensions.Primitives.StringValues value) =>
        value.Count > 0 && !string.IsNullOrWhiteSpace(value[0]) ? value[0] : null;

    private static DateTimeOffset? Time(Microsoft.Extensions.Primitives.StringValues value, string name, List<InputError> errors)
    {
        if (Text(value) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        errors.Add(new InputError(name, "expected an ISO 8601 date or time, e.g. 2026-11-21 or 2026-11-21T10:00:00Z"));
        return null;
    }

    private static int Limit(Microsoft.Extensions.Primitives.StringValues value, List<InputError> errors)
    {
        if (Text(value) is not { } text)
        {
            return 50;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= AuditQuery.MaxLimit)
        {
            return limit;
        }

        errors.Add(new InputError("limit", $"expected a whole number from 1 to {AuditQuery.MaxLimit}"));
        return 50;
    }
}
