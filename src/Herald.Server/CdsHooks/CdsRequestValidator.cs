using System.Text.Json;
using Herald.Contracts;
using Herald.Contracts.Patients;

namespace Herald.Server.CdsHooks;

/// <summary>The outcome of reading a CDS Hooks request body: the request, or every fault found (answer 400).</summary>
/// <param name="Faults">Each with its place: a JSON path for a body that is not strict JSON, <c>request</c> for a sentence
/// that names the field itself.</param>
public sealed record CdsRequestParseResult(CdsServiceRequest? Request, IReadOnlyList<InputError> Faults) : IDisposable
{
    // The parsed body the request's JsonElements (context, prefetch values) belong to.
    private readonly JsonDocument? document;

    internal CdsRequestParseResult(CdsServiceRequest request, IReadOnlyList<InputError> faults, JsonDocument document)
        : this(request, faults) => this.document = document;

    public bool IsValid => Request is not null && Faults.Count == 0;

    /// <summary>The faults as sentences.</summary>
    public IReadOnlyList<string> Errors => Faults.Select(f => f.Path == RequestPath ? f.Message : $"{f.Path}: {f.Message}").ToArray();

    internal const string RequestPath = "request";

    internal static CdsRequestParseResult FromSentences(IEnumerable<string> sentences) => new(null, Sentences(sentences));

    internal static InputError[] Sentences(IEnumerable<string> sentences) => sentences.Select(s => new InputError(RequestPath, s)).ToArray();

    /// <summary>Gives back the parsed body's buffers; the request's context and prefetch values are unreadable after.</summary>
    public void Dispose() => document?.Dispose();
}

/// <summary>
/// Checks a CDS Hooks 2.0 request against the specification and against the service it was sent to.
/// Returns every violation as a sentence naming the field, so the 400 answer says what to fix.
/// </summary>
public static class CdsRequestValidator
{
    /// <summary>Parses and validates a request body given as text.</summary>
    public static CdsRequestParseResult Parse(string json, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(json);
        var encoding = StrictJson.Check(json, refuseDuplicateNames: true, out var utf8);
        return encoding.Count > 0 ? new CdsRequestParseResult(null, encoding) : Parse(utf8, service);
    }

    /// <summary>
    /// Parses and validates a request body. A body that is not strict JSON (not UTF-8, a lone surrogate escape, a member
    /// given twice, a syntax error) gives its faults with their paths and no request. The request's context and prefetch
    /// values are elements of the parsed body, which the result owns: dispose it once they are no longer read.
    /// </summary>
    public static CdsRequestParseResult Parse(ReadOnlyMemory<byte> utf8, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (!StrictJson.TryParse(utf8, out var document, out var malformed))
        {
            return new CdsRequestParseResult(null, malformed);
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return CdsRequestParseResult.FromSentences(["The body must be a JSON object."]);
        }

        // Wrong JSON types are named all at once; with them ruled out, the reading below cannot fail.
        var typeErrors = new List<string>();
        ExpectKind(root, "hook", JsonValueKind.String, typeErrors);
        ExpectKind(root, "hookInstance", JsonValueKind.String, typeErrors);
        ExpectKind(root, "fhirServer", JsonValueKind.String, typeErrors);
        ExpectKind(root, "context", JsonValueKind.Object, typeErrors);
        ExpectKind(root, "prefetch", JsonValueKind.Object, typeErrors);
        if (ExpectKind(root, "fhirAuthorization", JsonValueKind.Object, typeErrors)
            && root.TryGetProperty("fhirAuthorization", out var auth) && auth.ValueKind == JsonValueKind.Object)
        {
            foreach (var name in new[] { "access_token", "token_type", "scope", "subject", "patient" })
            {
                ExpectKind(auth, name, JsonValueKind.String, typeErrors, "fhirAuthorization.");
            }

            if (auth.TryGetProperty("expires_in", out var expires) && expires.ValueKind != JsonValueKind.Null
                && !(expires.ValueKind == JsonValueKind.Number && expires.TryGetInt64(out _)))
            {
                typeErrors.Add("fhirAuthorization.expires_in must be an integer (seconds).");
            }
        }

        if (typeErrors.Count > 0)
        {
            document.Dispose();
            return CdsRequestParseResult.FromSentences(typeErrors);
        }

        var request = CdsRequestReader.Read(root);
        return new CdsRequestParseResult(request, CdsRequestParseResult.Sentences(Validate(request, service)), document);
    }

