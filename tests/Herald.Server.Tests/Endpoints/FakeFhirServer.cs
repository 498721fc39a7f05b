using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Server.Tests.Endpoints;

/// <summary>How a page of a search goes wrong.</summary>
public enum PageFault
{
    None,

    /// <summary>500 on every attempt.</summary>
    ServerError,

    /// <summary>200 with a body that is not JSON.</summary>
    Garbage,

    /// <summary>No answer until the caller gives up.</summary>
    Hang,

    /// <summary>200 with a FHIR resource that is not a Bundle.</summary>
    NotABundle,
}

/// <summary>Where a search page's <c>next</c> link points.</summary>
public enum NextLinkForm
{
    /// <summary><c>{fhirServer}/{Type}?_page=k</c>.</summary>
    Absolute,

    /// <summary><c>{Type}?_page=k</c>, to be resolved against fhirServer.</summary>
    Relative,

    /// <summary>The same scheme, host and port as fhirServer but outside its path: <c>/paging/{Type}?_page=k</c>.</summary>
    SameOriginOtherPath,

    /// <summary>Another server altogether (<see cref="FakeFhirServer.ForeignBaseUrl"/>).</summary>
    OtherOrigin,
}

/// <summary>How the fake serves one resource type's search.</summary>
public sealed record SearchBehaviour
{
    /// <summary>Entries per page; the pages link with <c>next</c>.</summary>
    public int PageSize { get; init; } = int.MaxValue;

    public NextLinkForm Links { get; init; } = NextLinkForm.Absolute;

    /// <summary>The page (1-based) that goes wrong, as <see cref="Fault"/> says.</summary>
    public int? FailingPage { get; init; }

    public PageFault Fault { get; init; }

    /// <summary>A <c>Bundle.total</c> written on every page, whatever is served.</summary>
    public int? ClaimedTotal { get; init; }

    /// <summary>The first n requests for this type get 503; later ones are served.</summary>
    public int TransientFailures { get; init; }

    /// <summary>Answer every request for this type with a 302 to the same path on <see cref="FakeFhirServer.ForeignBaseUrl"/>.</summary>
    public bool RedirectElsewhere { get; init; }

    /// <summary>Answer every request for this type with an OperationOutcome (error) and this status.</summary>
    public int? OperationOutcomeStatus { get; init; }
}

