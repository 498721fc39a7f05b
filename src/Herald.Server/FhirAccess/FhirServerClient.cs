using System.Net.Http.Headers;
using System.Text.Json;
using Herald.Fhir;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Herald.Server.FhirAccess;

/// <summary>
/// The outcome of one FHIR read: the resource (for a search, one Bundle of every page's entries), or why there is
/// none. <see cref="Reason"/> is a code safe to log; <see cref="Failure"/> is the sentence for the caller.
/// </summary>
public sealed record FhirFetchResult(JsonElement? Resource, string? Failure, string? Reason, int Pages, int Entries, long? TotalClaimed)
{
    public bool Succeeded => Resource is not null;

    internal static FhirFetchResult Fail(string reason, string failure, int pages = 0, int entries = 0, long? total = null) =>
        new(null, failure, reason, pages, entries, total);
}

/// <summary>
/// Reads what the CDS Hooks prefetch left out from the EHR's FHIR server, and reads a search whole: every
/// <c>next</c> link is followed, up to <see cref="FhirClientOptions.MaxPages"/> pages. A next link must have the
/// origin (scheme, host, port) of <c>fhirServer</c>, or be relative to it; a link to any other origin is refused
/// and never followed, so the bearer token from <c>fhirAuthorization</c> never leaves for another server. A read
/// that cannot be whole fails naming why: the bound reached with a next link left, a page that fails, a
/// <c>Bundle.total</c> above the matches read, an OperationOutcome reporting an error. Timeouts and retries are the
/// HttpClient's resilience handler (<see cref="FhirResilience"/>).
/// </summary>
public sealed class FhirServerClient(HttpClient http, IOptions<HeraldServerOptions> options)
{
    public const string ReasonInvalidServer = "invalid-fhir-server";
    public const string ReasonStatus = "http-status";
    public const string ReasonTimeout = "timeout";
    public const string ReasonUnreachable = "unreachable";
    public const string ReasonNotJson = "not-json";
    public const string ReasonNotABundle = "not-a-bundle";
    public const string ReasonForeignNextLink = "foreign-next-link";
    public const string ReasonBadNextLink = "malformed-next-link";
    public const string ReasonPageBound = "page-bound";

    private readonly int maxPages = options.Value.Fhir.MaxPages;

    /// <param name="fhirServer">The base URL the EHR gave (<c>fhirServer</c>).</param>
    /// <param name="relativeQuery">E.g. <c>Patient/123</c> or <c>Condition?patient=123</c>.</param>
    /// <param name="bearerToken">The <c>fhirAuthorization.access_token</c>, or null for an open server.</param>
    public async Task<FhirFetchResult> FetchAsync(string fhirServer, string relativeQuery, string? bearerToken, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(fhirServer.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri)
            || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            return FhirFetchResult.Fail(ReasonInvalidServer, "fhirServer is not an absolute http(s) URL");
        }

        var query = new Uri(baseUri, relativeQuery);
        if (!SameOrigin(baseUri, query))
        {
            return FhirFetchResult.Fail(ReasonForeignNextLink, "the query does not resolve to fhirServer's origin; it was not sent");
        }

        var (first, failure) = await FetchOneAsync(query, bearerToken, cancellationToken);
        if (first is not { } resource)
        {
            return failure!;
        }

        // A read (Patient/123) gives one resource; a search gives Bundles to page through.
        var isSearch = relativeQuery.Contains('?', StringComparison.Ordinal) || !relativeQuery.Contains('/', StringComparison.Ordinal);
        if (!IsBundle(resource))
        {
            return isSearch && !IsOperationOutcome(resource)
                ? FhirFetchResult.Fail(ReasonNotABundle, $"the FHIR server answered a search with a {TypeOf(resource)}, not a Bundle", pages: 1)
                : Checked(resource, pages: 1, entries: 1, total: null);
        }

