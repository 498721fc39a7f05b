using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Herald.Web.Tests;

/// <summary>Invalid input: every server error shown inline next to its field, all at once, and no result.</summary>
public sealed class FormErrorTests(HeraldWebFixture server) : PageTest(server)
{
    [Fact]
    public async Task An_invalid_LVEF_is_shown_next_to_the_field_and_in_the_summary_and_there_is_no_result()
    {
        ExpectFailedResponse(400);
        await OpenPage();
        await OpenExample("seed-case-1");
        await SelectTab("patient");

        var lvef = Page.Locator("#lvef-percent");
        await Expect(lvef).ToHaveAttributeAsync("data-path", "lvef.percent");
        await lvef.FillAsync("150");
        var (response, problem) = await Decide();
        Assert.Equal(400, response.Status);
        var errors = problem["errors"]!.AsArray();
        var lvefError = errors.FirstOrDefault(e => Str(e!["path"]) == "lvef.percent");
        Assert.True(lvefError is not null, "the API did not name lvef.percent for an LVEF of 150: " + problem.ToJsonString());

        // Inline, next to the field, tied to it for assistive technology.
        var inline = Page.Locator("[data-testid=field-error][data-error-for='lvef.percent']");
        await Expect(inline).ToHaveCountAsync(1);
        await Expect(inline).ToBeVisibleAsync();
        await Expect(inline).ToContainTextAsync(Str(lvefError!["message"]));
        await Expect(lvef).ToHaveAttributeAsync("aria-invalid", "true");
        var errorId = await inline.GetAttributeAsync("id");
        Assert.False(string.IsNullOrEmpty(errorId), "the inline error has no id for aria-describedby");
        var describedBy = (await lvef.GetAttributeAsync("aria-describedby") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(errorId, describedBy);
        Assert.True(await lvef.EvaluateAsync<bool>(
                "(field, id) => { const e = document.getElementById(id); return field.nextElementSibling === e || field.parentElement.contains(e); }", errorId),
            "the LVEF error is not placed right after its field");

        // The summary lists it as a link that focuses the field.
        var summary = ById("error-summary");
        await Expect(summary).ToBeVisibleAsync();
        await Expect(summary).ToHaveAttributeAsync("role", "alert");
        await Expect(summary.Locator("a")).ToHaveCountAsync(errors.Count);
        await Expect(summary).ToContainTextAsync(Str(lvefError["message"]));
        await summary.Locator("a").Filter(new LocatorFilterOptions { HasText = Str(lvefError["message"]) }).First.ClickAsync();
        await Expect(lvef).ToBeFocusedAsync();

        // No result anywhere, the earlier one included.
        await Expect(ById("result")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Several_bad_fields_are_all_shown_at_once()
    {
        ExpectFailedResponse(400);
        await OpenPage();
        await OpenExample("seed-case-1");
        await SelectTab("patient");

        var spoiled = new List<string>();
        foreach (var (path, value) in new[] { ("lvef.percent", "150"), ("age", "300"), ("ecog", "9") })
        {
            var field = ById("patient-form").Locator($"input[data-path='{path}']");
            if (await field.CountAsync() == 1 && await field.GetAttributeAsync("type") is "number" or "text" or null)
            {
                await field.FillAsync(value);
                spoiled.Add(path);
            }
        }

        Assert.True(spoiled.Count >= 2, "fewer than two numeric fields found among lvef.percent, age, ecog: " + string.Join(", ", spoiled));
        var (response, problem) = await Decide();
        Assert.Equal(400, response.Status);
        var errors = problem["errors"]!.AsArray();
        Assert.True(errors.Count >= spoiled.Count, $"the API gave {errors.Count} errors for {spoiled.Count} spoiled fields: {problem.ToJsonString()}");

        // Each of the API's errors at once: inline, and in the summary.
        var inline = Page.Locator("[data-testid=field-error]");
        await Expect(inline).ToHaveCountAsync(errors.Count);
        foreach (var error in errors)
        {
            var one = Page.Locator($"[data-testid=field-error][data-error-for='{Str(error!["path"])}']");
            await Expect(one.First).ToBeVisibleAsync();
            await Expect(one.First).ToContainTextAsync(Str(error["message"]));
        }

        foreach (var path in spoiled)
        {
            await Expect(ById("patient-form").Locator($"[data-path='{path}']")).ToHaveAttributeAsync("aria-invalid", "true");
        }

        await Expect(ById("error-summary").Locator("a")).ToHaveCountAsync(errors.Count);
        await Expect(ById("result")).ToHaveCountAsync(0);
    }

    /// <summary>Submits the form and returns the page's answer and the API's answer, through HttpClient, to the same body.</summary>
    private async Task<(IResponse Response, JsonNode Problem)> Decide()
    {
        var response = await Page.RunAndWaitForResponseAsync(
            () => ById("decide").ClickAsync(),
            r => new Uri(r.Url).AbsolutePath == "/api/recommendations" && r.Request.Method == "POST");
        var (status, body) = await ApiAnswerFor(response.Request);
        Assert.Equal(response.Status, status);
        return (response, body);
    }
}
