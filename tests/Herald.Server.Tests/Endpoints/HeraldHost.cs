using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Audit;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// The whole server in memory, on its own temporary SQLite audit file and spool, with the clock set to the day
/// a case was decided. Settings go in as configuration, as an operator would give them.
/// </summary>
public sealed class HeraldHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    public HeraldHost(DateOnly today, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, IPAddress? remoteAddress = null)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("herald-host-").FullName;
        Clock = new ManualTimeProvider(new DateTimeOffset(today.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        this.settings = new Dictionary<string, string?>
        {
            ["Herald:Audit:SqlitePath"] = Path.Combine(Directory, "audit.db"),
            ["Herald:Audit:SpoolDirectory"] = Path.Combine(Directory, "spool"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            this.settings[key] = value;
        }

        this.services = services;
        RemoteAddress = remoteAddress ?? IPAddress.Loopback;
    }

    public string Directory { get; }

    public ManualTimeProvider Clock { get; }

    /// <summary>The address requests seem to come from (the in-memory server has none of its own).</summary>
    public IPAddress RemoteAddress { get; }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<IStartupFilter>(new RemoteAddressFilter(RemoteAddress));
            services?.Invoke(s);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS later.
        }
    }

    private sealed class RemoteAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

/// <summary>Requests and answers as the tests use them.</summary>
internal static class Http
{
    public static StringContent Json(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, mediaType);

    public static StringContent Json(JsonNode json, string mediaType = "application/json") =>
        Json(json.ToJsonString(), mediaType);

    public static async Task<JsonNode> Body(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<HttpResponseMessage> Post(HttpClient client, string path, JsonNode body, string? bearer = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body, mediaType) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }

    public static async Task<HttpResponseMessage> Get(HttpClient client, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>The shipped FHIR examples (examples/fhir), as JSON to edit.</summary>
internal static class FhirExamples
{
    public static string Directory => Path.Combine(CardTestKit.RepositoryRoot, "examples", "fhir");

    public static JsonObject HookRequest(string seedCase) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, $"{seedCase}.cds-hooks.json")))!.AsObject();

    public static JsonObject Bundle(string seedCase) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, $"{seedCase}.bundle.json")))!.AsObject();

    /// <summary>The day each seed case was decided (examples/seed-case-N.json assessmentDate).</summary>
    public static DateOnly DecidedOn(string seedCase) =>
        DateOnly.Parse(JsonNode.Parse(File.ReadAllText(Path.Combine(CardTestKit.RepositoryRoot, "examples", $"{seedCase}.json")))!["assessmentDate"]!.GetValue<string>());
}
