using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The edition comparison: the same patient under ASCO 2014, the 2016 consensus and the 2021 panel.</summary>
public sealed class EditionsTests(HeraldWebFixture server) : PageTest(server)
{
    /// <summary>The text that marks a differing row (the contract's "differs" badge): never colour alone.</summary>
    public static readonly Regex DiffersMarker = new("[Dd]iffer");

    [Fact]
    public async Task A_third_line_patient_shows_differing_rows_marked_in_text()
    {
        await OpenPage();
        await OpenExample("seed-case-1");
        var comparisonResponse = await WaitForResponseTo("/api/comparison");
        Assert.Equal(200, comparisonResponse.Status);
        var expected = await ApiDecisionFor(comparisonResponse.Request);

        // Seed case 1 is third line by the 2021 panel's count: the editions do not all agree.
        var rows = expected["rows"]!.AsArray();
        var differing = rows.Where(r => r!["differs"]!.GetValue<bool>()).Select(r => Str(r!["regimen"]!["id"])).ToHashSet();
        Assert.True(differing.Count > 0, "the API reports no differing row for seed case 1: " + expected.ToJsonString());

        await SelectTab("editions");
        var table = ById("edition-comparison");
        await Expect(table).ToBeVisibleAsync();
        foreach (var edition in expected["editions"]!.AsArray())
        {
            await Expect(table).ToContainTextAsync(Str(edition!["editionName"]));
        }

        var shown = table.GetByTestId("comparison-row");
        await Expect(shown).ToHaveCountAsync(rows.Count);
        Assert.Equal(rows.Select(r => Str(r!["regimen"]!["id"])).Order().ToList(), (await Attributes(shown, "data-regimen-id")).Order().ToList());

        var differingShown = table.Locator("[data-testid=comparison-row][data-differs=true]");
        await Expect(differingShown).ToHaveCountAsync(differing.Count);
        foreach (var row in await shown.AllAsync())
        {
            var id = await row.GetAttributeAsync("data-regimen-id") ?? "";
            var differs = differing.Contains(id);
            Assert.Equal(differs ? "true" : "false", await row.GetAttributeAsync("data-differs"));
            var text = await row.InnerTextAsync();
            Assert.True(DiffersMarker.IsMatch(text) == differs,
                $"row {id}: differs={differs} but its text {(differs ? "lacks" : "has")} the marker /{DiffersMarker}/: {text}");
        }

        var decisionPoint = table.GetByTestId("comparison-decision-point");
        await Expect(decisionPoint).ToHaveCountAsync(1);
        await Expect(decisionPoint).ToHaveAttributeAsync("data-differs", expected["decisionPointDiffers"]!.GetValue<bool>() ? "true" : "false");
    }
}
