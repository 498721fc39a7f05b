using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Herald.Server.Tests.Security;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The server in JWT mode with two trusted issuers (two hospitals' systems), no local-development access.</summary>
public sealed class JwtWebFixture : HeraldWebFixture
{
    public TestTokens Hospital { get; } = new("https://ehr.hospital-a.example.org");

    public TestTokens OtherHospital { get; } = new("https://ehr.hospital-b.example.org");

    public JwtWebFixture() => Settings =
    [
        "--Herald:Auth:Mode=jwt",
        $"--Herald:Auth:Issuers:0:Issuer={Hospital.Issuer}",
        $"--Herald:Auth:Issuers:0:JwksFile={Hospital.WriteJwksFile()}",
        $"--Herald:Auth:Issuers:1:Issuer={OtherHospital.Issuer}",
        $"--Herald:Auth:Issuers:1:JwksFile={OtherHospital.WriteJwksFile()}",
    ];

    protected override IReadOnlyList<string> Settings { get; }

    /// <summary>A session token: its audience is Herald's base URL, so it serves every call of the page until it expires.</summary>
    public string SessionToken(TestTokens issuer) => issuer.Rs384(BaseUrl, DateTimeOffset.UtcNow);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Hospital.Dispose();
        OtherHospital.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class JwtWebCollection : ICollectionFixture<JwtWebFixture>
{
    public const string Name = "Herald web page in Chromium, JWT mode";
}

/// <summary>
/// The page against a server that requires signed tokens: the page and reference data stay open, answers need a
/// pasted session token, and the audit log shows only the records of the token's issuer.
/// </summary>
[Collection(JwtWebCollection.Name)]
public sealed class AuthenticatedPageTests(JwtWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task Without_a_token_the_page_opens_but_a_decision_is_refused_in_plain_words_and_nothing_is_shown()
    {
        ExpectFailedResponse(401);
        await OpenPage();
        var button = ById("open-example-seed-case-1");
        await Expect(button).ToBeVisibleAsync();

        var response = await Page.RunAndWaitForResponseAsync(() => button.ClickAsync(),
            r => r.Url.Contains("/api/recommendations", StringComparison.Ordinal));

        Assert.Equal(401, response.Status);
        await Expect(ById("request-error-message")).ToContainTextAsync("401");
        await Expect(ById("request-error-message")).ToContainTextAsync("token");
        await Expect(ById("result")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_pasted_session_token_serves_the_decision_the_comparison_and_the_audit_log_of_its_own_issuer_only()
    {
        var fixture = (JwtWebFixture)Server;
        // Another hospital's system asks about another patient: its record must not reach this caller's audit log.
        var otherPatient = await Server.Example("seed-case-2");
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/recommendations") { Content = new StringContent(otherPatient, Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fixture.SessionToken(fixture.OtherHospital));
            Assert.Equal(200, (int)(await Server.Http.SendAsync(request)).StatusCode);
        }

        await OpenPage();
        // In JWT mode the page opens Settings by itself once /health has answered; open it only if it is still closed.
        await Expect(ById("auth-mode")).ToContainTextAsync("jwt", new() { IgnoreCase = true });
        if (await ById("settings").GetAttributeAsync("open") is null)
        {
            await ById("settings").Locator("summary").ClickAsync();
        }

        await ById("bearer-token").FillAsync(fixture.SessionToken(fixture.Hospital));
        await ById("token-save").ClickAsync();

        await OpenExample("seed-case-1");
        var comparison = await WaitForResponseTo("/api/comparison");
        Assert.Equal(200, comparison.Status);
        await SelectTab("editions");
        await Expect(ById("edition-comparison")).ToBeVisibleAsync();

        await SelectTab("audit");
        var already = ResponsesTo("/audit").Count;
        await ById("audit-refresh").ClickAsync();
        var audit = await WaitForResponseTo("/audit", already);
        Assert.Equal(200, audit.Status);
        var body = JsonNode.Parse(await audit.TextAsync())!;
        Assert.Equal(fixture.Hospital.Issuer, Str(body["caller"]));
        var records = body["records"]!.AsArray();
        Assert.NotEmpty(records);
        Assert.All(records, r => Assert.Equal("seed-case-1", Str(r!["patientId"])));

        var rows = ById("audit-log").GetByTestId("audit-row");
        await Expect(rows).ToHaveCountAsync(records.Count);
        await Expect(ById("audit-log")).Not.ToContainTextAsync("seed-case-2");
    }
}
