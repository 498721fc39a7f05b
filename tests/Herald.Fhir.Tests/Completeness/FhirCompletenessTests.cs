using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Herald.Fhir.Tests.Completeness;

/// <summary>A partial answer (a page, a failed query, a short total) is recognised, with the path that shows it.</summary>
public sealed class FhirCompletenessTests
{
    [Fact]
    public void A_whole_searchset_with_a_self_link_and_a_matching_total_is_complete()
    {
        var bundle = SearchSet(Observations(3), total: 3);
        bundle["link"] = new JsonArray(Link("self", "https://ehr.example.org/fhir/Observation?patient=p"));

        Assert.Empty(Check(bundle));
    }

    [Fact]
    public void A_single_resource_or_an_empty_searchset_is_complete()
    {
        Assert.Empty(Check(new JsonObject { ["resourceType"] = "Patient", ["id"] = "p" }));
        Assert.Empty(Check(SearchSet([], total: 0)));
    }

    [Fact]
    public void A_next_link_marks_one_page_of_a_larger_result()
    {
        var bundle = SearchSet(Observations(5));
        bundle["link"] = new JsonArray(Link("self", "https://ehr/fhir/Observation?page=1"), Link("next", "https://ehr/fhir/Observation?page=2"));

        var finding = Assert.Single(Check(bundle, "prefetch.observations"));

        Assert.Equal("prefetch.observations.link[1]", finding.Path);
        Assert.Equal(FhirCompleteness.NextPage, finding.Code);
    }

