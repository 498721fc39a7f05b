using System.Text.Json.Nodes;
using Xunit.Abstractions;
namespace Herald.Server.Tests.Endpoints;
public sealed class ZzProbeScratch(ITestOutputHelper o)
{
    [Fact]
    public async Task Probe()
    {
        using var host = new HeraldHost(new DateOnly(2026, 1, 1));
        var c = host.CreateClient();
        async Task Show(string label, HttpResponseMessage r) { var t = await r.Content.ReadAsStringAsync(); var n = JsonNode.Parse(t)!; o.WriteLine($"== {label}: {(int)r.StatusCode} " + string.Join(",", n["recommendations"]?.AsArray().Select(x => x!["rank"] + ":" + x["regimen"]!["id"]) ?? []) + " lines=" + n["fhirMapping"]?["lines"]?.ToJsonString() + " errors=" + n["errors"]?.ToJsonString()); }
        var b = FhirExamples.Bundle("seed-case-1"); foreach (var e in FhirExamples.Bundle("seed-case-2")["entry"]!.AsArray()) b["entry"]!.AsArray().Add(e!.DeepClone());
        await Show("mixed ?patient=1", await Http.Post(c, "/api/recommendations?patient=seed-case-1&asOf=2020-10-26", b, mediaType: "application/fhir+json"));
        await Show("only 1", await Http.Post(c, "/api/recommendations?asOf=2020-10-26", FhirExamples.Bundle("seed-case-1"), mediaType: "application/fhir+json"));
        await Show("mixed ?patient=2", await Http.Post(c, "/api/recommendations?patient=seed-case-2&asOf=2020-10-12", b, mediaType: "application/fhir+json"));
        // order-sign: pertuzumab+trastuzumab+docetaxel for seed case 2 (progressed on line 1); trastuzumab+capecitabine for seed case 1
        var h2 = FhirExamples.HookRequest("seed-case-2"); h2["hook"] = "order-sign"; h2["hookInstance"] = Guid.NewGuid().ToString();
        JsonObject Mr(string id, string code) => new() { ["resource"] = new JsonObject { ["resourceType"] = "MedicationRequest", ["id"] = id, ["status"] = "draft", ["intent"] = "order", ["medicationCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://www.nlm.nih.gov/research/umls/rxnorm", ["code"] = code }) } } };
        h2["context"]!["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(Mr("a", "1298944"), Mr("b", "224905"), Mr("c", "72962")) };
        using var host2 = new HeraldHost(FhirExamples.DecidedOn("seed-case-2"));
        var r2 = await Http.Post(host2.CreateClient(), "/cds-services/herald-order-sign", h2);
        o.WriteLine("PHD s2: " + string.Join(" | ", (await Http.Body(r2))["cards"]!.AsArray().Select(x => x!["indicator"] + " " + x["summary"])));
        h2["context"]!["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(Mr("a", "1298944"), Mr("b", "224905"), Mr("c", "56946")) };
        r2 = await Http.Post(host2.CreateClient(), "/cds-services/herald-order-sign", h2);
        o.WriteLine("PHP s2: " + string.Join(" | ", (await Http.Body(r2))["cards"]!.AsArray().Select(x => x!["indicator"] + " " + x["summary"])));
        var h1 = FhirExamples.HookRequest("seed-case-1"); h1["hook"] = "order-sign"; h1["hookInstance"] = Guid.NewGuid().ToString();
        h1["context"]!["draftOrders"] = new JsonObject { ["resourceType"] = "Bundle", ["type"] = "collection", ["entry"] = new JsonArray(Mr("b", "224905"), Mr("c", "194000")) };
        using var host1 = new HeraldHost(FhirExamples.DecidedOn("seed-case-1"));
        var r1 = await Http.Post(host1.CreateClient(), "/cds-services/herald-order-sign", h1);
        o.WriteLine("HX s1: " + string.Join(" | ", (await Http.Body(r1))["cards"]!.AsArray().Select(x => x!["indicator"] + " " + x["summary"])));
    }
}