        var entries = new List<JsonElement>();
        long? total = null;
        var page = resource;
        for (var pages = 1; ; pages++)
        {
            if (page.TryGetProperty("entry", out var pageEntries) && pageEntries.ValueKind == JsonValueKind.Array)
            {
                entries.AddRange(pageEntries.EnumerateArray());
            }

            // Servers may write the total on the first page only; the largest one claimed is the one to meet.
            if (page.TryGetProperty("total", out var pageTotal) && pageTotal.ValueKind == JsonValueKind.Number && pageTotal.TryGetInt64(out var claimed))
            {
                total = Math.Max(total ?? 0, claimed);
            }

            var (hasNext, nextText) = NextLink(page);
            if (!hasNext)
            {
                return Checked(SearchSet(entries, total), pages, entries.Count, total);
            }

            if (pages >= maxPages)
            {
                return FhirFetchResult.Fail(ReasonPageBound,
                    $"the search has more than {maxPages} pages (Herald:Fhir:MaxPages); Herald does not decide from part of it", pages, entries.Count, total);
            }

            if (nextText is null || !Uri.TryCreate(baseUri, nextText, out var next))
            {
                return FhirFetchResult.Fail(ReasonBadNextLink, $"page {pages} has a 'next' link that is not a URL", pages, entries.Count, total);
            }

            if (!SameOrigin(baseUri, next) || (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp))
            {
                return FhirFetchResult.Fail(ReasonForeignNextLink,
                    $"page {pages} links its next page to another server ({Origin(next)}); Herald does not follow it, so the token stays with fhirServer",
                    pages, entries.Count, total);
            }

            var (nextPage, pageFailure) = await FetchOneAsync(next, bearerToken, cancellationToken);
            if (nextPage is not { } read)
            {
                return pageFailure! with { Failure = $"page {pages + 1}: {pageFailure.Failure}", Pages = pages, Entries = entries.Count, TotalClaimed = total };
            }

            if (!IsBundle(read))
            {
                var findings = FhirCompleteness.Check(read);
                return findings.Count > 0
                    ? FhirFetchResult.Fail(findings[0].Code, $"page {pages + 1}: the answer {findings[0].Message}", pages + 1, entries.Count, total)
                    : FhirFetchResult.Fail(ReasonNotABundle, $"page {pages + 1} is a {TypeOf(read)}, not a Bundle", pages + 1, entries.Count, total);
            }

            page = read;
        }
    }

    // The whole answer is checked as a prefetch value is: an OperationOutcome, an error entry, a total above the matches.
    private static FhirFetchResult Checked(JsonElement resource, int pages, int entries, long? total)
    {
        var findings = FhirCompleteness.Check(resource);
        return findings.Count == 0
            ? new FhirFetchResult(resource, null, null, pages, entries, total)
            : FhirFetchResult.Fail(findings[0].Code, findings[0].Code == FhirCompleteness.OperationOutcome
                ? "the FHIR server's answer " + findings[0].Message
                : "the FHIR server's answer is incomplete: " + string.Join("; ", findings.Select(f => f.Message)), pages, entries, total);
    }

    private async Task<(JsonElement? Resource, FhirFetchResult? Failure)> FetchOneAsync(Uri uri, string? bearerToken, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
            if (bearerToken is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, FhirFetchResult.Fail(ReasonStatus, $"the FHIR server answered {(int)response.StatusCode} for {uri.AbsolutePath}"));
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return (document.RootElement.Clone(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException or OperationCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return (null, e switch
            {
                TimeoutRejectedException or OperationCanceledException => FhirFetchResult.Fail(ReasonTimeout, $"the FHIR server did not answer in time ({uri.AbsolutePath})"),
                JsonException => FhirFetchResult.Fail(ReasonNotJson, $"the FHIR server's answer is not JSON ({uri.AbsolutePath})"),
                _ => FhirFetchResult.Fail(ReasonUnreachable, $"the FHIR server could not be reached ({uri.Host})"),
            });
        }
    }

    private static bool IsBundle(JsonElement resource) => TypeOf(resource) == "Bundle";

    private static bool IsOperationOutcome(JsonElement resource) => TypeOf(resource) == "OperationOutcome";

    private static string TypeOf(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : "JSON value without a resourceType";

    /// <summary>Whether the page has a next link, and its URL text (null when it has none or it is not a string).</summary>
    private static (bool HasNext, string? Url) NextLink(JsonElement bundle)
    {
        if (!bundle.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return (false, null);
        }

        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object
                && link.TryGetProperty("relation", out var relation) && relation.ValueKind == JsonValueKind.String && relation.ValueEquals("next"))
            {
                return (true, link.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null);
            }
        }

        return (false, null);
    }

    /// <summary>The same origin (RFC 6454): scheme, host and port; the path may differ (paging endpoints often do).</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    // Scheme, host and port only: the path and query of a paging link can carry the patient id.
    private static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";

    private static JsonElement SearchSet(List<JsonElement> entries, long? total)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("type", "searchset");
            if (total is { } t)
            {
                writer.WriteNumber("total", t);
            }

            writer.WriteStartArray("entry");
            foreach (var entry in entries)
            {
                entry.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }
}
