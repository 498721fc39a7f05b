using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>Labels on every input, tabs by keyboard, and no status carried by colour alone.</summary>
public sealed class AccessibilityTests(HeraldWebFixture server) : PageTest(server)
{
    private static readonly string[] Tabs = ["patient", "answer", "editions", "knowledge", "audit"];

    [Fact]
    public async Task Every_form_control_has_an_accessible_label()
    {
        await OpenPage();
        // Seed case 1 fills the repeating groups (early and metastatic regimens), so their inputs exist too.
        await OpenExample("seed-case-1");
        await SelectTab("patient");

        var unlabelled = await Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden')
                .filter(e => !(e.labels && e.labels.length > 0)
                             && !(e.getAttribute('aria-label') || '').trim()
                             && !(e.getAttribute('aria-labelledby') || '').split(/\s+/).some(id => id && document.getElementById(id)))
                .map(e => e.outerHTML.slice(0, 160))
            """);
        Assert.True(unlabelled.Length == 0, "controls without a label:\n" + string.Join("\n", unlabelled));

        var formControls = await ById("patient-form").Locator("input, select, textarea").CountAsync();
        Assert.True(formControls > 10, $"the patient form has only {formControls} controls");
        var withoutPath = await ById("patient-form").Locator("input:not([type=hidden]):not([data-path]), select:not([data-path]), textarea:not([data-path])").CountAsync();
        Assert.Equal(0, withoutPath);
    }

    [Fact]
    public async Task The_tabs_are_reached_and_switched_with_the_keyboard()
    {
        await OpenPage();
        await OpenExample("seed-case-1");

        var tablist = Page.GetByRole(AriaRole.Tablist);
        await Expect(tablist).ToHaveCountAsync(1);
        foreach (var name in Tabs)
        {
            await Expect(ById("tab-" + name)).ToHaveAttributeAsync("role", "tab");
            await Expect(ById("panel-" + name)).ToHaveAttributeAsync("role", "tabpanel");
        }

        // From the first tab: ArrowRight moves focus to the next tab, Enter selects it and shows its panel.
        await ById("tab-patient").FocusAsync();
        await Expect(ById("tab-patient")).ToBeFocusedAsync();
        for (var i = 1; i < Tabs.Length; i++)
        {
            await Page.Keyboard.PressAsync("ArrowRight");
            var tab = ById("tab-" + Tabs[i]);
            await Expect(tab).ToBeFocusedAsync();
            await Page.Keyboard.PressAsync("Enter");
            await Expect(tab).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(ById("panel-" + Tabs[i])).ToBeVisibleAsync();
            await Expect(ById("panel-" + Tabs[i - 1])).ToBeHiddenAsync();
        }

        // Space selects as well, and the tab key reaches the tab list from the top of the page.
        await Page.Keyboard.PressAsync("ArrowLeft");
        await Page.Keyboard.PressAsync(" ");
        await Expect(ById("panel-" + Tabs[^2])).ToBeVisibleAsync();

        await Page.GotoAsync("/");
        await Expect(ById("tab-patient")).ToBeVisibleAsync();
        var reached = false;
        for (var i = 0; i < 30 && !reached; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            reached = await Page.EvaluateAsync<bool>("() => document.activeElement?.getAttribute('role') === 'tab'");
        }

        Assert.True(reached, "30 presses of Tab from the top of the page did not reach a tab");
    }

    [Fact]
    public async Task No_status_is_carried_by_colour_alone()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-1");
        var expected = await ApiDecisionFor(response.Request);

        // Strength and tie are written on each option.
        foreach (var recommendation in expected["recommendations"]!.AsArray())
        {
            var option = Page.Locator($"[data-testid=option][data-regimen-id='{Str(recommendation!["regimen"]!["id"])}']");
            await Expect(option).ToContainTextAsync(Str(recommendation["strengthLabel"]));
            if (recommendation["tied"]!.GetValue<bool>())
            {
                await Expect(option).ToContainTextAsync(new Regex("[Tt]ied"));
            }
        }

        // Resistance criteria carry their status in words.
        foreach (var criterion in expected["clinicalResistance"]!["criteria"]!.AsArray())
        {
            await Expect(ById("resistance").GetByTestId("resistance-criterion").Filter(new() { HasText = Str(criterion!["text"]) }).First).ToBeVisibleAsync();
        }

        // Differing edition rows say so in text.
        await WaitForResponseTo("/api/comparison");
        await SelectTab("editions");
        var differing = Page.Locator("[data-testid=comparison-row][data-differs=true]");
        await Expect(differing.First).ToBeVisibleAsync();
        foreach (var row in await differing.AllAsync())
        {
            await Expect(row).ToContainTextAsync(EditionsTests.DiffersMarker);
        }
    }
}
