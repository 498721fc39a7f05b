using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Herald.Server.CdsHooks;

// HL7 CDS Hooks 2.0 wire models (https://cds-hooks.hl7.org/2.0/). Names follow the specification;
// serialization is camelCase with nulls left out (CdsHooksJson). Request models are lenient
// (everything nullable) so that CdsRequestValidator can name every fault instead of the
// deserializer stopping at the first.

/// <summary>The body an EHR POSTs to <c>/cds-services/{id}</c>.</summary>
public sealed class CdsServiceRequest
{
    public string? Hook { get; init; }

    public string? HookInstance { get; init; }

    public string? FhirServer { get; init; }

    public FhirAuthorization? FhirAuthorization { get; init; }

    /// <summary>Hook-specific context (patient-view: userId, patientId; order-sign: also draftOrders).</summary>
    public JsonElement Context { get; init; }

    /// <summary>Prefetch results by key; a value is null when the EHR could not or would not run that query.</summary>
    public Dictionary<string, JsonElement?>? Prefetch { get; init; }

    /// <summary>context.patientId, when it is a string.</summary>
    [JsonIgnore]
    public string? PatientId => ContextString("patientId");

    /// <summary>context.userId, when it is a string.</summary>
    [JsonIgnore]
    public string? UserId => ContextString("userId");

    /// <summary>context.draftOrders (a Bundle) for order-sign; null when absent.</summary>
    [JsonIgnore]
    public JsonElement? DraftOrders =>
        Context.ValueKind == JsonValueKind.Object && Context.TryGetProperty("draftOrders", out var orders) ? orders : null;

    private string? ContextString(string name) =>
        Context.ValueKind == JsonValueKind.Object
        && Context.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}

/// <summary>The OAuth 2.0 bearer token the EHR grants the service for its FHIR server (snake_case on the wire).</summary>
public sealed class FhirAuthorization
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; init; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; init; }

    [JsonPropertyName("scope")]
    public string? Scope { get; init; }

    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("patient")]
    public string? Patient { get; init; }
}

/// <summary>A service's answer: cards for the user, and actions the EHR may apply itself.</summary>
public sealed class CdsResponse
{
    public required IReadOnlyList<Card> Cards { get; init; }

    public IReadOnlyList<CdsAction>? SystemActions { get; init; }

    /// <summary>The cards' uuids in order, for the audit record and for matching feedback.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> CardIds => Cards.Select(c => c.Uuid ?? "").ToArray();
}

public static class CardIndicator
{
    public const string Info = "info";
    public const string Warning = "warning";
    public const string Critical = "critical";
}

public sealed class Card
{
    /// <summary>Unique id of the card; feedback refers to it.</summary>
    public string? Uuid { get; init; }

    /// <summary>One sentence under 140 characters.</summary>
    public required string Summary { get; init; }

    /// <summary>GitHub-flavoured Markdown.</summary>
    public string? Detail { get; init; }

    /// <summary><see cref="CardIndicator"/>: info, warning or critical.</summary>
    public required string Indicator { get; init; }

    public required CardSource Source { get; init; }

    public IReadOnlyList<Suggestion>? Suggestions { get; init; }

    /// <summary>at-most-one or any; required whenever there are suggestions.</summary>
    public string? SelectionBehavior { get; init; }

    public IReadOnlyList<Coding>? OverrideReasons { get; init; }

    public IReadOnlyList<CardLink>? Links { get; init; }
}

/// <summary>The card's <c>source</c>: the primary source of the guidance.</summary>
public sealed class CardSource
{
    public required string Label { get; init; }

    public string? Url { get; init; }

    public string? Icon { get; init; }

    public Coding? Topic { get; init; }
}

public sealed class Suggestion
{
    public required string Label { get; init; }

    public string? Uuid { get; init; }

    public bool? IsRecommended { get; init; }

    public IReadOnlyList<CdsAction>? Actions { get; init; }
}

public static class CdsActionType
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
}

/// <summary>A suggested change: create or update carry <c>resource</c>; delete carries <c>resourceId</c>.</summary>
public sealed class CdsAction
{
    public required string Type { get; init; }

    public required string Description { get; init; }

    public JsonObject? Resource { get; init; }

    /// <summary>A relative reference (e.g. <c>MedicationRequest/123</c>), for delete.</summary>
    public string? ResourceId { get; init; }
}

public sealed class CardLink
{
    public required string Label { get; init; }

    public required string Url { get; init; }

    /// <summary>absolute or smart.</summary>
    public required string Type { get; init; }

    public string? AppContext { get; init; }
}

/// <summary>A FHIR Coding; CDS Hooks requires a display on override reasons.</summary>
public sealed record Coding
{
    public string? System { get; init; }

    public string? Code { get; init; }

    public string? Display { get; init; }
}

/// <summary>The body of <c>POST /cds-services/{id}/feedback</c>.</summary>
public sealed class FeedbackRequest
{
    public IReadOnlyList<FeedbackEntry>? Feedback { get; init; }
}

public sealed class FeedbackEntry
{
    /// <summary>The card's uuid.</summary>
    public string? Card { get; init; }

    /// <summary>accepted or overridden.</summary>
    public string? Outcome { get; init; }

    public IReadOnlyList<AcceptedSuggestion>? AcceptedSuggestions { get; init; }

    public OverrideReason? OverrideReason { get; init; }

    /// <summary>ISO 8601 UTC instant.</summary>
    public string? OutcomeTimestamp { get; init; }
}

public sealed class AcceptedSuggestion
{
    public string? Id { get; init; }
}

public sealed class OverrideReason
{
    public Coding? Reason { get; init; }

    public string? UserComment { get; init; }
}

/// <summary>The answer to <c>GET /cds-services</c>.</summary>
public sealed class DiscoveryResponse
{
    public required IReadOnlyList<CdsServiceDefinition> Services { get; init; }
}

public sealed class CdsServiceDefinition
{
    public required string Hook { get; init; }

    public string? Title { get; init; }

    public required string Description { get; init; }

    public required string Id { get; init; }

    public IReadOnlyDictionary<string, string>? Prefetch { get; init; }

    public string? UsageRequirements { get; init; }
}
