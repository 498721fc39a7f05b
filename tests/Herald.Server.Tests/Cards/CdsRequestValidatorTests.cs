using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Cards;

public sealed class CdsRequestValidatorTests
{
    private const string Valid = """
        {
          "hook": "patient-view",
          "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
          "fhirServer": "https://ehr.example.org/fhir",
          "fhirAuthorization": { "access_token": "abc", "token_type": "Bearer", "expires_in": 300, "scope": "user/Patient.read", "subject": "herald" },
          "context": { "userId": "Practitioner/1", "patientId": "pat-1" },
          "prefetch": { "patient": { "resourceType": "Patient", "id": "pat-1" }, "conditions": null }
        }
        """;

    private static IReadOnlyList<string> Errors(string json, CdsServiceDefinition? service = null) =>
        CdsRequestValidator.Parse(json, service ?? CdsServiceCatalog.PatientView).Errors;

    private static string Replace(string from, string to) => Valid.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public void A_valid_request_has_no_errors_and_exposes_its_context()
    {
        var result = CdsRequestValidator.Parse(Valid, CdsServiceCatalog.PatientView);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("pat-1", result.Request!.PatientId);
        Assert.Equal("abc", result.Request.FhirAuthorization!.AccessToken);
        Assert.Null(result.Request.Prefetch!["conditions"]);
        Assert.Equal("Patient", result.Request.Prefetch["patient"]!.Value.GetProperty("resourceType").GetString());
    }

