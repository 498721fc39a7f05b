using Microsoft.Playwright;

namespace Herald.Web.Tests;

/// <summary>The harness itself: the in-process server answers, Debian's Chromium runs, and the guards hold.</summary>
public sealed class FixtureTests(HeraldWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task The_server_runs_on_loopback_in_local_development_mode_and_the_browser_reaches_it()
    {
        Assert.StartsWith("http://127.0.0.1:", Server.BaseUrl, StringComparison.Ordinal);
        var health = await Server.GetJson("/health");
        Assert.Equal("local-development", Str(health["authentication"]));

        Assert.Contains("Chrom", Server.Browser.BrowserType.Name, StringComparison.OrdinalIgnoreCase);
        Assert.True(Server.Browser.IsConnected);
        await Page.GotoAsync("/health");
        var status = await Page.EvaluateAsync<int>("async () => (await fetch('/health')).status");
        Assert.Equal(200, status);
    }
}