    [Fact]
    public void A_total_larger_than_the_matches_held_names_both_numbers()
    {
        var finding = Assert.Single(Check(SearchSet(Observations(25), total: 42)));

        Assert.Equal("total", finding.Path);
        Assert.Equal(FhirCompleteness.TotalExceedsMatches, finding.Code);
        Assert.Contains("42", finding.Message, StringComparison.Ordinal);
        Assert.Contains("25", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Included_and_outcome_entries_do_not_count_as_matches_and_entries_without_a_mode_do()
    {
        // Two matches with a mode, two without, one included Medication, one outcome.
        IEnumerable<JsonObject> Entries() => Observations(2, "match").Concat(Observations(2, mode: null))
            .Append(Entry(new JsonObject { ["resourceType"] = "Medication", ["id"] = "m" }, "include"))
            .Append(Entry(Outcome("information", "5 results"), "outcome"));

        Assert.Empty(Check(SearchSet(Entries(), total: 4)));
        var finding = Assert.Single(Check(SearchSet(Entries(), total: 5)));
        Assert.Contains("holds 4", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"42\"")]
    [InlineData("-1")]
    [InlineData("4.5")]
    public void A_total_that_is_not_a_non_negative_integer_cannot_vouch_for_the_result(string total)
    {
        var bundle = SearchSet(Observations(1));
        bundle["total"] = JsonNode.Parse(total);

        var finding = Assert.Single(Check(bundle));

        Assert.Equal(FhirCompleteness.TotalUnreadable, finding.Code);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("warning")]
    [InlineData("information")]
    public void An_OperationOutcome_in_place_of_the_data_is_never_read_as_data_whatever_its_severity(string severity)
    {
        var finding = Assert.Single(Check(Outcome(severity, "search timed out", id: "oo-1"), "prefetch.observations"));

        Assert.Equal("prefetch.observations(OperationOutcome/oo-1)", finding.Path);
        Assert.Equal(FhirCompleteness.OperationOutcome, finding.Code);
        Assert.Contains("search timed out", finding.Message, StringComparison.Ordinal);
        Assert.Contains(severity, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error")]
    [InlineData("fatal")]
    [InlineData(null)]
    public void An_outcome_entry_reporting_an_error_or_no_severity_marks_the_result_incomplete(string? severity)
    {
        var entries = Observations(2).Append(Entry(Outcome(severity, "Observation index unavailable", id: "oo-2"), "outcome")).ToList();

        var finding = Assert.Single(Check(SearchSet(entries)));

        Assert.Equal("entry[2].resource(OperationOutcome/oo-2).issue[0]", finding.Path);
        Assert.Equal(FhirCompleteness.ErrorOutcomeEntry, finding.Code);
        Assert.Contains("Observation index unavailable", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("warning")]
    [InlineData("information")]
    public void An_outcome_entry_with_only_a_warning_or_information_is_not_an_error(string severity)
    {
        var entries = Observations(2).Append(Entry(Outcome(severity, "parameter _sort ignored"), "outcome")).ToList();

        Assert.Empty(Check(SearchSet(entries, total: 2)));
    }

    [Fact]
    public void Only_the_error_issues_of_an_outcome_entry_are_reported_each_with_its_index()
    {
        var outcome = Outcome("warning", "slow");
        outcome["issue"]!.AsArray().Add(new JsonObject { ["severity"] = "fatal", ["code"] = "exception", ["details"] = new JsonObject { ["text"] = "shard 2 down" } });

        var finding = Assert.Single(Check(SearchSet([Entry(outcome, "outcome")])));

        Assert.EndsWith(".issue[1]", finding.Path, StringComparison.Ordinal);
        Assert.Contains("shard 2 down", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_finding_is_reported_and_Bundles_inside_Bundles_are_checked()
    {
        var page = SearchSet(Observations(5).Append(Entry(Outcome("error", "partial"), "outcome")).ToList(), total: 9);
        page["link"] = new JsonArray(Link("next", "https://ehr/fhir/Observation?page=2"));
        var body = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "collection",
            ["entry"] = new JsonArray(Entry(new JsonObject { ["resourceType"] = "Patient", ["id"] = "p" }, null), Entry(page, null)),
        };

        var findings = Check(body);

        Assert.Equal(
            ["entry[1].resource.link[0]", "entry[1].resource.entry[5].resource(OperationOutcome/?).issue[0]", "entry[1].resource.total"],
            findings.Select(f => f.Path));
        Assert.Equal(
            [FhirCompleteness.NextPage, FhirCompleteness.ErrorOutcomeEntry, FhirCompleteness.TotalExceedsMatches],
            findings.Select(f => f.Code));
    }

    [Fact]
    public void The_screen_lets_a_body_skip_the_check_only_when_no_finding_is_possible()
    {
        var whole = """{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p"}}]}""";

        Assert.False(FhirCompleteness.MayBeIncomplete(Encoding.UTF8.GetBytes(whole)));
        Assert.Empty(Check(JsonNode.Parse(whole)!.AsObject()));
    }

    [Theory]
    [InlineData("""{"resourceType":"Bundle","link":[{"relation":"next","url":"x"}]}""")]
    [InlineData("""{"resourceType":"Bundle","total":3}""")]
    [InlineData("""{"resourceType":"OperationOutcome","issue":[]}""")]
    [InlineData("""{"resourceType":"Bundle","link":[{"relation":"\u006eext","url":"x"}]}""")]
    public void The_screen_passes_every_body_that_could_hold_a_finding_even_behind_an_escape(string json)
    {
        Assert.True(FhirCompleteness.MayBeIncomplete(Encoding.UTF8.GetBytes(json)));
        Assert.NotEmpty(Check(JsonNode.Parse(json)!.AsObject()));
    }

    private static IReadOnlyList<CompletenessFinding> Check(JsonObject resource, string? location = null)
    {
        using var document = JsonDocument.Parse(resource.ToJsonString());
        return FhirCompleteness.Check(document.RootElement, location);
    }

    private static JsonObject SearchSet(IEnumerable<JsonObject> entries, int? total = null)
    {
        var bundle = new JsonObject
        {
            ["resourceType"] = "Bundle",
            ["type"] = "searchset",
            ["entry"] = new JsonArray(entries.Select(e => (JsonNode)e).ToArray()),
        };
        if (total is { } t)
        {
            bundle["total"] = t;
        }

        return bundle;
    }

    private static IEnumerable<JsonObject> Observations(int count, string? mode = "match") =>
        Enumerable.Range(1, count).Select(i => Entry(new JsonObject { ["resourceType"] = "Observation", ["id"] = $"o{i}-{mode}" }, mode));

    private static JsonObject Entry(JsonObject resource, string? mode)
    {
        var entry = new JsonObject { ["resource"] = resource };
        if (mode is not null)
        {
            entry["search"] = new JsonObject { ["mode"] = mode };
        }

        return entry;
    }

    private static JsonObject Outcome(string? severity, string diagnostics, string? id = null)
    {
        var issue = new JsonObject { ["code"] = "exception", ["diagnostics"] = diagnostics };
        if (severity is not null)
        {
            issue["severity"] = severity;
        }

        var outcome = new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(issue) };
        if (id is not null)
        {
            outcome["id"] = id;
        }

        return outcome;
    }

    private static JsonObject Link(string relation, string url) => new() { ["relation"] = relation, ["url"] = url };
}
