using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Endpoints;

/// <summary>A search the FHIR server answers in pages is read whole, or the read fails naming why: never a partial record.</summary>
public sealed class PagedFhirServerTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;
    private const string Token = "ehr-access-token-456";
    private const string Administration = "MedicationAdministration";

    // One attempt per read, so a failing page fails at once.
    private static readonly Dictionary<string, string?> NoRetries = new()
    {
        ["Herald:Fhir:Retries"] = "0",
        ["Herald:Fhir:AttemptTimeout"] = "00:00:01",
    };

    [Fact]
    public async Task Forty_two_administrations_served_five_per_page_are_all_read_so_trastuzumab_emtansine_is_not_ranked_after_progression_on_it()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5 };

        var (status, body) = await CallFetchingAdministrations(fhir, request);

        Assert.Equal(HttpStatusCode.OK, status);
        var summaries = Summaries(body);
        Assert.DoesNotContain(summaries, s => s.StartsWith("Rank ", StringComparison.Ordinal) && s.Contains("trastuzumab emtansine", StringComparison.Ordinal));
        Assert.Equal(await InlineSummaries(request), summaries);
        Assert.Equal(9, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task The_whole_record_given_in_the_prefetch_excludes_trastuzumab_emtansine_as_progressed_on()
    {
        // The reference the paged reads are compared with: the 42 administrations give a line that ended in progression.
        var summaries = await InlineSummaries(EhrShapedRecords.TrastuzumabEmtansineProgressedRequest());

        Assert.Contains(summaries, s => s.StartsWith("Second-line therapy", StringComparison.Ordinal) && s.Contains("1 excluded", StringComparison.Ordinal));
        Assert.DoesNotContain(summaries, s => s.StartsWith("Rank ", StringComparison.Ordinal) && s.Contains("trastuzumab emtansine", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(NextLinkForm.Relative, "/fhir/MedicationAdministration?_page=2")]
    [InlineData(NextLinkForm.SameOriginOtherPath, "/paging/MedicationAdministration?_page=2")]
    public async Task Relative_next_links_and_links_elsewhere_on_the_same_origin_are_followed(NextLinkForm links, string secondPage)
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject(), requiredToken: Token);
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5, Links = links };

        var (status, body) = await CallFetchingAdministrations(fhir, request, token: Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await InlineSummaries(request), Summaries(body));
        Assert.Contains(secondPage, fhir.RequestsFor(Administration));
        Assert.Equal(9, fhir.RequestsFor(Administration).Count);
        Assert.All(fhir.Requests, r => Assert.Equal("Bearer " + Token, r.Authorization));
    }

    [Fact]
    public async Task A_next_link_to_another_origin_is_refused_never_followed_and_the_call_is_412()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var foreign = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject(), requiredToken: Token);
        fhir.ForeignBaseUrl = foreign.BaseUrl;
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5, Links = NextLinkForm.OtherOrigin };

        var (status, body) = await CallFetchingAdministrations(fhir, request, token: Token);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Empty(foreign.Requests);
        Assert.Single(fhir.RequestsFor(Administration));
        var diagnostics = Assert.Single(Diagnostics(body));
        Assert.Contains("'medicationAdministrations'", diagnostics, StringComparison.Ordinal);
        Assert.Contains("another server", diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_to_another_server_is_not_followed_so_the_token_goes_nowhere_else()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var foreign = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject(), requiredToken: Token);
        fhir.ForeignBaseUrl = foreign.BaseUrl;
        fhir.Behaviours[Administration] = new SearchBehaviour { RedirectElsewhere = true };

        var (status, body) = await CallFetchingAdministrations(fhir, request, token: Token);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Empty(foreign.Requests);
        Assert.Contains("answered 302", Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_with_more_pages_than_the_bound_fails_rather_than_being_read_in_part()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5 };

        var (status, body) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?> { ["Herald:Fhir:MaxPages"] = "3" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("more than 3 pages", Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
        Assert.Equal(3, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task A_search_of_exactly_the_bound_in_pages_is_read()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5 };

        var (status, _) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?> { ["Herald:Fhir:MaxPages"] = "9" });

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData(PageFault.ServerError, "answered 500")]
    [InlineData(PageFault.Garbage, "not JSON")]
    [InlineData(PageFault.Hang, "did not answer in time")]
    [InlineData(PageFault.NotABundle, "not a Bundle")]
    public async Task A_page_that_fails_fails_the_read_naming_the_page_and_why(PageFault fault, string why)
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5, FailingPage = 4, Fault = fault };

        var (status, body) = await CallFetchingAdministrations(fhir, request, NoRetries);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(Diagnostics(body));
        Assert.Contains("page 4", diagnostics, StringComparison.Ordinal);
        Assert.Contains(why, diagnostics, StringComparison.Ordinal);
        Assert.Equal(4, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task A_total_larger_than_the_matches_served_fails_the_read()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5, ClaimedTotal = 50 };

        var (status, body) = await CallFetchingAdministrations(fhir, request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        var diagnostics = Assert.Single(Diagnostics(body));
        Assert.Contains("50 resources match", diagnostics, StringComparison.Ordinal);
        Assert.Contains("holds 42", diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200, "is an OperationOutcome")]
    [InlineData(500, "answered 500")]
    public async Task A_search_answered_with_an_OperationOutcome_fails_the_read(int httpStatus, string why)
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { OperationOutcomeStatus = httpStatus };

        var (status, body) = await CallFetchingAdministrations(fhir, request, NoRetries);

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains(why, Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_fails_twice_then_answers_is_read_on_the_third_attempt()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { TransientFailures = 2 };

        var (status, body) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?> { ["Herald:Fhir:Retries"] = "2" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await InlineSummaries(request), Summaries(body));
        Assert.Equal(3, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task Fewer_retries_than_the_transient_failures_give_412()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { TransientFailures = 2 };

        var (status, body) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?> { ["Herald:Fhir:Retries"] = "1" });

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("answered 503", Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
        Assert.Equal(2, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task A_server_that_never_answers_in_time_is_tried_once_more_per_retry_then_412()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { FailingPage = 1, Fault = PageFault.Hang };

        var (status, body) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?>
        {
            ["Herald:Fhir:AttemptTimeout"] = "00:00:00.300",
            ["Herald:Fhir:Retries"] = "1",
            ["Herald:Fhir:TotalTimeout"] = "00:00:20",
        });

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("did not answer in time", Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
        Assert.Equal(2, fhir.RequestsFor(Administration).Count);
    }

    [Fact]
    public async Task The_total_timeout_ends_a_read_before_a_longer_attempt_timeout_would()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours[Administration] = new SearchBehaviour { FailingPage = 1, Fault = PageFault.Hang };
        var clock = Stopwatch.StartNew();

        var (status, body) = await CallFetchingAdministrations(fhir, request, new Dictionary<string, string?>
        {
            ["Herald:Fhir:AttemptTimeout"] = "00:00:20",
            ["Herald:Fhir:Retries"] = "3",
            ["Herald:Fhir:TotalTimeout"] = "00:00:00.500",
        });

        Assert.Equal(HttpStatusCode.PreconditionFailed, status);
        Assert.Contains("did not answer in time", Assert.Single(Diagnostics(body)), StringComparison.Ordinal);
        Assert.Single(fhir.RequestsFor(Administration));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Paged_reads_and_refusals_are_logged_with_ids_and_counts_but_never_the_patient_the_query_or_the_token()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var foreign = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject(), requiredToken: Token);
        fhir.ForeignBaseUrl = foreign.BaseUrl;
        var logs = new LogCapture();

        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5 };
        var (read, _) = await CallFetchingAdministrations(fhir, request, token: Token, logs: logs);
        fhir.Behaviours[Administration] = new SearchBehaviour { PageSize = 5, Links = NextLinkForm.OtherOrigin };
        var (refused, _) = await CallFetchingAdministrations(fhir, request, token: Token, logs: logs);
        await using var flaky = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject(), requiredToken: Token);
        flaky.Behaviours[Administration] = new SearchBehaviour { TransientFailures = 1 };
        var (retried, _) = await CallFetchingAdministrations(flaky, request, token: Token, logs: logs);

        Assert.Equal(HttpStatusCode.OK, read);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused);
        Assert.Equal(HttpStatusCode.OK, retried);
        var hookInstance = request["hookInstance"]!.GetValue<string>();
        var lines = logs.Lines.Select(l => l.Message).ToList();
        Assert.Contains(lines, l => l.Contains("medicationAdministrations", StringComparison.Ordinal) && l.Contains(hookInstance, StringComparison.Ordinal)
                                    && l.Contains("9 pages, 42 entries", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("medicationAdministrations", StringComparison.Ordinal) && l.Contains("(foreign-next-link)", StringComparison.Ordinal)
                                    && l.Contains("1 pages, 5 entries", StringComparison.Ordinal));
        Assert.All(lines, l =>
        {
            Assert.DoesNotContain(EhrShapedRecords.PatientId, l, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, l, StringComparison.Ordinal);
            Assert.DoesNotContain("patient=", l, StringComparison.Ordinal);
            Assert.DoesNotContain("_page=", l, StringComparison.Ordinal);
        });
    }

    /// <summary>The request with its administrations left for fhirServer to give.</summary>
    private static async Task<(HttpStatusCode Status, JsonNode Body)> CallFetchingAdministrations(
        FakeFhirServer fhir, JsonObject request, IDictionary<string, string?>? settings = null, string? token = null, LogCapture? logs = null)
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"), settings,
            logs is null ? null : services => services.AddSingleton<ILoggerProvider>(logs));
        var fetching = request.DeepClone().AsObject();
        fetching["fhirServer"] = fhir.BaseUrl;
        fetching["prefetch"]!.AsObject().Remove("medicationAdministrations");
        if (token is not null)
        {
            fetching["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["scope"] = "patient/*.read",
                ["subject"] = "herald",
            };
        }

        var response = await Http.Post(host.CreateClient(), PatientView, fetching);
        return (response.StatusCode, await Http.Body(response));
    }

    private static async Task<List<string>> InlineSummaries(JsonObject request)
    {
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var response = await Http.Post(host.CreateClient(), PatientView, request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Summaries(await Http.Body(response));
    }

    private static List<string> Summaries(JsonNode body) => body["cards"]!.AsArray().Select(c => c!["summary"]!.GetValue<string>()).ToList();

    internal static List<string> Diagnostics(JsonNode outcome) =>
        outcome["issue"]!.AsArray().Select(i => i!["diagnostics"]!.GetValue<string>()).ToList();
}
