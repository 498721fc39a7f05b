using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The answer panel for the two seed cases of the 2021 panel, checked against the API's own answer.</summary>
public sealed class AnswerTests(HeraldWebFixture server) : PageTest(server)
{
    private const string Tucatinib = "tucatinib";
    private const string TrastuzumabDeruxtecan = "trastuzumab deruxtecan";

    [Fact]
    public async Task Seed_case_1_ranks_the_tucatinib_based_regimen_first_and_T_DXd_carries_the_cough_caution()
    {
        // What the API says for examples/seed-case-1.json, the file as shipped.
        var fromFile = await Server.Decide(await File.ReadAllTextAsync(ExampleFile("examples/seed-case-1.json")));
        var first = fromFile["recommendations"]!.AsArray()[0]!;
        Assert.True(HasAgent(first["regimen"], Tucatinib), "the API's first option for seed case 1 is not tucatinib-based: " + first["regimen"]!.ToJsonString());
        var firstId = Str(first["regimen"]!["id"]);

        await OpenPage();
        var response = await OpenExample("seed-case-1");
        var expected = await ApiDecisionFor(response.Request);
        var recommendations = expected["recommendations"]!.AsArray();

        // Every option, in the API's rank order, with its rank; the first is the tucatinib-based regimen and says so.
        var options = ById("options").GetByTestId("option");
        await Expect(options).ToHaveCountAsync(recommendations.Count);
        Assert.Equal(recommendations.Select(r => Str(r!["regimen"]!["id"])).ToList(), await Attributes(options, "data-regimen-id"));
        Assert.Equal(recommendations.Select(r => r!["rank"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            await Attributes(options, "data-rank"));
        await Expect(options.First).ToHaveAttributeAsync("data-regimen-id", firstId);
        await Expect(options.First).ToContainTextAsync(new Regex("[Tt]ucatinib"));

        // T-DXd is offered and carries the caution about the cough (interstitial lung disease), in the API's words.
        var tdxd = recommendations.FirstOrDefault(r => HasAgent(r!["regimen"], TrastuzumabDeruxtecan));
        Assert.True(tdxd is not null, "the API offers no trastuzumab deruxtecan regimen for seed case 1");
        var coughCaution = tdxd!["cautions"]!.AsArray().Select(c => Str(c!["text"])).FirstOrDefault(t => t.Contains("cough", StringComparison.OrdinalIgnoreCase));
        Assert.True(coughCaution is not null, "the API's T-DXd option has no caution mentioning cough");

        var tdxdOption = Page.Locator($"[data-testid=option][data-regimen-id='{Str(tdxd["regimen"]!["id"])}']");
        await Expect(tdxdOption).ToHaveCountAsync(1);
        await Expect(tdxdOption).ToContainTextAsync(new Regex("[Tt]rastuzumab deruxtecan|T-DXd"));
        var cautions = tdxdOption.GetByTestId("caution");
        await Expect(cautions).ToHaveCountAsync(tdxd["cautions"]!.AsArray().Count);
        var cough = cautions.Filter(new LocatorFilterOptions { HasTextRegex = new Regex("[Cc]ough") });
        await Expect(cough.First).ToBeVisibleAsync();
        await Expect(cough.First).ToContainTextAsync(coughCaution!);

        // The decision point is shown with the API's label.
        await Expect(ById("decision-point")).ToContainTextAsync(Str(expected["decisionPoint"]!["label"]));
    }

    [Fact]
    public async Task Seed_case_2_offers_both_a_tucatinib_based_regimen_and_trastuzumab_deruxtecan_ranked()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-2");
        var expected = await ApiDecisionFor(response.Request);
        var recommendations = expected["recommendations"]!.AsArray();

        var options = ById("options").GetByTestId("option");
        await Expect(options).ToHaveCountAsync(recommendations.Count);
        Assert.Equal(recommendations.Select(r => Str(r!["regimen"]!["id"])).ToList(), await Attributes(options, "data-regimen-id"));

        foreach (var (agent, shown) in new[] { (Tucatinib, "[Tt]ucatinib"), (TrastuzumabDeruxtecan, "[Tt]rastuzumab deruxtecan|T-DXd") })
        {
            var offered = recommendations.FirstOrDefault(r => HasAgent(r!["regimen"], agent));
            Assert.True(offered is not null, $"the API does not offer a {agent} regimen for seed case 2");
            var option = Page.Locator($"[data-testid=option][data-regimen-id='{Str(offered!["regimen"]!["id"])}']");
            await Expect(option).ToBeVisibleAsync();
            await Expect(option).ToHaveAttributeAsync("data-rank", offered["rank"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Expect(option).ToContainTextAsync(new Regex(shown));
            // The strength is written, not carried by colour alone.
            await Expect(option).ToContainTextAsync(Str(offered["strengthLabel"]));
        }
    }

    [Fact]
    public async Task The_answer_shows_excluded_regimens_missing_data_resistance_and_trials_as_the_API_lists_them()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-1");
        var expected = await ApiDecisionFor(response.Request);

        await Expect(ById("excluded").GetByTestId("excluded-regimen")).ToHaveCountAsync(expected["excluded"]!.AsArray().Count);
        foreach (var verdict in expected["excluded"]!.AsArray())
        {
            var item = Page.Locator($"[data-testid=excluded-regimen][data-regimen-id='{Str(verdict!["regimen"]!["id"])}']");
            await Expect(item).ToHaveCountAsync(1);
            foreach (var reason in verdict["reasons"]!.AsArray())
            {
                await Expect(item).ToContainTextAsync(Str(reason!["text"]));
            }
        }

        await Expect(ById("alert")).ToHaveCountAsync(expected["alerts"]!.AsArray().Count);
        await Expect(ById("missing-item")).ToHaveCountAsync(expected["missingData"]!.AsArray().Count);
        await Expect(ById("resistance-criterion")).ToHaveCountAsync(expected["clinicalResistance"]!["criteria"]!.AsArray().Count);
        await Expect(ById("trial-suggestion")).ToHaveCountAsync(expected["trials"]!.AsArray().Count);
        await Expect(ById("not-indicated")).ToHaveCountAsync(expected["notIndicated"]!.AsArray().Count > 0 ? 1 : 0);
        await Expect(ById("print")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Alerts_come_first_in_the_API_s_order_and_include_the_notice_on_dated_sources()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-2");
        var expected = await ApiDecisionFor(response.Request);
        var alerts = expected["alerts"]!.AsArray();

        Assert.Equal(alerts.Select(a => Str(a!["code"])).ToList(), await Attributes(ById("alerts").GetByTestId("alert"), "data-code"));
        var notice = alerts.Single(a => Str(a!["code"]) == "dated-sources")!;
        await Expect(Page.Locator("[data-testid=alert][data-code='dated-sources']")).ToContainTextAsync(Str(notice["text"]));

        var alertsBox = await ById("alerts").BoundingBoxAsync();
        var pointBox = await ById("decision-point").BoundingBoxAsync();
        var optionsBox = await ById("options").BoundingBoxAsync();
        Assert.True(alertsBox!.Y < pointBox!.Y && pointBox.Y < optionsBox!.Y, $"alerts at {alertsBox.Y}, decision point at {pointBox.Y}, options at {optionsBox.Y}");
    }

    [Fact]
    public async Task A_critical_alert_is_the_first_thing_the_answer_shows()
    {
        var patient = JsonNode.Parse(await File.ReadAllTextAsync(ExampleFile("examples/seed-case-2.json")))!.AsObject();
        patient["lvef"] = new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" };
        var file = Path.Combine(Path.GetTempPath(), $"herald-critical-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, patient.ToJsonString());
        try
        {
            await OpenPage();
            var response = await Page.RunAndWaitForResponseAsync(
                () => ById("load-file").SetInputFilesAsync(file),
                r => new Uri(r.Url).AbsolutePath == "/api/recommendations" && r.Request.Method == "POST");
            var expected = await ApiDecisionFor(response.Request);

            Assert.Equal("critical", Str(expected["alerts"]![0]!["severity"]));
            await Expect(ById("alert").First).ToHaveAttributeAsync("data-severity", "critical");
            var firstSection = await Page.Locator("[data-testid=result] > section.result-section").First.GetAttributeAsync("data-testid");
            Assert.Equal("alerts", firstSection);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_option_shows_only_its_regimen_s_trials_as_evidence_and_names_the_others_as_cited_by_a_statement()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-2");
        var expected = await ApiDecisionFor(response.Request);

        foreach (var option in expected["recommendations"]!.AsArray())
        {
            var shown = Page.Locator($"[data-testid=option][data-regimen-id='{Str(option!["regimen"]!["id"])}']");
            var evidence = option["evidence"]!.AsArray();
            var own = evidence.Where(e => Str(e!["basis"]) == "regimen").Select(e => Str(e!["trial"])).ToList();
            Assert.Equal(own, await Attributes(shown.GetByTestId("evidence"), "data-trial"));

            var cited = evidence.Where(e => Str(e!["basis"]) == "statement").ToList();
            if (cited.Count == 0)
            {
                await Expect(shown.GetByTestId("cited-trials")).ToHaveCountAsync(0);
                continue;
            }

            var line = shown.GetByTestId("cited-trials");
            await Expect(line).ToContainTextAsync("Not trials of this regimen:");
            foreach (var trial in cited)
            {
                await Expect(line).ToContainTextAsync(Str(trial!["trial"]));
                await Expect(line).ToContainTextAsync(Str(trial["citedBy"]![0]));
            }
        }

        // The example the review found: HER2CLIMB and NALA are not T-DXd's evidence.
        var tdxd = Page.Locator("[data-testid=option][data-regimen-id='trastuzumab-deruxtecan']");
        Assert.Equal(["DESTINY-Breast01"], await Attributes(tdxd.GetByTestId("evidence"), "data-trial"));
        await Expect(tdxd.GetByTestId("cited-trials")).ToContainTextAsync(new Regex(@"HER2CLIMB.*\(cited by statements? "));
    }
}
