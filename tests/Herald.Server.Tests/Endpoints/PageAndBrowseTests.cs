using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Herald.Server.Page;
using Herald.Server.Security;
using Herald.Server.Tests.Cards;
using Herald.Server.Tests.Security;

namespace Herald.Server.Tests.Endpoints;

/// <summary>
/// What the clinician's page stands on: the page and its assets served by Herald itself under a strict policy,
/// the open reference data (knowledge base, examples), and the edition comparison, which is an audited answer.
/// </summary>
public sealed partial class PageAndBrowseTests
{
    private static readonly DateOnly Today = FhirExamples.DecidedOn("seed-case-1");

    [Fact]
    public async Task The_page_and_every_asset_are_served_by_Herald_with_a_strict_content_policy()
    {
        using var host = new HeraldHost(Today);
        var client = host.CreateClient();
        var assets = host.Service<PageAssets>();
        Assert.Contains("index.html", assets.Paths);

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);

        // Every file the page names is one Herald serves; nothing is fetched from another origin.
        var html = await page.Content.ReadAsStringAsync();
        var referenced = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.NotEmpty(referenced);
        foreach (var path in referenced)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        }

        foreach (var path in assets.Paths)
        {
            var text = System.Text.Encoding.UTF8.GetString(assets.Find(path)!.Bytes);
            Assert.False(ExternalLoad().IsMatch(text), $"{path} loads something from another origin");
        }
    }

    [Fact]
    public async Task Assets_revalidate_by_etag_and_unknown_assets_are_404()
    {
        using var host = new HeraldHost(Today);
        var client = host.CreateClient();
        var first = await client.GetAsync("/");
        var etag = first.Headers.ETag!.Tag;

        using var again = new HttpRequestMessage(HttpMethod.Get, "/");
        again.Headers.TryAddWithoutValidation("If-None-Match", etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/app/no-such-file.js")).StatusCode);
        // Source files sharing the folder are never served.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/app/PageAssets.cs")).StatusCode);
    }

    [Fact]
    public async Task The_shipped_examples_are_listed_seed_cases_first_and_served_byte_for_byte()
    {
        using var host = new HeraldHost(Today);
        var client = host.CreateClient();

        var list = (await Http.Body(await client.GetAsync("/api/examples")))["examples"]!.AsArray();
        var ids = list.Select(e => e!["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(["seed-case-1", "seed-case-2"], ids.Take(2));
        Assert.True(list.Take(2).All(e => e!["seed"]!.GetValue<bool>()));
        var files = Directory.GetFiles(Path.Combine(CardTestKit.RepositoryRoot, "examples"), "*.json")
            .Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(files, ids.Order());
        Assert.All(list, e => Assert.False(string.IsNullOrWhiteSpace(e!["title"]!.GetValue<string>())));

        foreach (var id in ids)
        {
            var served = await client.GetStringAsync($"/api/examples/{id}");
            Assert.Equal(File.ReadAllText(Path.Combine(CardTestKit.RepositoryRoot, "examples", id + ".json")), served);
        }

        var unknown = await client.GetAsync("/api/examples/nobody");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("seed-case-1", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_knowledge_base_lists_every_statement_regimen_and_trial_with_its_source_and_strength()
    {
        using var host = new HeraldHost(Today);
        var kb = CardTestKit.Kb;
        var body = await Http.Body(await host.CreateClient().GetAsync("/api/knowledge"));

        Assert.Equal(kb.Version, body["version"]!.GetValue<string>());
        Assert.Equal(kb.Editions.Select(e => e.Id), body["editions"]!.AsArray().Select(e => e!["id"]!.GetValue<string>()));
        var statements = body["statements"]!.AsArray();
        Assert.Equal(kb.Statements.Select(s => s.Id), statements.Select(s => s!["id"]!.GetValue<string>()));
        foreach (var statement in statements)
        {
            Assert.False(string.IsNullOrWhiteSpace(statement!["source"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(statement["strengthLabel"]!.GetValue<string>()));
            Assert.NotNull(statement["quote"]);
        }

        Assert.Equal(kb.Regimens.Count, body["regimens"]!.AsArray().Count);
        var results = body["trials"]!.AsArray().SelectMany(t => t!["results"]!.AsArray()).ToArray();
        var expected = kb.Trials.SelectMany(t => t.Results).ToArray();
        Assert.Equal(expected.Length, results.Length);
        // The figures the forest plot draws are exactly the knowledge base's, in value, lower, upper order.
        for (var i = 0; i < expected.Length; i++)
        {
            var hr = results[i]!["hazardRatio"];
            Assert.Equal(expected[i].HazardRatio is null, hr is null);
            if (expected[i].HazardRatio is { } ratio)
            {
                Assert.Equal([ratio.Value, ratio.Lower, ratio.Upper], new[] { "value", "lower", "upper" }.Select(k => hr![k]!.GetValue<double>()));
            }
        }

        Assert.Contains(results, r => r!["hazardRatio"] is not null);
    }

    [Fact]
    public async Task The_comparison_decides_under_every_edition_exactly_as_each_single_edition_answer()
    {
        using var host = new HeraldHost(Today);
        var client = host.CreateClient();
        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!;

        var response = await Http.Post(client, "/api/comparison", patient);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var comparison = await Http.Body(response);
        var editions = comparison["editions"]!.AsArray();
        Assert.Equal(CardTestKit.Kb.Editions.Select(e => e.Id), editions.Select(e => e!["edition"]!.GetValue<string>()));

        foreach (var edition in editions)
        {
            var id = edition!["edition"]!.GetValue<string>();
            var single = await Http.Body(await Http.Post(client, $"/api/recommendations?edition={id}", patient));
            Assert.Equal(Ranking(single["recommendations"]!), Ranking(edition["recommendations"]!));
            Assert.Equal(single["decisionPoint"]!["label"]!.GetValue<string>(), edition["decisionPoint"]!["label"]!.GetValue<string>());
            Assert.Equal(
                single["excluded"]!.AsArray().Select(v => v!["regimen"]!["id"]!.GetValue<string>()),
                edition["excluded"]!.AsArray().Select(v => v!["regimen"]!["id"]!.GetValue<string>()));
        }

        // Each row's cells agree with the edition answers, and "differs" means exactly that the cells are not all alike.
        var rows = comparison["rows"]!.AsArray();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var regimen = row!["regimen"]!["id"]!.GetValue<string>();
            var cells = row["cells"]!.AsArray();
            Assert.Equal(editions.Count, cells.Count);
            for (var i = 0; i < cells.Count; i++)
            {
                var option = editions[i]!["recommendations"]!.AsArray().FirstOrDefault(o => o!["regimen"]!["id"]!.GetValue<string>() == regimen);
                Assert.Equal(option is not null, cells[i]!["status"]!.GetValue<string>() == "recommended");
                Assert.Equal(option?["rank"]?.GetValue<int>(), cells[i]!["rank"]?.GetValue<int>());
            }

            var distinct = cells.Select(c => (c!["status"]!.GetValue<string>(), c["rank"]?.GetValue<int>())).Distinct().Count();
            Assert.Equal(distinct > 1, row["differs"]!.GetValue<bool>());
        }

        // Seed case 1 is third line by the 2021 panel's count: the editions do not agree on it.
        Assert.Contains(rows, r => r!["differs"]!.GetValue<bool>());
        var points = editions.Select(e => $"{e!["decisionPoint"]!["kind"]}/{e["decisionPoint"]!["line"]}").Distinct().Count();
        Assert.Equal(points > 1, comparison["decisionPointDiffers"]!.GetValue<bool>());

        var audit = await Http.Body(await client.GetAsync("/audit?service=api/comparison"));
        var record = Assert.Single(audit["records"]!.AsArray())!;
        Assert.Equal("seed-case-1", record["patientId"]!.GetValue<string>());
        Assert.Equal(200, record["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_comparison_names_every_bad_field_like_the_recommendation_route()
    {
        using var host = new HeraldHost(Today);
        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!.AsObject();
        patient["lvef"] = new JsonObject { ["percent"] = 150, ["date"] = "2020-10-01" };
        patient["ecog"] = 7;

        var response = await Http.Post(host.CreateClient(), "/api/comparison", patient);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var paths = (await Http.Body(response))["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToArray();
        Assert.Equal(["ecog", "lvef.percent"], paths.Order());
    }

    [Fact]
    public async Task The_history_marks_the_twelve_month_window_after_early_trastuzumab()
    {
        using var host = new HeraldHost(Today);
        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!;
        var early = patient["earlyDisease"]!["regimens"]![0]!;

        var body = await Http.Body(await Http.Post(host.CreateClient(), "/api/recommendations", patient));
        var history = body["history"]!;

        Assert.Equal(patient["presentation"]!["metastaticDiagnosisDate"]!.GetValue<string>(), history["metastaticDiagnosis"]!.GetValue<string>());
        var regimen = Assert.Single(history["early"]!.AsArray())!;
        Assert.Equal(early["setting"]!.GetValue<string>(), regimen["setting"]!.GetValue<string>());
        Assert.True(regimen["antiHer2"]!.GetValue<bool>());
        var window = history["trastuzumabWindow"]!;
        var completed = DateOnly.Parse(early["stop"]!.GetValue<string>());
        Assert.Equal(early["stop"]!.GetValue<string>(), window["completed"]!.GetValue<string>());
        Assert.Equal(completed.AddMonths(12).ToString("yyyy-MM-dd"), window["windowEnds"]!.GetValue<string>());
        // The metastases came years later: outside the window.
        Assert.Equal("false", window["relapseWithin"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("2017-06-01", "true", "2016-12-19", "2017-12-19")]   // metastases 5 months after trastuzumab finished
    [InlineData(null, "unknown", null, null)]                          // the early regimen's stop date is not recorded
    public async Task The_window_says_whether_the_relapse_fell_inside_it_or_that_this_is_unknown(
        string? metastaticDiagnosis, string relapseWithin, string? completed, string? windowEnds)
    {
        using var host = new HeraldHost(Today);
        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!;
        if (metastaticDiagnosis is null)
        {
            patient["earlyDisease"]!["regimens"]![0]!.AsObject().Remove("stop");
        }
        else
        {
            patient["presentation"]!["metastaticDiagnosisDate"] = metastaticDiagnosis;
        }

        var response = await Http.Post(host.CreateClient(), "/api/recommendations", patient);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var window = (await Http.Body(response))["history"]!["trastuzumabWindow"]!;

        Assert.Equal(relapseWithin, window["relapseWithin"]!.GetValue<string>());
        Assert.Equal(completed, window["completed"]?.GetValue<string>());
        Assert.Equal(windowEnds, window["windowEnds"]?.GetValue<string>());
        Assert.Equal(12, window["months"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_de_novo_patient_has_no_trastuzumab_window()
    {
        using var host = new HeraldHost(new DateOnly(2026, 11, 21));
        var patient = JsonNode.Parse(CardTestKit.Example("first-line-de-novo-hr-positive.json"))!;

        var history = (await Http.Body(await Http.Post(host.CreateClient(), "/api/recommendations", patient)))["history"]!;

        Assert.Equal("de-novo", history["presentation"]!.GetValue<string>());
        Assert.Empty(history["early"]!.AsArray());
        Assert.Null(history["trastuzumabWindow"]);
    }

    [Fact]
    public async Task With_authentication_the_page_and_reference_data_are_open_and_patient_answers_are_not()
    {
        var ehr = new TestTokens();
        using var host = new HeraldHost(Today, new Dictionary<string, string?>
        {
            ["Herald:Auth:Mode"] = CdsAuthOptions.JwtMode,
            ["Herald:Auth:PublicBaseUrl"] = "https://herald.example.org",
            ["Herald:Auth:Issuers:0:Issuer"] = ehr.Issuer,
            ["Herald:Auth:Issuers:0:JwksFile"] = ehr.WriteJwksFile(),
        }, remoteAddress: IPAddress.Parse("10.1.2.3"));
        var client = host.CreateClient();

        foreach (var open in new[] { "/", "/api/knowledge", "/api/examples", "/api/examples/seed-case-1" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(open)).StatusCode);
        }

        var patient = JsonNode.Parse(CardTestKit.Example("seed-case-1.json"))!;
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.Post(client, "/api/comparison", patient)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/audit")).StatusCode);

        // One session token minted for Herald's base URL serves all of the page's calls, again and again until it expires.
        var now = host.Clock.GetUtcNow();
        var session = ehr.Rs384("https://herald.example.org", now);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/recommendations", patient, session)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/comparison", patient, session)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.Get(client, "/audit", session)).StatusCode);
        host.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.Get(client, "/audit", session)).StatusCode);

        // A token minted for one route is still single-use.
        var routeToken = ehr.Rs384("https://herald.example.org/api/comparison", host.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.OK, (await Http.Post(client, "/api/comparison", patient, routeToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.Post(client, "/api/comparison", patient, routeToken)).StatusCode);
        // A CDS Hooks service still needs a token minted for that service.
        var hook = FhirExamples.HookRequest("seed-case-1");
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Http.Post(client, "/cds-services/herald-patient-view", hook, ehr.Rs384("https://herald.example.org", host.Clock.GetUtcNow()))).StatusCode);
    }

    private static string[] Ranking(JsonNode recommendations) =>
        recommendations.AsArray().Select(o => $"{o!["rank"]}:{o["regimen"]!["id"]}").ToArray();

    [GeneratedRegex("(?:src|href)=\"(/[^\"]*)\"")]
    private static partial Regex AssetReference();

    [GeneratedRegex("(?:src|href)=\"(?:https?:)?//|@import\\s+url\\(\\s*['\"]?(?:https?:)?//|from\\s+['\"](?:https?:)?//|import\\(\\s*['\"](?:https?:)?//")]
    private static partial Regex ExternalLoad();
}
