using System.Text;
using System.Text.Json;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Cards;

/// <summary>
/// The request is read from the parsed body by hand, its context and prefetch values left in that body. It must be the
/// request System.Text.Json's serializer reads from the same bytes, and the serializer must never refuse a body the
/// type checks passed (its refusal was the only other 400 the old reading could give).
/// </summary>
public sealed class CdsRequestReadingTests
{
    private static readonly string[] Members =
        ["hook", "hookInstance", "fhirServer", "fhirAuthorization", "context", "prefetch", "Hook", "PREFETCH", "$id", "$type", "patientId", "extension"];

    private static readonly string[] AuthorizationMembers =
        ["access_token", "token_type", "expires_in", "scope", "subject", "patient", "Access_Token", "expiresIn", "$ref"];

    private static readonly string[] Texts = ["\"patient-view\"", "\"\"", "\"\\u0041b\\ud83d\\ude00\"", "null", "\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\""];

    private static readonly string[] AnyValues = ["1", "\"x\"", "[1,{\"a\":null}]", "{\"resourceType\":\"Patient\",\"id\":\"p\"}", "null", "true", "{}"];

    [Fact]
    public void The_request_read_by_hand_is_the_one_the_serializer_reads_and_the_serializer_refuses_nothing_the_type_checks_pass()
    {
        var random = new Random(20261204);
        var read = 0;
        for (var i = 0; i < 4000; i++)
        {
            var body = Encoding.UTF8.GetBytes(Request(random));
            using var parsed = CdsRequestValidator.Parse(body, CdsServiceCatalog.PatientView);
            if (parsed.Request is not { } request)
            {
                continue; // a type fault or a name given twice: refused before any reading
            }

            read++;
            var expected = JsonSerializer.Deserialize(body, CdsHooksJsonContext.Web.CdsServiceRequest)!;
            var at = Encoding.UTF8.GetString(body);
            Assert.True(Describe(expected) == Describe(request), $"{at}\nserializer: {Describe(expected)}\nby hand:    {Describe(request)}");
        }

        Assert.True(read > 1000, $"only {read} of 4000 bodies were read; the generator must reach the reading");
    }

    [Fact]
    public void Context_and_prefetch_values_are_readable_until_the_result_is_disposed_and_fail_loudly_after()
    {
        var body = """{"context":{"patientId":"p"},"prefetch":{"patient":{"resourceType":"Patient"}}}"""u8.ToArray();
        var parsed = CdsRequestValidator.Parse(body, CdsServiceCatalog.PatientView);
        var request = parsed.Request!;
        Assert.Equal("p", request.PatientId);
        Assert.Equal("Patient", request.Prefetch!["patient"]!.Value.GetProperty("resourceType").GetString());

        parsed.Dispose();

        Assert.Throws<ObjectDisposedException>(() => request.Context.GetProperty("patientId"));
        Assert.Throws<ObjectDisposedException>(() => request.Prefetch["patient"]!.Value.GetProperty("resourceType"));
    }

    private static string Request(Random random)
    {
        var members = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => Members[random.Next(Members.Length)])
            .Distinct(StringComparer.Ordinal) // a name given twice is refused before reading; the reading is what is compared
            .Select(name => $"\"{name}\":{Value(random, name)}");
        return "{" + string.Join(",", members) + "}";
    }

    private static string Value(Random random, string member) => member switch
    {
        "hook" or "hookInstance" or "fhirServer" => Pick(random, Texts),
        "fhirAuthorization" => random.Next(5) == 0 ? "null" : Authorization(random),
        "context" => Pick(random, ["null", "{}", "{\"patientId\":\"p\",\"userId\":\"u\"}", "{\"draftOrders\":{\"resourceType\":\"Bundle\"}}"]),
        "prefetch" => random.Next(5) == 0 ? "null" : Prefetch(random),
        // Members the request does not have, in any case or JSON type: the serializer skips them.
        _ => Pick(random, AnyValues),
    };

    private static string Authorization(Random random)
    {
        var members = Enumerable.Range(0, random.Next(0, 7))
            .Select(_ => AuthorizationMembers[random.Next(AuthorizationMembers.Length)])
            .Distinct(StringComparer.Ordinal)
            .Select(name => $"\"{name}\":{(name == "expires_in" ? Pick(random, ["null", "0", "300", "-1", "9223372036854775807"]) : name.Contains('_', StringComparison.Ordinal) || name == "scope" || name == "subject" || name == "patient" ? Pick(random, Texts) : Pick(random, AnyValues))}");
        return "{" + string.Join(",", members) + "}";
    }

    private static string Prefetch(Random random)
    {
        var members = Enumerable.Range(0, random.Next(0, 5))
            .Select(i => Pick(random, ["patient", "conditions", "a\\u0062", "", "Patient"]))
            .Distinct(StringComparer.Ordinal)
            .Select(key => $"\"{key}\":{Pick(random, AnyValues)}");
        return "{" + string.Join(",", members) + "}";
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Describe(CdsServiceRequest r)
    {
        var auth = r.FhirAuthorization is { } a
            ? $"{{{a.AccessToken}|{a.TokenType}|{a.ExpiresIn}|{a.Scope}|{a.Subject}|{a.Patient}}}"
            : "none";
        var prefetch = r.Prefetch is null
            ? "none"
            : string.Join(",", r.Prefetch.Select(p => $"{p.Key}={(p.Value is { } v ? $"{v.ValueKind}:{v.GetRawText()}" : "null")}"));
        var context = r.Context.ValueKind == JsonValueKind.Undefined ? "undefined" : $"{r.Context.ValueKind}:{r.Context.GetRawText()}";
        return $"hook={r.Hook} instance={r.HookInstance} server={r.FhirServer} auth={auth} context={context} prefetch=[{prefetch}]";
    }
}
