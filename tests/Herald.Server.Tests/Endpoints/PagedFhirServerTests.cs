using System.Net;
using System.Text.Json.Nodes;
using Herald.Server.CdsHooks;

namespace Herald.Server.Tests.Endpoints;

/// <summary>A search the FHIR server answers in pages is read whole, or the read fails naming why: never a partial record.</summary>
public sealed class PagedFhirServerTests
{
    private const string PatientView = "/cds-services/" + CdsServiceCatalog.PatientViewId;

    [Fact]
    public async Task Forty_two_administrations_served_five_per_page_are_all_read_so_trastuzumab_emtansine_is_not_ranked_after_progression_on_it()
    {
        var request = EhrShapedRecords.TrastuzumabEmtansineProgressedRequest();
        await using var fhir = await FakeFhirServer.StartAsync(request["prefetch"]!.AsObject());
        fhir.Behaviours["MedicationAdministration"] = new SearchBehaviour { PageSize = 5 };
        using var host = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var fetching = request.DeepClone().AsObject();
        fetching["fhirServer"] = fhir.BaseUrl;
        fetching["prefetch"]!.AsObject().Remove("medicationAdministrations");

        var fetched = await Http.Post(host.CreateClient(), PatientView, fetching);
        var inline = await Http.Post(host.CreateClient(), PatientView, request);

        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        var cards = (await Http.Body(fetched))["cards"]!.AsArray().Select(c => c!.AsObject()).ToList();
        File.WriteAllText("/tmp/hx/cards.json", new JsonArray(cards.Select(c => (JsonNode)c.DeepClone()).ToArray()).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        Assert.DoesNotContain(cards, c => Summary(c).StartsWith("Rank ", StringComparison.Ordinal) && Summary(c).Contains("trastuzumab emtansine", StringComparison.Ordinal));
        Assert.Equal(Summaries(await Http.Body(inline)), cards.Select(Summary));
        Assert.Equal(9, fhir.RequestsFor("MedicationAdministration").Count);
    }

    private static string Summary(JsonObject card) => card["summary"]!.GetValue<string>();

    private static IEnumerable<string> Summaries(JsonNode body) => body["cards"]!.AsArray().Select(c => Summary(c!.AsObject()));
}
