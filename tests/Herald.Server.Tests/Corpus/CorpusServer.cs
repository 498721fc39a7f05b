using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;
using Herald.Server.Tests.Endpoints;

namespace Herald.Server.Tests.Corpus;

/// <summary>
/// One in-memory server for the corpus, its clock set to each case's decision date before the case is asked (the tests
/// of a class run one after another, so the clock is never shared between two cases at once).
/// </summary>
public sealed class CorpusServer : IDisposable
{
    private const string FhirJson = "application/fhir+json";

    private readonly HeraldHost host = new(new DateOnly(2026, 1, 1));
    private readonly Lazy<HttpClient> client;

    public CorpusServer() => client = new Lazy<HttpClient>(host.CreateClient);

    internal HttpClient Client => client.Value;

    internal void Today(DateOnly day) => host.Clock.Now = new DateTimeOffset(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    internal async Task<(HttpStatusCode Status, JsonNode Body)> Native(CorpusCase c) =>
        await Send(Http.Post(Client, $"/api/recommendations?asOf={c.AsOfText}", c.Native));

    /// <summary>The record as application/fhir+json; a hook-only case sends its prefetch's resources, naming the patient.</summary>
    internal async Task<(HttpStatusCode Status, JsonNode Body)> Record(CorpusCase c)
    {
        if (c.Record is not null)
        {
            return await Send(Http.Post(Client, $"/api/recommendations?asOf={c.AsOfText}", c.Record, mediaType: FhirJson));
        }

        var bundle = EhrPrefetch.AsBundle(c.HookRequest!["prefetch"]!.AsObject());
        return await Send(Http.Post(Client, $"/api/recommendations?asOf={c.AsOfText}&patient={Uri.EscapeDataString(c.PatientId)}", bundle, mediaType: FhirJson));
    }

    /// <summary>The case's own hook request, or one an EHR would send for its record.</summary>
    internal async Task<JsonObject> HookRequest(CorpusCase c)
    {
        if (c.HookRequest is not null)
        {
            return c.HookRequest.DeepClone().AsObject();
        }

        return new JsonObject
        {
            ["hookInstance"] = CardIds.For("herald-ehr-corpus", c.Id),
            ["hook"] = CdsServiceCatalog.PatientViewHook,
            ["context"] = new JsonObject { ["userId"] = "Practitioner/corpus-oncologist", ["patientId"] = c.PatientId },
            ["prefetch"] = EhrPrefetch.Build(c.Record!, c.PatientId, await PatientViewTemplates()),
        };
    }

    internal async Task<(HttpStatusCode Status, JsonNode Body)> PatientView(JsonObject request) =>
        await Send(Http.Post(Client, "/cds-services/" + CdsServiceCatalog.PatientViewId, request));

    /// <summary>The prefetch templates as the discovery endpoint serves them, in its order.</summary>
    internal async Task<IReadOnlyList<KeyValuePair<string, string>>> PatientViewTemplates()
    {
        var discovery = await Http.Body(await Client.GetAsync("/cds-services"));
        var service = discovery["services"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == CdsServiceCatalog.PatientViewId)!;
        return service["prefetch"]!.AsObject().Select(p => KeyValuePair.Create(p.Key, p.Value!.GetValue<string>())).ToArray();
    }

    public void Dispose()
    {
        if (client.IsValueCreated)
        {
            client.Value.Dispose();
        }

        host.Dispose();
    }

    private static async Task<(HttpStatusCode, JsonNode)> Send(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }
}
