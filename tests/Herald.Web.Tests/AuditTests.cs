using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The audit panel lists the caller's answers, the page's own decision included.</summary>
public sealed class AuditTests(HeraldWebFixture server) : PageTest(server)
{
    private const string Service = "api/recommendations";

    [Fact]
    public async Task After_a_decision_the_audit_log_shows_it()
    {
        await OpenPage();
        await OpenExample("seed-case-1");
        await WaitForResponseTo("/api/comparison");

        await SelectTab("audit");
        var already = ResponsesTo("/audit").Count;
        await ById("audit-refresh").ClickAsync();
        var response = await WaitForResponseTo("/audit", already);
        Assert.Equal(200, response.Status);

        // The same question through HttpClient: the caller's records, among them the page's decision.
        var expected = await Server.GetJson(new Uri(response.Url).PathAndQuery);
        var records = expected["records"]!.AsArray();
        Assert.Contains(records, r => Str(r!["service"]) == Service);

        var rows = ById("audit-log").GetByTestId("audit-row");
        await Expect(rows).ToHaveCountAsync(records.Count);
        await Expect(rows.Filter(new() { HasText = Service }).First).ToBeVisibleAsync();
        await Expect(ById("audit-error")).ToHaveCountAsync(0);

        // The row says what the answer decided, from the record's summary: the decision point and the ranked regimens.
        var decision = records.First(r => Str(r!["service"]) == Service)!["summary"]!;
        var firstRanked = decision["ranked"]![0]!.GetValue<string>();
        var row = rows.Filter(new() { HasText = Str(records.First(r => Str(r!["service"]) == Service)!["id"]) });
        await Expect(row.GetByTestId("audit-decided")).ToContainTextAsync(Str(decision["decisionPoint"]));
        await Expect(row.GetByTestId("audit-decided")).ToContainTextAsync(firstRanked);
    }
}
