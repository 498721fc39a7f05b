using System.Text.Json.Nodes;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The treatment timeline and the forest plot, for every shipped example, counted against the API.</summary>
public sealed class PictureTests(HeraldWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task The_timeline_has_a_bar_per_line_and_early_regimen_and_the_12_month_window_exactly_when_the_API_gives_one()
    {
        var ids = await ExampleIds();
        Assert.Contains("seed-case-1", ids);
        var withWindow = 0;
        foreach (var id in ids)
        {
            var expected = await OpenAndExpect(id);
            var lines = expected["lines"]!.AsArray().Count;
            var history = expected["history"];
            Assert.True(history is not null, $"{id}: the API answer has no history");
            var early = history!["early"]!.AsArray().Count;
            var window = history["trastuzumabWindow"]?["windowEnds"] is not null;
            withWindow += window ? 1 : 0;

            var timeline = ById("timeline");
            await Expect(timeline).ToBeVisibleAsync();
            var svg = timeline.Locator("svg[role=img]");
            await Expect(svg).ToHaveCountAsync(1);
            Assert.False(string.IsNullOrWhiteSpace(await svg.GetAttributeAsync("aria-label")), $"{id}: the timeline's svg has no aria-label");

            await Expect(timeline.GetByTestId("timeline-bar")).ToHaveCountAsync(lines + early);
            await Expect(timeline.Locator("[data-testid=timeline-bar][data-kind=metastatic]")).ToHaveCountAsync(lines);
            await Expect(timeline.Locator("[data-testid=timeline-bar][data-kind=early]")).ToHaveCountAsync(early);
            await Expect(timeline.GetByTestId("trastuzumab-window")).ToHaveCountAsync(window ? 1 : 0);
            await Expect(timeline.GetByTestId("metastatic-diagnosis")).ToHaveCountAsync(1);
        }

        // Seed case 1 finished (neo)adjuvant trastuzumab: at least that example draws the window.
        Assert.True(withWindow > 0, "no shipped example has history.trastuzumabWindow.windowEnds in the API answer");
    }

    [Fact]
    public async Task The_forest_plot_has_a_row_per_endpoint_of_each_offered_regimens_own_trials()
    {
        var total = 0;
        foreach (var id in await ExampleIds())
        {
            var expected = await OpenAndExpect(id);
            var plotted = PlottedHazardRatios(expected);
            total += plotted.Count;

            var plot = ById("forest-plot");
            await Expect(plot).ToBeVisibleAsync();
            await Expect(plot.GetByTestId("forest-row")).ToHaveCountAsync(plotted.Count);
            if (plotted.Count > 0)
            {
                await Expect(plot.Locator("svg[role=img]")).ToHaveCountAsync(1);
                // HR and CI written as text, not only drawn, in rank order.
                var rows = plot.GetByTestId("forest-row");
                await Expect(rows.First).ToContainTextAsync(Number(plotted[0]["value"]!));
                await Expect(rows.Last).ToContainTextAsync(Number(plotted[^1]["upper"]!));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(await plot.InnerTextAsync()), $"{id}: an empty forest plot does not say so in text");
            }
        }

        Assert.True(total > 0, "no shipped example's recommendations carry a hazardRatio: the forest plot was never drawn");
    }

    /// <summary>
    /// What docs/web.md says is plotted: for each option in rank order, the trials of the regimen itself
    /// (basis "regimen"), one hazard ratio per endpoint (the first listed); trials only a statement cites are not plotted.
    /// </summary>
    private static List<JsonNode> PlottedHazardRatios(JsonNode answer)
    {
        var plotted = new List<JsonNode>();
        foreach (var option in answer["recommendations"]!.AsArray())
        {
            foreach (var evidence in option!["evidence"]!.AsArray().Where(e => Str(e!["basis"]) == "regimen"))
            {
                plotted.AddRange(evidence!["results"]!.AsArray()
                    .Where(r => r!["hazardRatio"] is not null)
                    .GroupBy(r => Str(r!["endpoint"]))
                    .Select(g => g.First()!["hazardRatio"]!));
            }
        }

        return plotted;
    }

    private async Task<List<string>> ExampleIds() =>
        (await Server.GetJson("/api/examples"))["examples"]!.AsArray().Select(e => Str(e!["id"])).ToList();

    /// <summary>A fresh load of the page, the example opened, and the API's answer to what the page sent.</summary>
    private async Task<JsonNode> OpenAndExpect(string id)
    {
        await OpenPage();
        var response = await OpenExample(id);
        return await ApiDecisionFor(response.Request);
    }

    /// <summary>The HR as written: 0.5 may read "0.5" or "0.50".</summary>
    private static System.Text.RegularExpressions.Regex Number(JsonNode value)
    {
        var number = value.GetValue<double>();
        var forms = new[] { "0.##", "0.00" }.Select(f => System.Text.RegularExpressions.Regex.Escape(number.ToString(f, System.Globalization.CultureInfo.InvariantCulture))).Distinct();
        return new System.Text.RegularExpressions.Regex(@"(?<![\d.])(" + string.Join("|", forms) + @")(?![\d])");
    }
}
