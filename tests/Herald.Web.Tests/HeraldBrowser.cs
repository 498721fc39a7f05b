using Microsoft.Playwright;

namespace Herald.Web.Tests;

/// <summary>Debian's Chromium, headless, launched by Playwright without its own browser download.</summary>
public static class HeraldBrowser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static readonly string[] Arguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run",
    ];

    /// <summary>The default time limit of every Playwright action and wait.</summary>
    public const float DefaultTimeoutMs = 15_000;

    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Debian's Chromium is required at {ChromiumPath} for the browser tests and was not found. " +
                "Install it with `apt-get install -y chromium` (./test.sh does this); Playwright's own browser download is not used.");
        }
    }

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        RequireChromium();
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }
}
