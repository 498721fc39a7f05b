using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>Herald works offline: nothing the page loads or calls comes from anywhere but the server itself.</summary>
public sealed class OriginTests(HeraldWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task No_request_leaves_the_servers_origin_in_any_view()
    {
        // Every request of the context is routed (PageTest); here the page goes through every view and feature.
        var document = await Page.GotoAsync("/");
        Assert.NotNull(document);
        Assert.Equal(200, document!.Status);
        var csp = (await document.AllHeadersAsync()).GetValueOrDefault("content-security-policy") ?? "";
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);

        await Expect(ById("tab-patient")).ToBeVisibleAsync();
        await OpenExample("seed-case-1");
        await WaitForResponseTo("/api/comparison");
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await Page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });
        await SelectTab("editions");
        await SelectTab("knowledge");
        await ById("kb-search").FillAsync("tucatinib");
        await SelectTab("audit");
        await ById("audit-refresh").ClickAsync();
        await Expect(ById("audit-row").First).ToBeVisibleAsync();
        await SelectTab("patient");
        await Page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        var requested = Requested;
        Assert.True(requested.Count >= 5, "too few requests were seen to judge: " + string.Join(", ", requested));
        Assert.Empty(OffOrigin);
        Assert.All(requested, url => Assert.True(SameOrigin(url), "request off the server's origin: " + url));
        Assert.All(requested, url => Assert.DoesNotContain("://localhost", url, StringComparison.Ordinal));
    }
}
