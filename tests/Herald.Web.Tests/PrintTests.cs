using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The tumour-board sheet: print media shows the sheet and hides the controls; the PDF is 1–2 A4 pages.</summary>
public sealed partial class PrintTests(HeraldWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task The_print_view_shows_the_tumour_board_sheet_on_one_or_two_A4_pages()
    {
        await OpenPage();
        await OpenExample("seed-case-1");

        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        foreach (var sheet in new[] { "print-summary", "decision-point", "timeline", "options" })
        {
            await Expect(ById(sheet)).ToBeVisibleAsync();
        }

        await Expect(ById("option").First).ToBeVisibleAsync();
        await Expect(ById("statement-quote").First).ToBeVisibleAsync();

        foreach (var control in new[] { ById("patient-form"), Page.GetByRole(AriaRole.Tablist), ById("decide"), ById("print") })
        {
            await Expect(control).ToBeHiddenAsync();
        }

        foreach (var nav in await Page.Locator("header nav").AllAsync())
        {
            await Expect(nav).ToBeHiddenAsync();
        }

        var pdf = await Page.PdfAsync(new PagePdfOptions { Format = "A4" });
        var text = Encoding.Latin1.GetString(pdf);
        Assert.StartsWith("%PDF-", text, StringComparison.Ordinal);
        var pages = PageObject().Matches(text).Count;
        if (pages is not (1 or 2))
        {
            var saved = Path.Combine(Path.GetTempPath(), $"herald-print-{Guid.NewGuid():N}.pdf");
            await File.WriteAllBytesAsync(saved, pdf);
            Assert.Fail($"the tumour-board sheet printed on {pages} A4 pages (expected 1 or 2); the PDF is at {saved}");
        }

        // Back on screen the sheet-only summary is not in the way, and the controls are back.
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await Expect(ById("tab-answer")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_sheet_opens_with_its_title_and_the_alerts_then_the_patient_and_attributes_each_option_s_trials()
    {
        await OpenPage();
        var response = await OpenExample("seed-case-2");
        var expected = await ApiDecisionFor(response.Request);
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });

        var title = await ById("print-title").BoundingBoxAsync();
        var alerts = await ById("alerts").BoundingBoxAsync();
        var summary = await ById("print-summary").BoundingBoxAsync();
        var point = await ById("decision-point").BoundingBoxAsync();
        Assert.True(title!.Y < alerts!.Y && alerts.Y < summary!.Y && summary.Y < point!.Y,
            $"title at {title.Y}, alerts at {alerts.Y}, patient at {summary.Y}, decision point at {point.Y}");
        await Expect(Page.Locator("[data-testid=alert][data-code='dated-sources']")).ToBeVisibleAsync();

        // Each option names the trials of its regimen, and no trial a statement only cites (T-DXd: not HER2CLIMB or NALA).
        foreach (var option in expected["recommendations"]!.AsArray())
        {
            var evidence = option!["evidence"]!.AsArray();
            var own = evidence.Where(e => Str(e!["basis"]) == "regimen").Select(e => Str(e!["trial"])).ToList();
            var line = Page.Locator($"[data-testid=option][data-regimen-id='{Str(option["regimen"]!["id"])}'] [data-testid=evidence-summary]");
            await Expect(line).ToHaveCountAsync(own.Count > 0 ? 1 : 0);
            if (own.Count == 0)
            {
                continue;
            }

            await Expect(line).ToBeVisibleAsync();
            var text = await line.InnerTextAsync();
            Assert.Equal($"· {(own.Count == 1 ? "Trial" : "Trials")} of this regimen: {string.Join(", ", own)}.", text.Trim());
            await Expect(Page.Locator($"[data-testid=option][data-regimen-id='{Str(option["regimen"]!["id"])}'] [data-testid=cited-trials]")).ToBeHiddenAsync();
        }
    }

    [Fact]
    public async Task Every_shipped_example_prints_on_one_or_two_A4_pages()
    {
        var examples = (await Server.GetJson("/api/examples"))["examples"]!.AsArray().Select(e => Str(e!["id"])).ToList();
        await OpenPage();
        var pages = new Dictionary<string, int>();
        foreach (var id in examples)
        {
            await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
            await SelectTab("patient");
            await OpenExample(id);
            await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            var bytes = await Page.PdfAsync(new PagePdfOptions { Format = "A4" });
            pages[id] = PageObject().Matches(Encoding.Latin1.GetString(bytes)).Count;
            if (pages[id] is not (1 or 2))
            {
                await File.WriteAllBytesAsync(Path.Combine(Path.GetTempPath(), $"herald-print-{id}.pdf"), bytes);
            }
        }

        Assert.True(pages.Values.All(n => n is 1 or 2),
            $"A4 pages per example: {string.Join(", ", pages.Select(p => $"{p.Key} {p.Value}"))}; longer PDFs saved as {Path.GetTempPath()}herald-print-<id>.pdf");
    }

    // "/Type /Page" objects, not the "/Pages" tree node.
    [GeneratedRegex(@"/Type\s*/Page(?![A-Za-z])")]
    private static partial Regex PageObject();
}
