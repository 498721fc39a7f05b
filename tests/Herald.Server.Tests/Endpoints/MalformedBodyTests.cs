using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Endpoints;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// Bodies no reader should decode, on every POST endpoint: a lone surrogate escape, bytes that are not UTF-8, a member
/// given twice, null inside FHIR arrays and feedback, dates with non-ASCII digits. Each is refused with 400 (or 422)
/// and its place named, never a 500 and never read as something else; a hookInstance that is not a UUID is not logged.
/// </summary>
public sealed class MalformedBodyTests : IDisposable
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string Feedback = PatientView + "/feedback";
    private const string Apply = "/fhir/PlanDefinition/" + ApplyEndpoints.PlanDefinitionId + "/$apply";
    private const string FhirJson = "application/fhir+json";

    private readonly LogCapture logs = new();
    private readonly HeraldHost host;
    private readonly HttpClient client;

    public MalformedBodyTests()
    {
        host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), services: s => s.AddSingleton<ILoggerProvider>(logs));
        client = host.CreateClient();
    }

    public void Dispose() => host.Dispose();

    /// <summary>Each POST endpoint with a valid body to break, and the media type it takes.</summary>
    public static TheoryData<string> Endpoints() => ["recommendations-fhir", "recommendations-native", "cds-hooks", "feedback", "apply"];

    private static (string Path, string MediaType, JsonObject Body) Valid(string endpoint) => endpoint switch
    {
        "recommendations-fhir" => ("/api/recommendations", FhirJson, FhirExamples.Bundle("seed-case-1")),
        "recommendations-native" => ("/api/recommendations", "application/json",
            JsonNode.Parse(File.ReadAllText(Path.Combine(Cards.CardTestKit.RepositoryRoot, "examples", "seed-case-1.json")))!.AsObject()),
        "cds-hooks" => (PatientView, "application/json", FhirExamples.HookRequest("seed-case-1")),
        "feedback" => (Feedback, "application/json", FeedbackBody()),
        "apply" => (Apply, FhirJson, new JsonObject
        {
            ["resourceType"] = "Parameters",
            ["parameter"] = new JsonArray(new JsonObject { ["name"] = "data", ["resource"] = FhirExamples.Bundle("seed-case-1") }),
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint)),
    };

    private static JsonObject FeedbackBody() => new()
    {
        ["feedback"] = new JsonArray(new JsonObject
        {
            ["card"] = Guid.NewGuid().ToString(),
            ["outcome"] = "overridden",
            ["overrideReason"] = new JsonObject { ["userComment"] = "not now" },
            ["outcomeTimestamp"] = "2026-03-01T10:00:00Z",
        }),
    };

    private async Task<(HttpStatusCode Status, string Text)> Send(string path, byte[] body, string? mediaType)
    {
        using var content = new ByteArrayContent(body);
        if (mediaType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        }

        using var response = await client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The first string value's text in the body, replaced by <paramref name="raw"/> (JSON text, quotes included).</summary>
    private static byte[] WithFirstString(JsonObject body, string marker, byte[] raw)
    {
        var text = body.ToJsonString();
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{marker}' is not in the body");
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. raw, .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])];
    }

    private static string Marker(string endpoint) => endpoint switch
    {
        "feedback" => "\"not now\"",
        "recommendations-native" => "\"seed-case-1\"",
        _ => "\"Patient\"",
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_lone_surrogate_escape_is_refused_with_400_naming_it(string endpoint)
    {
        var (path, mediaType, body) = Valid(endpoint);

        var (status, text) = await Send(path, WithFirstString(body, Marker(endpoint), Encoding.UTF8.GetBytes("\"\\ud800\"")), mediaType);

        Assert.True(status == HttpStatusCode.BadRequest, $"{endpoint}: {(int)status} {text}");
        Assert.Contains("surrogate", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Bytes_that_are_not_UTF8_are_refused_with_400_not_replaced(string endpoint)
    {
        var (path, mediaType, body) = Valid(endpoint);

        var (status, text) = await Send(path, WithFirstString(body, Marker(endpoint), [(byte)'"', 0xC3, 0x28, (byte)'"']), mediaType);

        Assert.True(status == HttpStatusCode.BadRequest, $"{endpoint}: {(int)status} {text}");
        Assert.Contains("not UTF-8", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_member_given_twice_is_refused_with_400_naming_its_path(string endpoint)
    {
        var (path, mediaType, body) = Valid(endpoint);
        var text = body.ToJsonString();
        var marker = Marker(endpoint);
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        // The member holding the marker, given again at once: {"resourceType":"Patient","resourceType":"Patient",...}.
        var nameStart = text.LastIndexOf('"', at - 3);
        var end = at + marker.Length;
        var duplicated = text[..end] + "," + text[nameStart..end] + text[end..];

        var (status, answer) = await Send(path, Encoding.UTF8.GetBytes(duplicated), mediaType);

        Assert.True(status == HttpStatusCode.BadRequest, $"{endpoint}: {(int)status} {answer}");
        Assert.Contains("more than once", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recommendations-fhir")]
    [InlineData("cds-hooks")]
    [InlineData("apply")]
    public async Task Null_inside_FHIR_arrays_is_refused_not_a_500(string endpoint)
    {
        var (path, mediaType, body) = Valid(endpoint);
        var text = body.ToJsonString();
        foreach (var array in new[] { "\"coding\":[", "\"entry\":[", "\"profile\":[" })
        {
            text = text.Replace(array, array + "null,", StringComparison.Ordinal);
        }

        var (status, answer) = await Send(path, Encoding.UTF8.GetBytes(text), mediaType);

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{endpoint}: {(int)status} {answer}");
        Assert.Contains("null", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recommendations-fhir")]
    [InlineData("cds-hooks")]
    [InlineData("apply")]
    public async Task A_FHIR_date_with_full_width_digits_is_refused_not_a_500(string endpoint)
    {
        var (path, mediaType, body) = Valid(endpoint);
        var text = body.ToJsonString();
        var date = System.Text.RegularExpressions.Regex.Match(text, "\"(20[0-9]{2})-[0-9]{2}-[0-9]{2}").Groups[1].Value;
        var fullWidth = new string(date.Select(c => (char)(c - '0' + '０')).ToArray());
        text = text.Replace("\"" + date + "-", "\"" + fullWidth + "-", StringComparison.Ordinal);

        var (status, answer) = await Send(path, Encoding.UTF8.GetBytes(text), mediaType);

        Assert.True(status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.OK, $"{endpoint}: {(int)status} {answer}");
        Assert.NotEqual(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData("[null]")]
    [InlineData("[{\"card\":\"x\",\"outcome\":\"accepted\",\"acceptedSuggestions\":[null],\"outcomeTimestamp\":\"2026-03-01T10:00:00Z\"}]")]
    public async Task Null_entries_in_feedback_are_refused_with_400_naming_the_entry(string entries)
    {
        var (status, answer) = await Send(Feedback, Encoding.UTF8.GetBytes($"{{\"feedback\":{entries}}}"), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("feedback[0]", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PatientView, "text/plain")]
    [InlineData(PatientView, "application/x-www-form-urlencoded")]
    [InlineData(PatientView, "multipart/form-data")]
    [InlineData(PatientView, null)]
    [InlineData(Feedback, "text/plain")]
    [InlineData(Feedback, null)]
    [InlineData(Apply, "text/plain")]
    [InlineData(Apply, "application/x-www-form-urlencoded")]
    [InlineData(Apply, null)]
    public async Task A_body_that_is_not_sent_as_JSON_is_refused_with_415(string path, string? mediaType)
    {
        var body = path == Apply ? Valid("apply").Body : path == Feedback ? FeedbackBody() : FhirExamples.HookRequest("seed-case-1");

        var (status, answer) = await Send(path, Encoding.UTF8.GetBytes(body.ToJsonString()), mediaType);

        Assert.True(status == HttpStatusCode.UnsupportedMediaType, $"{path} {mediaType}: {(int)status} {answer}");
    }

    [Fact]
    public async Task Apply_takes_plain_application_json_as_well_as_the_FHIR_media_type()
    {
        var (status, answer) = await Send(Apply, Encoding.UTF8.GetBytes(Valid("apply").Body.ToJsonString()), "application/json; charset=utf-8");

        Assert.True(status == HttpStatusCode.OK, answer);
    }

    [Theory]
    [InlineData("not-a-uuid\nINFO: Herald forged line")]
    [InlineData("not-a-uuid\r\nWARN forged")]
    [InlineData("\u001b[31mforged")]
    public async Task A_hookInstance_that_is_not_a_UUID_is_refused_and_never_written_to_the_log(string hookInstance)
    {
        var request = FhirExamples.HookRequest("seed-case-1");
        request["hookInstance"] = hookInstance;

        var (status, _) = await Send(PatientView, Encoding.UTF8.GetBytes(request.ToJsonString()), "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotEmpty(logs.Lines); // The refusal itself is logged, without the value.
        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains("forged", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains('\n') || line.Message.Contains('\r') || line.Message.Contains('\u001b'));
    }

    [Fact]
    public async Task A_path_with_encoded_line_breaks_is_logged_encoded()
    {
        using var jwtHost = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = "jwt",
            ["Herald:Auth:Issuers:0:Issuer"] = "https://ehr.example.org",
            ["Herald:Auth:Issuers:0:JwksFile"] = WriteEmptyJwks(),
        }, s => s.AddSingleton<ILoggerProvider>(logs));

        var response = await jwtHost.CreateClient().PostAsync("/cds-services/x%0AINFO%3A%20forged%0D", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(logs.Lines, line => line.Message.Contains("%0A", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains('\n') || line.Message.Contains('\r'));
    }

    private string WriteEmptyJwks()
    {
        var file = Path.Combine(host.Directory, "empty.jwks.json");
        File.WriteAllText(file, "{\"keys\":[]}");
        return file;
    }
}