/// <summary>
/// A small FHIR server on loopback that answers the prefetch queries from a CDS Hooks example's prefetch (each
/// key's Bundle is the search result for its resource type, whatever the query's parameters), and remembers the
/// path, query and Authorization header of every request. Secured, it answers 401 without the expected token.
/// Per resource type it can page (N per page), fail a page, link to another origin, claim a larger total, fail
/// transiently, or answer with an OperationOutcome (<see cref="SearchBehaviour"/>).
/// </summary>
public sealed class FakeFhirServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> PrefetchKeyByType = new(StringComparer.Ordinal)
    {
        ["Patient"] = "patient",
        ["Condition"] = "conditions",
        ["Observation"] = "observations",
        ["MedicationRequest"] = "medicationRequests",
        ["MedicationAdministration"] = "medicationAdministrations",
        ["MedicationStatement"] = "medicationStatements",
        ["Procedure"] = "procedures",
        ["AllergyIntolerance"] = "allergies",
    };

    private readonly WebApplication app;
    private readonly JsonObject prefetch;
    private readonly ConcurrentDictionary<string, int> requestsByType = new(StringComparer.Ordinal);

    private FakeFhirServer(WebApplication app, JsonObject prefetch)
    {
        this.app = app;
        this.prefetch = prefetch;
    }

    /// <summary>The base URL to give as fhirServer.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The base URL <see cref="NextLinkForm.OtherOrigin"/> links point to.</summary>
    public string ForeignBaseUrl { get; set; } = "http://localhost:1/fhir";

    /// <summary>Path with query, and Authorization header (null when none), of every request received.</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

    public string? RequiredToken { get; init; }

    /// <summary>Resource type → how its searches are served; types not named are served whole.</summary>
    public Dictionary<string, SearchBehaviour> Behaviours { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeFhirServer> StartAsync(JsonObject prefetch, string? requiredToken = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeFhirServer(app, prefetch) { RequiredToken = requiredToken };
        app.Run(server.Answer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/fhir";
        return server;
    }

    /// <summary>The requests whose path (before the query) is under /fhir/{type} or /paging/{type}.</summary>
    public IReadOnlyList<string> RequestsFor(string type) =>
        Requests.Select(r => r.Path).Where(p => TypeOf(p.Split('?')[0]) == type).ToList();

    private async Task Answer(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
        Requests.Enqueue((context.Request.Path + context.Request.QueryString, authorization));
        if (RequiredToken is not null && authorization != "Bearer " + RequiredToken)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var type = TypeOf(context.Request.Path.Value!);
        if (type is null || !PrefetchKeyByType.TryGetValue(type, out var key) || prefetch[key] is not { } value)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var behaviour = Behaviours.GetValueOrDefault(type) ?? new SearchBehaviour();
        var seen = requestsByType.AddOrUpdate(type, 1, (_, n) => n + 1);
        if (seen <= behaviour.TransientFailures)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (behaviour.RedirectElsewhere)
        {
            context.Response.Redirect($"{ForeignBaseUrl}/{type}{context.Request.QueryString}");
            return;
        }

        if (behaviour.OperationOutcomeStatus is { } outcomeStatus)
        {
            context.Response.StatusCode = outcomeStatus;
            await WriteFhir(context, ErrorOutcome("the search could not be completed"));
            return;
        }

        var body = value.DeepClone().AsObject();
        var page = int.TryParse(context.Request.Query["_page"], out var k) ? k : 1;
        if (body["resourceType"]?.GetValue<string>() == "Bundle")
        {
            body = Page(body, type, page, behaviour);
        }

        if (behaviour.FailingPage == page)
        {
            switch (behaviour.Fault)
            {
                case PageFault.ServerError:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    return;
                case PageFault.Garbage:
                    context.Response.ContentType = "application/fhir+json";
                    await context.Response.WriteAsync("<html>proxy error</html>");
                    return;
                case PageFault.Hang:
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        // The caller gave up, as it should.
                    }

                    return;
                case PageFault.NotABundle:
                    await WriteFhir(context, new JsonObject { ["resourceType"] = "Patient", ["id"] = "someone" });
                    return;
            }
        }

        await WriteFhir(context, body);
    }

    /// <summary>Page k of the Bundle's entries, a next link while more remain, and the claimed total if any.</summary>
    private JsonObject Page(JsonObject bundle, string type, int page, SearchBehaviour behaviour)
    {
        var entries = bundle["entry"]?.AsArray().Select(e => e!.DeepClone()).ToList() ?? [];
        var size = behaviour.PageSize;
        var skip = size == int.MaxValue ? 0 : (long)(page - 1) * size;
        var shown = entries.Skip((int)Math.Min(skip, entries.Count)).Take(size).ToArray();
        bundle["entry"] = new JsonArray(shown);
        if (behaviour.ClaimedTotal is { } total)
        {
            bundle["total"] = total;
        }

        if (size < int.MaxValue && (long)page * size < entries.Count)
        {
            var next = page + 1;
            var url = behaviour.Links switch
            {
                NextLinkForm.Relative => $"{type}?_page={next}",
                NextLinkForm.SameOriginOtherPath => $"{new Uri(BaseUrl).GetLeftPart(UriPartial.Authority)}/paging/{type}?_page={next}",
                NextLinkForm.OtherOrigin => $"{ForeignBaseUrl}/{type}?_page={next}",
                _ => $"{BaseUrl}/{type}?_page={next}",
            };
            bundle["link"] = new JsonArray(
                new JsonObject { ["relation"] = "self", ["url"] = $"{BaseUrl}/{type}?_page={page}" },
                new JsonObject { ["relation"] = "next", ["url"] = url });
        }

        return bundle;
    }

    private static string? TypeOf(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 2 && segments[0] is "fhir" or "paging" ? segments[1] : null;
    }

    internal static JsonObject ErrorOutcome(string diagnostics, string severity = "error") => new()
    {
        ["resourceType"] = "OperationOutcome",
        ["issue"] = new JsonArray(new JsonObject { ["severity"] = severity, ["code"] = "exception", ["diagnostics"] = diagnostics }),
    };

    private static async Task WriteFhir(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