    [Fact]
    public void Malformed_json_is_one_error_and_no_request()
    {
        var result = CdsRequestValidator.Parse("{ \"hook\": ", CdsServiceCatalog.PatientView);

        Assert.Null(result.Request);
        var fault = Assert.Single(result.Faults);
        Assert.Equal("$", fault.Path);
        Assert.StartsWith("is not valid JSON at line 1", fault.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"hook\":\"patient-view\",\"hook\":\"order-sign\"}", "hook", "more than once")]
    [InlineData("{\"hook\":\"\\ud800\"}", "hook", "surrogate")]
    [InlineData("{\"context\":{\"patientId\":\"\\udfff\"}}", "context.patientId", "surrogate")]
    public void A_body_that_is_not_strict_JSON_names_the_place_and_gives_no_request(string json, string path, string fault)
    {
        var result = CdsRequestValidator.Parse(json, CdsServiceCatalog.PatientView);

        Assert.Null(result.Request);
        var error = Assert.Single(result.Faults);
        Assert.Equal(path, error.Path);
        Assert.Contains(fault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feedback_with_a_null_entry_names_it_instead_of_failing()
    {
        var errors = CdsRequestValidator.ValidateFeedback(new FeedbackRequest { Feedback = [null!] });

        Assert.Equal(["feedback[0] must be an object (a card's outcome), not null."], errors);
    }

    [Fact]
    public void Missing_hook_and_hookInstance_are_both_named()
    {
        var errors = Errors("""{ "context": { "userId": "u", "patientId": "p" } }""");

        Assert.Contains("hook is required.", errors);
        Assert.Contains("hookInstance is required.", errors);
    }

    [Fact]
    public void A_hook_that_does_not_match_the_service_is_an_error()
    {
        var error = Assert.Single(Errors(Valid, CdsServiceCatalog.OrderSign), e => e.StartsWith("hook", StringComparison.Ordinal));
        Assert.Equal("hook 'patient-view' does not match service 'herald-order-sign', which answers 'order-sign'.", error);
    }

    [Fact]
    public void A_hookInstance_that_is_not_a_uuid_is_an_error()
    {
        Assert.Equal(["hookInstance 'call-17' is not a UUID (8-4-4-4-12 hexadecimal digits)."],
            Errors(Replace("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "call-17")));
    }

    [Fact]
    public void Context_without_patientId_is_an_error()
    {
        Assert.Equal(["context.patientId is required."], Errors(Replace("\"patientId\": \"pat-1\"", "\"encounterId\": \"e-1\"")));
        Assert.Contains("context is required.", Errors("""{ "hook": "patient-view", "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea" }"""));
    }

    [Fact]
    public void Order_sign_needs_draftOrders_as_a_Bundle()
    {
        var orderSign = Replace("\"hook\": \"patient-view\"", "\"hook\": \"order-sign\"");
        Assert.Equal(["context.draftOrders is required for order-sign."], Errors(orderSign, CdsServiceCatalog.OrderSign));

        var notBundle = orderSign.Replace("\"patientId\": \"pat-1\"", "\"patientId\": \"pat-1\", \"draftOrders\": [ ]", StringComparison.Ordinal);
        Assert.Equal(["context.draftOrders must be a FHIR Bundle."], Errors(notBundle, CdsServiceCatalog.OrderSign));

        var bundle = orderSign.Replace("\"patientId\": \"pat-1\"", "\"patientId\": \"pat-1\", \"draftOrders\": { \"resourceType\": \"Bundle\", \"entry\": [] }", StringComparison.Ordinal);
        Assert.Empty(Errors(bundle, CdsServiceCatalog.OrderSign));
    }

    [Fact]
    public void FhirAuthorization_needs_a_fhirServer_and_every_token_field()
    {
        var noServer = Replace("\"fhirServer\": \"https://ehr.example.org/fhir\",", "");
        Assert.Equal(["fhirServer is required when fhirAuthorization is given."], Errors(noServer));

        var bare = Replace(
            """{ "access_token": "abc", "token_type": "Bearer", "expires_in": 300, "scope": "user/Patient.read", "subject": "herald" }""",
            """{ "token_type": "MAC" }""");
        Assert.Equal(
            [
                "fhirAuthorization.access_token is required.",
                "fhirAuthorization.token_type must be 'Bearer', not 'MAC'.",
                "fhirAuthorization.expires_in is required.",
                "fhirAuthorization.scope is required.",
                "fhirAuthorization.subject is required.",
            ],
            Errors(bare));
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    [InlineData("bEaReR")]
    public void The_token_type_Bearer_is_accepted_in_any_case_as_OAuth_token_types_are_case_insensitive(string tokenType)
    {
        Assert.Empty(Errors(Replace("\"token_type\": \"Bearer\"", $"\"token_type\": \"{tokenType}\"")));
    }

    [Fact]
    public void A_token_type_other_than_Bearer_is_still_refused()
    {
        Assert.Equal(["fhirAuthorization.token_type must be 'Bearer', not 'Bearers'."], Errors(Replace("\"token_type\": \"Bearer\"", "\"token_type\": \"Bearers\"")));
    }

    [Fact]
    public void A_prefetch_value_that_is_not_a_resource_is_an_error()
    {
        Assert.Equal(["prefetch.conditions must be a FHIR resource (a JSON object) or null, not an array."],
            Errors(Replace("\"conditions\": null", "\"conditions\": []")));
        Assert.Equal(["prefetch.conditions has no resourceType."], Errors(Replace("\"conditions\": null", "\"conditions\": { }")));
    }

    [Fact]
    public void Wrong_json_types_are_all_named_instead_of_failing_at_the_first()
    {
        var errors = Errors("""{ "hook": 1, "hookInstance": true, "context": "pat-1", "fhirAuthorization": { "expires_in": "soon" } }""");

        Assert.Equal(
            [
                "hook must be a string, not a number.",
                "hookInstance must be a string, not a boolean.",
                "context must be an object, not a string.",
                "fhirAuthorization.expires_in must be an integer (seconds).",
            ],
            errors);
    }
}

public sealed class FeedbackValidatorTests
{
    [Fact]
    public void Valid_feedback_has_no_errors()
    {
        var feedback = CdsHooksJson.DeserializeFeedback("""
            { "feedback": [ { "card": "c1", "outcome": "accepted", "acceptedSuggestions": [ { "id": "s1" } ], "outcomeTimestamp": "2026-03-02T10:00:00Z" },
                            { "card": "c2", "outcome": "overridden", "overrideReason": { "userComment": "seen" }, "outcomeTimestamp": "2026-03-02T10:00:00Z" } ] }
            """);

        Assert.Empty(CdsRequestValidator.ValidateFeedback(feedback));
    }

    [Fact]
    public void Each_fault_of_a_feedback_entry_is_named()
    {
        var feedback = CdsHooksJson.DeserializeFeedback("""
            { "feedback": [ { "outcome": "accepted", "outcomeTimestamp": "yesterday" },
                            { "card": "c2", "outcome": "ignored", "outcomeTimestamp": "2026-03-02T10:00:00Z" },
                            { "card": "c3", "outcome": "overridden", "overrideReason": { } } ] }
            """);

        Assert.Equal(
            [
                "feedback[0].card is required (the card's uuid).",
                "feedback[0].acceptedSuggestions (each with an id) is required when the outcome is accepted.",
                "feedback[0].outcomeTimestamp 'yesterday' is not an ISO 8601 instant.",
                "feedback[1].outcome must be accepted or overridden, not 'ignored'.",
                "feedback[2].overrideReason needs a reason, a userComment, or both.",
                "feedback[2].outcomeTimestamp is required.",
            ],
            CdsRequestValidator.ValidateFeedback(feedback));
        Assert.Equal(["feedback must be a non-empty array."], CdsRequestValidator.ValidateFeedback(new FeedbackRequest()));
    }

    [Theory]
    [InlineData("""{"feedback":[{"card":5,"outcome":"accepted"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":{"card":"c1"}}""", "feedback")]
    [InlineData("\uFEFF{\"feedback\":[{\"acceptedSuggestions\":[{\"id\":true}]}]}", "feedback[0].acceptedSuggestions[0].id")]
    [InlineData("[1]", "$")]
    public void A_feedback_value_of_the_wrong_JSON_type_is_named_at_its_path(string json, string path)
    {
        var (feedback, errors) = CdsRequestValidator.ParseFeedback(System.Text.Encoding.UTF8.GetBytes(json));

        Assert.Null(feedback);
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Path);
        Assert.Equal("has the wrong JSON type for CDS Hooks feedback.", error.Message);
    }
}
