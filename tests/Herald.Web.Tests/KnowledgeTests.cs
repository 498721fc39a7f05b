using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>The knowledge-base browser: every statement, regimen and trial of /api/knowledge; search filters statements.</summary>
public sealed class KnowledgeTests(HeraldWebFixture server) : PageTest(server)
{
    private static readonly string[] SearchedFields = ["id", "title", "quote", "source", "edition", "strength"];

    [Fact]
    public async Task Statements_regimens_and_trials_are_listed_and_search_narrows_the_statements()
    {
        var knowledge = await Server.GetJson("/api/knowledge");
        var statements = knowledge["statements"]!.AsArray();
        var total = statements.Count;

        await OpenPage();
        await SelectTab("knowledge");
        var shown = ById("kb-statement");
        await Expect(shown).ToHaveCountAsync(total);
        await Expect(Page.Locator("[data-testid=kb-statement]:not([hidden])")).ToHaveCountAsync(total);
        await Expect(ById("kb-regimen")).ToHaveCountAsync(knowledge["regimens"]!.AsArray().Count);
        await Expect(ById("kb-trial")).ToHaveCountAsync(knowledge["trials"]!.AsArray().Count);
        await Expect(ById("kb-count")).ToContainTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A term some statements hold and others do not, chosen from the API's own text.
        var term = new[] { "tucatinib", "pertuzumab", "lapatinib", "brain", "deruxtecan", "capecitabine" }
            .Select(t => (Term: t, Matches: statements.Count(s => Matches(s!, t))))
            .FirstOrDefault(c => c.Matches > 0 && c.Matches < total);
        Assert.True(term.Term is not null, "no search term splits the knowledge base's statements");

        var search = ById("kb-search");
        await Expect(search).ToHaveAttributeAsync("type", "search");
        Assert.True(await search.EvaluateAsync<bool>("e => e.labels.length > 0 || !!e.getAttribute('aria-label')"), "the knowledge search has no label");
        await search.FillAsync(term.Term);

        var visible = Page.Locator("[data-testid=kb-statement]:not([hidden])");
        // The page searches at least the contract's fields; every statement left visible holds the term.
        await Expect(visible).Not.ToHaveCountAsync(total);
        var count = await visible.CountAsync();
        Assert.True(count >= term.Matches && count < total,
            $"searching '{term.Term}' left {count} of {total} statements; the API's text holds it in {term.Matches}");
        foreach (var statement in await visible.AllAsync())
        {
            var text = await statement.TextContentAsync() ?? "";
            Assert.Contains(term.Term, text, StringComparison.OrdinalIgnoreCase);
        }

        await Expect(ById("kb-count")).ToContainTextAsync(count.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Hidden ones use the hidden attribute; clearing the search brings every statement back.
        await Expect(Page.Locator("[data-testid=kb-statement][hidden]")).ToHaveCountAsync(total - count);
        await search.FillAsync("");
        await Expect(visible).ToHaveCountAsync(total);
    }

    private static bool Matches(JsonNode statement, string term) =>
        SearchedFields.Any(f => statement[f] is JsonValue v && v.ToString().Contains(term, StringComparison.OrdinalIgnoreCase));
}
