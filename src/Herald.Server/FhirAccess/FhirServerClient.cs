using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Herald.Server.Hosting;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Herald.Server.FhirAccess;

/// <summary>The outcome of one FHIR read: the resource (or search Bundle), or why there is none.</summary>
public sealed record FhirFetchResult(JsonElement? Resource, string? Failure)
{
    public bool Succeeded => Resource is not null;
}

/// <summary>
/// Reads what the CDS Hooks prefetch left out from the EHR's FHIR server. The bearer token from
/// <c>fhirAuthorization</c> goes only to that server: search paging links that point elsewhere are not followed,
/// so the token never leaves for another host. Timeouts and retries come from <see cref="FhirClientOptions"/>.
/// </summary>
public sealed class FhirServerClient
{
    private readonly HttpClient http;
    private readonly FhirClientOptions options;
    private readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public FhirServerClient(HttpClient http, IOptions<HeraldServerOptions> options, TimeProvider time)
    {
        this.http = http;
        this.options = options.Value.Fhir;
        pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(this.options.TotalTimeout)
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = this.options.Retries,
                Delay = TimeSpan.FromMilliseconds(200),
                BackoffType = DelayBackoffType.Exponential,
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .Handle<TimeoutRejectedException>()
                    .HandleResult(IsTransient),
            })
            .AddTimeout(this.options.AttemptTimeout)
            .Build();
    }

    /// <param name="fhirServer">The base URL the EHR gave (<c>fhirServer</c>).</param>
    /// <param name="relativeQuery">E.g. <c>Patient/123</c> or <c>Condition?patient=123</c>.</param>
    /// <param name="bearerToken">The <c>fhirAuthorization.access_token</c>, or null for an open server.</param>
    public async Task<FhirFetchResult> FetchAsync(string fhirServer, string relativeQuery, string? bearerToken, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(fhirServer.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri)
            || (baseUri.Scheme != Uri.UriSchemeHttps && baseUri.Scheme != Uri.UriSchemeHttp))
        {
            return new FhirFetchResult(null, "fhirServer is not an absolute http(s) URL");
        }

        var first = await FetchOneAsync(new Uri(baseUri, relativeQuery), bearerToken, cancellationToken);
        if (first.Resource is not { } resource || !IsSearchSet(resource))
        {
            return first;
        }

        // A search result may come in pages; gather the entries of the pages on the same server.
        var entries = new List<JsonElement>();
        var page = resource;
        for (var pages = 1; ; pages++)
        {
            if (page.TryGetProperty("entry", out var pageEntries) && pageEntries.ValueKind == JsonValueKind.Array)
            {
                entries.AddRange(pageEntries.EnumerateArray());
            }

            var next = NextLink(page);
            if (next is null || pages >= options.MaxPages || !SameServer(baseUri, next))
            {
                break;
            }

            var more = await FetchOneAsync(next, bearerToken, cancellationToken);
            if (more.Resource is not { } nextPage)
            {
                return more;
            }

            page = nextPage;
        }

        return new FhirFetchResult(SearchSet(entries), null);
    }

    private async Task<FhirFetchResult> FetchOneAsync(Uri uri, string? bearerToken, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await pipeline.ExecuteAsync(
                async token =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
                    if (bearerToken is not null)
                    {
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
                    }

                    return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token);
                },
                cancellationToken);

            if (!response.IsSuccessStatusCode)
            {
                return new FhirFetchResult(null, $"the FHIR server answered {(int)response.StatusCode} for {uri.AbsolutePath}");
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return new FhirFetchResult(document.RootElement.Clone(), null);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or JsonException or TaskCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            return new FhirFetchResult(null, e switch
            {
                TimeoutRejectedException or TaskCanceledException => $"the FHIR server did not answer in time ({uri.AbsolutePath})",
                JsonException => $"the FHIR server's answer is not JSON ({uri.AbsolutePath})",
                _ => $"the FHIR server could not be reached ({uri.Host})",
            });
        }
    }

    private static bool IsTransient(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500;

    private static bool IsSearchSet(JsonElement resource) =>
        resource.ValueKind == JsonValueKind.Object
        && resource.TryGetProperty("resourceType", out var type) && type.ValueEquals("Bundle");

    private static Uri? NextLink(JsonElement bundle)
    {
        if (!bundle.TryGetProperty("link", out var links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object
                && link.TryGetProperty("relation", out var relation) && relation.ValueEquals("next")
                && link.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }

        return null;
    }

    private static bool SameServer(Uri baseUri, Uri link) =>
        link.Scheme == baseUri.Scheme
        && string.Equals(link.Authority, baseUri.Authority, StringComparison.OrdinalIgnoreCase)
        && link.AbsolutePath.StartsWith(baseUri.AbsolutePath, StringComparison.Ordinal);

    private static JsonElement SearchSet(List<JsonElement> entries)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("type", "searchset");
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
