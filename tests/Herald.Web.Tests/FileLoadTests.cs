using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>Loading a file: a FHIR Bundle is sent as application/fhir+json and the form filled from the mapping.</summary>
public sealed class FileLoadTests(HeraldWebFixture server, ITestOutputHelper output) : PageTest(server)
{
    [Fact]
    public async Task A_FHIR_Bundle_file_is_decided_and_fills_the_form_and_the_tucatinib_based_regimen_comes_first()
    {
        await OpenPage();
        var response = await Page.RunAndWaitForResponseAsync(
            () => ById("load-file").SetInputFilesAsync(ExampleFile("examples/fhir/seed-case-1.bundle.json")),
            r => new Uri(r.Url).AbsolutePath == "/api/recommendations" && r.Request.Method == "POST");
        output.WriteLine($"the page sent the Bundle to {new Uri(response.Request.Url).PathAndQuery}");

        var headers = await response.Request.AllHeadersAsync();
        Assert.StartsWith("application/fhir+json", headers["content-type"], StringComparison.Ordinal);
        Assert.True(response.Status == 200, $"the page's FHIR request {response.Request.Url} answered {response.Status}");
        var expected = await ApiDecisionFor(response.Request);
        var first = expected["recommendations"]!.AsArray().FirstOrDefault();
        Assert.True(first is not null && HasAgent(first["regimen"], "tucatinib"),
            $"for the request the page made ({new Uri(response.Request.Url).PathAndQuery}) the API's first option is not tucatinib-based: {first?["regimen"]?.ToJsonString()}");

        await Expect(ById("result")).ToBeVisibleAsync();
        var options = ById("option");
        await Expect(options.First).ToHaveAttributeAsync("data-regimen-id", Str(first!["regimen"]!["id"]));
        await Expect(options.First).ToContainTextAsync(new Regex("[Tt]ucatinib"));
        await Expect(ById("fhir-mapping")).ToBeVisibleAsync();

        // The form holds what Herald read from the Bundle (fhirMapping.patient).
        var patient = expected["fhirMapping"]?["patient"];
        Assert.True(patient is not null, "the API's fhirMapping has no 'patient' (the native patient JSON the page fills its form from; api.md)");
        var form = ById("patient-form");
        if (patient["lvef"]?["percent"] is { } lvef)
        {
            await Expect(Page.Locator("#lvef-percent")).ToHaveValueAsync(lvef.ToJsonString());
        }

        await Expect(form.Locator("[data-path='presentation.metastaticDiagnosisDate']"))
            .ToHaveValueAsync(Str(patient["presentation"]!["metastaticDiagnosisDate"]));
        await Expect(form.Locator("[data-path='metastaticRegimens[0].start']"))
            .ToHaveValueAsync(Str(patient["metastaticRegimens"]![0]!["start"]));
    }

    [Fact]
    public async Task A_native_JSON_file_fills_the_form_and_is_decided()
    {
        var file = ExampleFile("examples/seed-case-2.json");
        var patient = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        await OpenPage();
        var response = await Page.RunAndWaitForResponseAsync(
            () => ById("load-file").SetInputFilesAsync(file),
            r => new Uri(r.Url).AbsolutePath == "/api/recommendations" && r.Request.Method == "POST");
        var headers = await response.Request.AllHeadersAsync();
        Assert.StartsWith("application/json", headers["content-type"], StringComparison.Ordinal);
        var expected = await ApiDecisionFor(response.Request);

        await Expect(ById("result")).ToBeVisibleAsync();
        Assert.Equal(expected["recommendations"]!.AsArray().Select(r => Str(r!["regimen"]!["id"])).ToList(), await Attributes(ById("option"), "data-regimen-id"));
        await Expect(ById("patient-form").Locator("[data-path='presentation.metastaticDiagnosisDate']"))
            .ToHaveValueAsync(Str(patient["presentation"]!["metastaticDiagnosisDate"]));
        Assert.Equal(Str(patient["id"]), Str(expected["patientId"]));
    }
}