    /// <summary>Whether a hookInstance is what CDS Hooks says it is, a UUID; only then is it logged or recorded.</summary>
    public static bool IsHookInstance(string? value) => value is not null && Guid.TryParseExact(value, "D", out _);

    /// <summary>
    /// Reads a feedback body: strict JSON, the feedback shape, then <see cref="ValidateFeedback"/>. Every fault has a
    /// place: a JSON path, or <c>feedback</c> for a sentence naming the entry itself.
    /// </summary>
    public static (FeedbackRequest? Feedback, IReadOnlyList<InputError> Errors) ParseFeedback(ReadOnlyMemory<byte> utf8)
    {
        if (!StrictJson.TryParse(utf8, out var document, out var malformed))
        {
            return (null, malformed);
        }

        FeedbackRequest? feedback;
        try
        {
            using (document)
            {
                feedback = document.RootElement.Deserialize(CdsHooksJsonContext.Web.FeedbackRequest);
            }
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : e.Path ?? "$";
            return (null, [new InputError(path, "has the wrong JSON type for CDS Hooks feedback.")]);
        }

        var errors = ValidateFeedback(feedback);
        return errors.Count > 0 ? (null, errors.Select(e => new InputError("feedback", e)).ToArray()) : (feedback, []);
    }

    /// <summary>Every way the request breaks CDS Hooks 2.0 or does not fit the service; empty when it is fine.</summary>
    public static IReadOnlyList<string> Validate(CdsServiceRequest request, CdsServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<string>();

        if (string.IsNullOrWhiteSpace(request.Hook))
        {
            errors.Add("hook is required.");
        }
        else if (!string.Equals(request.Hook, service.Hook, StringComparison.Ordinal))
        {
            errors.Add($"hook '{request.Hook}' does not match service '{service.Id}', which answers '{service.Hook}'.");
        }

        if (string.IsNullOrWhiteSpace(request.HookInstance))
        {
            errors.Add("hookInstance is required.");
        }
        else if (!IsHookInstance(request.HookInstance))
        {
            errors.Add($"hookInstance '{Clip(request.HookInstance)}' is not a UUID (8-4-4-4-12 hexadecimal digits).");
        }

        if (request.FhirServer is { } server && !IsAbsoluteHttpUrl(server))
        {
            errors.Add($"fhirServer '{Clip(server)}' is not an absolute http(s) URL.");
        }

        if (request.FhirAuthorization is { } auth)
        {
            if (string.IsNullOrWhiteSpace(request.FhirServer))
            {
                errors.Add("fhirServer is required when fhirAuthorization is given.");
            }

            if (string.IsNullOrEmpty(auth.AccessToken))
            {
                errors.Add("fhirAuthorization.access_token is required.");
            }

            if (string.IsNullOrEmpty(auth.TokenType))
            {
                errors.Add("fhirAuthorization.token_type is required.");
            }
            // OAuth token types are case-insensitive (RFC 6749 section 5.1): "bearer" is "Bearer".
            else if (!string.Equals(auth.TokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"fhirAuthorization.token_type must be 'Bearer', not '{Clip(auth.TokenType)}'.");
            }

            if (auth.ExpiresIn is null)
            {
                errors.Add("fhirAuthorization.expires_in is required.");
            }

            if (string.IsNullOrEmpty(auth.Scope))
            {
                errors.Add("fhirAuthorization.scope is required.");
            }

            if (string.IsNullOrEmpty(auth.Subject))
            {
                errors.Add("fhirAuthorization.subject is required.");
            }
        }

        ValidateContext(request, service, errors);

        if (request.Prefetch is { } prefetch)
        {
            foreach (var (key, value) in prefetch)
            {
                // null is allowed: the EHR could not run that query (the service fetches it itself).
                if (value is { } element && element.ValueKind != JsonValueKind.Object)
                {
                    errors.Add($"prefetch.{key} must be a FHIR resource (a JSON object) or null, not {Describe(element.ValueKind)}.");
                }
                else if (value is { } resource && !resource.TryGetProperty("resourceType", out _))
                {
                    errors.Add($"prefetch.{key} has no resourceType.");
                }
            }
        }

        return errors;
    }

