using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>Screenshots of the main views, for the README: into $HERALD_SCREENSHOTS (relative paths from the
/// repository root), else a temporary folder.</summary>
public sealed class ScreenshotTests(HeraldWebFixture server, ITestOutputHelper output) : PageTest(server)
{
    private const long MinimumBytes = 10 * 1024;

    [Fact]
    public async Task The_main_views_are_saved_as_PNG_screenshots()
    {
        var setting = Environment.GetEnvironmentVariable("HERALD_SCREENSHOTS");
        var folder = string.IsNullOrWhiteSpace(setting)
            ? Directory.CreateTempSubdirectory("herald-screenshots-").FullName
            : Path.GetFullPath(setting, RepositoryRoot());
        Directory.CreateDirectory(folder);
        var saved = new List<string>();

        await OpenPage();
        await OpenExample("seed-case-1");
        await WaitForResponseTo("/api/comparison");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        saved.Add(await Shoot(folder, "answer.png", new PageScreenshotOptions()));

        // The timeline and the forest plot, each as its own picture.
        foreach (var (figure, name) in new[] { ("timeline", "timeline.png"), ("forest-plot", "forest-plot.png") })
        {
            var path = Path.Combine(folder, name);
            await ById(figure).ScreenshotAsync(new LocatorScreenshotOptions { Path = path, Type = ScreenshotType.Png, Animations = ScreenshotAnimations.Disabled });
            saved.Add(path);
        }

        await SelectTab("editions");
        await Expect(ById("edition-comparison")).ToBeVisibleAsync();
        saved.Add(await Shoot(folder, "editions.png", new PageScreenshotOptions()));

        await SelectTab("knowledge");
        await Expect(ById("kb-statement").First).ToBeVisibleAsync();
        saved.Add(await Shoot(folder, "knowledge.png", new PageScreenshotOptions()));

        await SelectTab("answer");
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Expect(ById("print-summary")).ToBeVisibleAsync();
        saved.Add(await Shoot(folder, "print.png", new PageScreenshotOptions { FullPage = true }));

        foreach (var file in saved)
        {
            var info = new FileInfo(file);
            Assert.True(info.Exists, "missing screenshot " + file);
            Assert.True(info.Length > MinimumBytes, $"{file} is only {info.Length} bytes");
            output.WriteLine($"{file} ({info.Length} bytes)");
        }

        if (string.IsNullOrWhiteSpace(setting))
        {
            // Nobody asked to keep them: checked, then removed.
            Directory.Delete(folder, recursive: true);
        }
    }

    private async Task<string> Shoot(string folder, string name, PageScreenshotOptions options)
    {
        var path = Path.Combine(folder, name);
        options.Path = path;
        options.Type = ScreenshotType.Png;
        options.Animations = ScreenshotAnimations.Disabled;
        await Page.ScreenshotAsync(options);
        return path;
    }
}
