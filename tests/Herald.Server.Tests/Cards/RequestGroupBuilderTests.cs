using System.Text.Json.Nodes;
using Herald.Server.Apply;
using Herald.Server.CdsHooks;
using static Herald.Server.Tests.Cards.CardTestKit;

namespace Herald.Server.Tests.Cards;

public sealed class RequestGroupBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private static JsonObject Apply(string exampleName) =>
        RequestGroupBuilder.Build(Document(Example(exampleName)), "Patient/pat-1", Now, Kb);

    private static JsonObject Resolve(JsonObject bundle, JsonNode reference)
    {
        var url = (string)reference["reference"]!;
        return bundle["entry"]!.AsArray().Single(e => (string)e!["fullUrl"]! == url)!["resource"]!.AsObject();
    }

    [Fact]
    public void The_bundle_holds_a_proposal_RequestGroup_naming_Herald_and_the_edition()
    {
        var bundle = Apply("seed-case-1.json");
        var group = bundle["entry"]![0]!["resource"]!;

        Assert.Equal("Bundle", (string)bundle["resourceType"]!);
        Assert.Equal("collection", (string)bundle["type"]!);
        Assert.Equal("RequestGroup", (string)group["resourceType"]!);
        Assert.Equal("draft", (string)group["status"]!);
        Assert.Equal("proposal", (string)group["intent"]!);
        Assert.Equal("Patient/pat-1", (string)group["subject"]!["reference"]!);
        Assert.Equal("2026-03-02T09:30:00+00:00", (string)group["authoredOn"]!);
        Assert.Equal("https://herald.example.org/PlanDefinition/current-seeds|2026.12.0", (string)group["instantiatesCanonical"]![0]!);
        Assert.Contains("Current seeds (all three, newer winning)", (string)group["note"]![0]!["text"]!);
        Assert.All(bundle["entry"]!.AsArray(), e => Assert.StartsWith("urn:uuid:", (string)e!["fullUrl"]!));
    }

    [Fact]
    public void One_option_action_per_ranked_regimen_in_rank_order_choose_at_most_one()
    {
        var document = Document(Example("seed-case-1.json"));
        var bundle = RequestGroupBuilder.Build(document, "Patient/pat-1", Now, Kb);
        var choice = bundle["entry"]![0]!["resource"]!["action"]!.AsArray().Single()!;
        var options = choice["action"]!.AsArray();

        Assert.Equal("at-most-one", (string)choice["selectionBehavior"]!);
        Assert.Equal("logical-group", (string)choice["groupingBehavior"]!);
        Assert.Equal(document.Recommendations.Select(r => r.Regimen.Name), options.Select(o => (string)o!["title"]!));
        Assert.Equal(document.Recommendations.Select(r => $"Rank {r.Rank}"), options.Select(o => (string)o!["prefix"]!));
        Assert.DoesNotContain(options, o => ((string)o!["title"]!).Contains("emtansine", StringComparison.Ordinal));

        var tucatinib = Resolve(bundle, options[0]!["resource"]!);
        Assert.Equal("RequestGroup", (string)tucatinib["resourceType"]!);
        Assert.Equal("option", (string)tucatinib["intent"]!);
    }

    [Fact]
    public void Each_option_cites_its_statements_with_their_words()
    {
        var document = Document(Example("seed-case-1.json"));
        var bundle = RequestGroupBuilder.Build(document, "Patient/pat-1", Now, Kb);
        var option = bundle["entry"]![0]!["resource"]!["action"]![0]!["action"]![0]!;
        var documentation = option["documentation"]!.AsArray();

        foreach (var statement in document.Recommendations[0].Statements)
        {
            var artifact = documentation.Single(d => (string)d!["label"]! == statement.Id)!;
            Assert.Equal("citation", (string)artifact["type"]!);
            Assert.Equal(statement.Title, (string)artifact["display"]!);
            Assert.Contains(statement.Quote, (string)artifact["citation"]!);
            Assert.StartsWith(statement.Source, (string)artifact["citation"]!);
        }

        var trial = documentation.Single(d => (string)d!["label"]! == "NCT02614794")!;
        Assert.Equal("https://clinicaltrials.gov/study/NCT02614794", (string)trial["url"]!);
    }

    [Fact]
    public void An_option_documents_its_regimen_s_trials_as_such_and_the_others_as_cited_by_a_statement()
    {
        var document = Document(Example("seed-case-2.json"));
        var bundle = RequestGroupBuilder.Build(document, "Patient/pat-1", Now, Kb);
        var options = bundle["entry"]![0]!["resource"]!["action"]![0]!["action"]!.AsArray();

        for (var i = 0; i < options.Count; i++)
        {
            var documentation = options[i]!["documentation"]!.AsArray();
            foreach (var trial in document.Recommendations[i].Evidence)
            {
                var display = (string)documentation.Single(d => (string)d!["label"]! == (trial.Nct ?? trial.Trial))!["display"]!;
                Assert.Equal(
                    trial.Basis == "regimen" ? $"{trial.Trial}: a trial of this regimen" : $"{trial.Trial}: not a trial of this regimen; cited by statement",
                    trial.Basis == "regimen" ? display : display[..display.IndexOf("statement", StringComparison.Ordinal)] + "statement");
            }
        }

        // The example the review found: HER2CLIMB and NALA are not T-DXd's trials.
        var tdxd = options.Single(o => ((string)o!["title"]!).StartsWith("Trastuzumab deruxtecan", StringComparison.Ordinal))!["documentation"]!.AsArray();
        Assert.Equal("DESTINY-Breast01: a trial of this regimen", (string)tdxd.Single(d => (string)d!["label"]! == "NCT03248492")!["display"]!);
        Assert.StartsWith("HER2CLIMB: not a trial of this regimen; cited by statement", (string)tdxd.Single(d => (string)d!["label"]! == "NCT02614794")!["display"]!);
        Assert.StartsWith("NALA: not a trial of this regimen; cited by statement", (string)tdxd.Single(d => (string)d!["label"]! == "NCT01808573")!["display"]!);
    }

    [Fact]
    public void The_request_group_notes_every_alert_most_severe_first_with_the_notice_on_dated_sources()
    {
        var document = Document(With("seed-case-2.json", ("lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" })));
        var notes = RequestGroupBuilder.Build(document, "Patient/pat-1", Now, Kb)["entry"]![0]!["resource"]!["note"]!.AsArray()
            .Select(n => (string)n!["text"]!).Skip(1).ToList();

        Assert.Equal(document.Alerts.Select(a => $"{a.Severity.ToUpperInvariant()} ({a.Code}): {a.Text} ({a.Source})"), notes);
        Assert.StartsWith("CRITICAL", notes[0], StringComparison.Ordinal);
        Assert.Contains(notes, n => n.Contains("(dated-sources): Dated sources:", StringComparison.Ordinal));
    }

    [Fact]
    public void Regimen_options_reference_RxNorm_coded_draft_MedicationRequest_proposals()
    {
        var bundle = Apply("seed-case-1.json");
        var option = bundle["entry"]![0]!["resource"]!["action"]![0]!["action"]![0]!;
        var optionGroup = Resolve(bundle, option["resource"]!);
        var requests = optionGroup["action"]!.AsArray().Select(a => Resolve(bundle, a!["resource"]!)).ToArray();

        Assert.Equal(["2361285", "224905", "194000"], requests.Select(r => (string)r["medicationCodeableConcept"]!["coding"]![0]!["code"]!));
        Assert.All(requests, r =>
        {
            Assert.Equal("MedicationRequest", (string)r["resourceType"]!);
            Assert.Equal("draft", (string)r["status"]!);
            Assert.Equal("proposal", (string)r["intent"]!);
            Assert.Equal("Patient/pat-1", (string)r["subject"]!["reference"]!);
            Assert.Equal(MedicationProposals.RxNormSystem, (string)r["medicationCodeableConcept"]!["coding"]![0]!["system"]!);
        });
    }

    [Fact]
    public void A_group_slot_is_an_action_without_an_order()
    {
        var bundle = Apply("seed-case-1.json");
        var options = bundle["entry"]![0]!["resource"]!["action"]![0]!["action"]!.AsArray();
        var chemo = options.Single(o => (string)o!["title"]! == "Trastuzumab + chemotherapy")!;
        var actions = Resolve(bundle, chemo["resource"]!)["action"]!.AsArray();

        Assert.Equal(2, actions.Count);
        Assert.NotNull(actions[0]!["resource"]);
        Assert.Equal("chemotherapy", (string)actions[1]!["title"]!);
        Assert.Null(actions[1]!["resource"]);
    }

    [Fact]
    public void The_same_decision_gives_the_same_bundle_and_every_reference_resolves()
    {
        var first = RequestGroupBuilder.ToJson(Apply("seed-case-2.json"));
        var again = RequestGroupBuilder.ToJson(Apply("seed-case-2.json"));
        Assert.Equal(first, again);

        var bundle = JsonNode.Parse(first)!.AsObject();
        var urls = bundle["entry"]!.AsArray().Select(e => (string)e!["fullUrl"]!).ToArray();
        Assert.Equal(urls.Length, urls.Distinct().Count());
        foreach (var reference in Descendants(bundle).OfType<JsonObject>().Where(o => o["reference"] is JsonValue v && ((string)v!).StartsWith("urn:uuid:", StringComparison.Ordinal)))
        {
            Assert.Contains((string)reference["reference"]!, urls);
        }
    }

    [Fact]
    public void No_ranked_option_gives_a_RequestGroup_without_actions()
    {
        var patient = With("seed-case-1.json", ("lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" }));
        var bundle = RequestGroupBuilder.Build(Document(patient), "Patient/pat-1", Now, Kb);

        Assert.Single(bundle["entry"]!.AsArray());
        Assert.Empty(bundle["entry"]![0]!["resource"]!["action"]!.AsArray());
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var d in Descendants(child))
            {
                yield return d;
            }
        }
    }
}
