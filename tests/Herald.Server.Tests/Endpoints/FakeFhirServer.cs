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

/// <summary>
/// A small FHIR server on loopback that answers the prefetch queries from a CDS Hooks example's prefetch, and
/// remembers the Authorization header of every request. Secured, it answers 401 without the expected token.
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

    private FakeFhirServer(WebApplication app, JsonObject prefetch)
    {
        this.app = app;
        this.prefetch = prefetch;
    }

    /// <summary>The base URL to give as fhirServer.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Path and Authorization header (null when none) of every request received.</summary>
    public ConcurrentQueue<(string Path, string? Authorization)> Requests { get; } = new();

    public string? RequiredToken { get; init; }

    /// <summary>When set, Observation searches come back in two pages linked by a "next" link.</summary>
    public bool PageObservations { get; init; }

    public static async Task<FakeFhirServer> StartAsync(JsonObject prefetch, string? requiredToken = null, bool pageObservations = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeFhirServer(app, prefetch) { RequiredToken = requiredToken, PageObservations = pageObservations };
        app.Run(server.Answer);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.TrimEnd('/') + "/fhir";
        return server;
    }

    private async Task Answer(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null;
        Requests.Enqueue((context.Request.Path + context.Request.QueryString, authorization));
        if (RequiredToken is not null && authorization != "Bearer " + RequiredToken)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var segments = context.Request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[0] != "fhir" || !PrefetchKeyByType.TryGetValue(segments[1], out var key) || prefetch[key] is not { } value)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var body = value.DeepClone().AsObject();
        if (PageObservations && key == "observations")
        {
            body = Page(body, second: context.Request.Query["page"] == "2");
        }

        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    // The first page holds the first half of the entries and links to the second.
    private JsonObject Page(JsonObject bundle, bool second)
    {
        var entries = bundle["entry"]!.AsArray().Select(e => e!.DeepClone()).ToList();
        var half = entries.Count / 2;
        var page = second ? entries.Skip(half) : entries.Take(half);
        bundle["entry"] = new JsonArray(page.ToArray());
        if (!second)
        {
            bundle["link"] = new JsonArray(new JsonObject { ["relation"] = "next", ["url"] = BaseUrl + "/Observation?page=2" });
        }

        return bundle;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