    private static void ValidateContext(CdsServiceRequest request, CdsServiceDefinition service, List<string> errors)
    {
        var context = request.Context;
        if (context.ValueKind == JsonValueKind.Undefined || context.ValueKind == JsonValueKind.Null)
        {
            errors.Add("context is required.");
            return;
        }

        if (context.ValueKind != JsonValueKind.Object)
        {
            errors.Add("context must be a JSON object.");
            return;
        }

        RequireString(context, "userId", errors);
        RequireString(context, "patientId", errors);

        if (service.Hook == CdsServiceCatalog.OrderSignHook)
        {
            if (!context.TryGetProperty("draftOrders", out var orders) || orders.ValueKind == JsonValueKind.Null)
            {
                errors.Add("context.draftOrders is required for order-sign.");
            }
            else if (orders.ValueKind != JsonValueKind.Object
                     || !orders.TryGetProperty("resourceType", out var type)
                     || type.ValueKind != JsonValueKind.String
                     || type.GetString() != "Bundle")
            {
                errors.Add("context.draftOrders must be a FHIR Bundle.");
            }
        }
    }

    private static void RequireString(JsonElement context, string name, List<string> errors)
    {
        if (!context.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"context.{name} is required.");
        }
        else if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            errors.Add($"context.{name} must be a non-empty string.");
        }
    }

    private static bool ExpectKind(JsonElement parent, string name, JsonValueKind kind, List<string> errors, string prefix = "")
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null || value.ValueKind == kind)
        {
            return true;
        }

        errors.Add($"{prefix}{name} must be {Describe(kind)}, not {Describe(value.ValueKind)}.");
        return false;
    }

    private static bool IsAbsoluteHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };

    // Echo at most a little of what the caller sent: enough to recognise it, never a whole payload.
    private static string Clip(string value) => value.Length <= 60 ? value : value[..60] + "…";

    /// <summary>Every way a feedback body breaks CDS Hooks 2.0; empty when it is fine.</summary>
    public static IReadOnlyList<string> ValidateFeedback(FeedbackRequest? feedback)
    {
        if (feedback?.Feedback is not { Count: > 0 } entries)
        {
            return ["feedback must be a non-empty array."];
        }

        var errors = new List<string>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var at = $"feedback[{i}]";
            if (entry is null)
            {
                errors.Add($"{at} must be an object (a card's outcome), not null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(entry.Card))
            {
                errors.Add($"{at}.card is required (the card's uuid).");
            }

            switch (entry.Outcome)
            {
                case "accepted":
                    if (entry.AcceptedSuggestions is not { Count: > 0 } || entry.AcceptedSuggestions.Any(s => string.IsNullOrWhiteSpace(s?.Id)))
                    {
                        errors.Add($"{at}.acceptedSuggestions (each with an id) is required when the outcome is accepted.");
                    }

                    if (entry.OverrideReason is not null)
                    {
                        errors.Add($"{at}.overrideReason is only for an overridden card.");
                    }

                    break;
                case "overridden":
                    if (entry.OverrideReason is { Reason: null, UserComment: null or "" })
                    {
                        errors.Add($"{at}.overrideReason needs a reason, a userComment, or both.");
                    }

                    break;
                case null or "":
                    errors.Add($"{at}.outcome is required (accepted or overridden).");
                    break;
                default:
                    errors.Add($"{at}.outcome must be accepted or overridden, not '{Clip(entry.Outcome)}'.");
                    break;
            }

            if (string.IsNullOrWhiteSpace(entry.OutcomeTimestamp))
            {
                errors.Add($"{at}.outcomeTimestamp is required.");
            }
            else if (!DateTimeOffset.TryParse(entry.OutcomeTimestamp, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out _))
            {
                errors.Add($"{at}.outcomeTimestamp '{Clip(entry.OutcomeTimestamp)}' is not an ISO 8601 instant.");
            }
        }

        return errors;
    }
}
