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
