using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Contracts.Output;
using Herald.Core.Decisions;
using Herald.Fhir;
using Herald.Server.CdsHooks;
using static Herald.Server.Tests.Cards.CardTestKit;

namespace Herald.Server.Tests.Cards;

public sealed class PatientViewCardsTests
{
    private static IReadOnlyList<Card> RegimenCards(IReadOnlyList<Card> cards) =>
        cards.Where(c => c.Source.Topic?.Code == "treatment-option").ToArray();

    /// <summary>The examples plus variants that reach the other card kinds (safety, no options, missing data).</summary>
    public static TheoryData<string, string> Patients()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in ExampleFiles())
        {
            data.Add(Path.GetFileName(file), File.ReadAllText(file));
        }

        data.Add("seed-case-1 with ILD", With("seed-case-1.json", ("comorbidities", new JsonArray("interstitial-lung-disease"))));
        data.Add("seed-case-1 with LVEF 35%", With("seed-case-1.json", ("lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" })));
        data.Add("seed-case-2 with LVEF 45%", With("seed-case-2.json", ("lvef", new JsonObject { ["percent"] = 45, ["date"] = "2020-10-01" })));
        data.Add("first line with paclitaxel allergy", With("first-line-de-novo-hr-positive.json",
            ("allergies", new JsonArray(new JsonObject { ["substance"] = "paclitaxel", ["reaction"] = "anaphylaxis" }))));
        data.Add("HER2-negative", With("first-line-de-novo-hr-positive.json",
            ("receptors", new JsonObject { ["her2"] = new JsonObject { ["status"] = "negative" }, ["er"] = "positive", ["pr"] = "negative" })));
        data.Add("HER2 unknown", With("first-line-de-novo-hr-positive.json",
            ("receptors", new JsonObject { ["er"] = "positive", ["pr"] = "negative" })));
        return data;
    }

    [Fact]
    public void Seed_case_1_puts_the_tucatinib_regimen_first_and_the_cough_caution_on_the_T_DXd_card()
    {
        var cards = PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context());
        var regimens = RegimenCards(cards);

        Assert.StartsWith("Rank 1: tucatinib + trastuzumab + capecitabine", regimens[0].Summary);
        var tdxd = Assert.Single(regimens, c => c.Summary.Contains("trastuzumab deruxtecan", StringComparison.Ordinal));
        Assert.Equal("Rank 2: trastuzumab deruxtecan — preferred, expert opinion (2021 expert-panel updates); a caution weighs against it", tdxd.Summary);
        Assert.Equal("Rank 1: tucatinib + trastuzumab + capecitabine — preferred, expert opinion (2021 expert-panel updates)", regimens[0].Summary);
        Assert.Contains("**Weighs against this option:** Current respiratory symptoms (persistent cough", tdxd.Detail);
        Assert.DoesNotContain("persistent cough", regimens[0].Detail);
    }

    [Fact]
    public void Seed_case_2_offers_the_tucatinib_regimen_and_T_DXd_tied_at_rank_1()
    {
        var cards = RegimenCards(PatientViewCards.Build(Decide(Example("seed-case-2.json")), Context()));

        Assert.StartsWith("Rank 1 (tied): tucatinib + trastuzumab + capecitabine", cards[0].Summary);
        Assert.StartsWith("Rank 1 (tied): trastuzumab deruxtecan", cards[1].Summary);
        Assert.Contains("tied with Trastuzumab deruxtecan (T-DXd)", cards[0].Detail);
        // Then the 2021 panel's own third-line options, tied (the newest source first: docs/decision-logic.md).
        Assert.StartsWith("Rank 2 (tied): trastuzumab + chemotherapy", cards[2].Summary);
    }

    [Fact]
    public void One_card_per_ranked_regimen_in_rank_order_and_none_for_excluded_regimens()
    {
        var document = Document(Example("seed-case-2.json"));
        var decision = Decide(Example("seed-case-2.json"));
        var cards = RegimenCards(PatientViewCards.Build(decision, Context()));

        Assert.Equal(document.Recommendations.Count, cards.Count);
        for (var i = 0; i < cards.Count; i++)
        {
            Assert.StartsWith($"Rank {document.Recommendations[i].Rank}", cards[i].Summary);
        }

        var decisionPoint = PatientViewCards.Build(decision, Context()).Single(c => c.Source.Topic?.Code == "decision-point");
        Assert.Contains("**Trastuzumab emtansine (T-DM1)** — Progressed on line", decisionPoint.Detail);
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Every_summary_is_under_140_characters(string name, string json)
    {
        var cards = PatientViewCards.Build(Decide(json), Context());

        Assert.NotEmpty(cards);
        Assert.All(cards, c => Assert.True(c.Summary.Length < 140, $"{name}: {c.Summary.Length} characters: {c.Summary}"));
        Assert.All(cards, c => Assert.True(c.Suggestions is null || c.SelectionBehavior is not null, "selectionBehavior is required with suggestions"));
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void No_excluded_regimen_is_ever_suggested(string name, string json)
    {
        var document = Document(json);
        var decision = Decide(json);
        var cards = PatientViewCards.Build(decision, Context());
        var suggested = cards.Where(c => c.Suggestions is not null).Select(c => c.Suggestions!.Single().Label).ToArray();
        var offered = document.Recommendations.Select(r => $"Propose {r.Regimen.Name}").ToHashSet();

        Assert.All(suggested, label => Assert.Contains(label, offered));
        foreach (var excluded in document.Excluded)
        {
            Assert.DoesNotContain($"Propose {excluded.Regimen.Name}", suggested);
        }

        Assert.True(name.Length > 0);
    }

    [Fact]
    public void A_regimen_card_quotes_each_supporting_statement_with_its_source()
    {
        var document = Document(Example("seed-case-1.json"));
        var decision = Decide(Example("seed-case-1.json"));
        var option = document.Recommendations[0];
        var card = RegimenCards(PatientViewCards.Build(decision, Context()))[0];

        Assert.NotEmpty(option.Statements);
        foreach (var statement in option.Statements)
        {
            Assert.Contains(CardText.Blockquote(statement.Quote), card.Detail);
            Assert.Contains(CardText.Escape(statement.Source), card.Detail);
        }

        Assert.Contains("**HER2CLIMB (NCT02614794)** — ", card.Detail);
        Assert.Contains("HR 0.54 (0.42-0.71)", card.Detail);
        Assert.Contains("**Strength:** Expert panel or consensus opinion", card.Detail);
        Assert.Equal("Herald — Current seeds (all three, newer winning)", card.Source.Label);
    }

    [Fact]
    public void A_regimen_card_gives_only_its_regimen_s_trials_as_evidence_and_names_the_others_as_cited_by_a_statement()
    {
        var decision = Decide(Example("seed-case-2.json"));
        var cards = RegimenCards(PatientViewCards.Build(decision, Context()));

        for (var i = 0; i < decision.Recommendations.Count; i++)
        {
            var option = decision.Recommendations[i];
            var detail = cards[i].Detail!;
            var own = detail.IndexOf("#### Trial", StringComparison.Ordinal);
            var cited = detail.IndexOf("Not trials of this regimen:", StringComparison.Ordinal);
            var ownSection = own < 0 ? "" : detail[own..(cited < 0 ? detail.Length : cited)];
            foreach (var item in option.Evidence())
            {
                var heading = $"**{CardText.Escape(DecisionView.TrialHeading(item.Trial))}**";
                if (item.OfThisRegimen)
                {
                    Assert.Contains(heading, ownSection);
                }
                else
                {
                    Assert.DoesNotContain(heading, ownSection);
                    Assert.True(cited >= 0 && detail.IndexOf(CardText.Escape(item.Trial.Name), cited, StringComparison.Ordinal) > cited, $"{item.Trial.Name} not named as cited on {option.Regimen.Id}");
                }
            }
        }

        // The example the review found: T-DXd was presented with HER2CLIMB and NALA as its trial evidence.
        var tdxd = cards.Single(c => c.Summary.Contains("trastuzumab deruxtecan", StringComparison.Ordinal)).Detail!;
        var tdxdOwn = tdxd[tdxd.IndexOf("#### Trial of this regimen", StringComparison.Ordinal)..tdxd.IndexOf("Not trials of this regimen:", StringComparison.Ordinal)];
        Assert.Contains("**DESTINY-Breast01 (NCT03248492)**", tdxdOwn);
        Assert.DoesNotContain("HER2CLIMB", tdxdOwn);
        Assert.DoesNotContain("NALA", tdxdOwn);
    }

    [Theory]
    [MemberData(nameof(Patients))]
    public void Alert_cards_come_first_most_severe_first_and_before_the_decision_point(string name, string json)
    {
        var decision = Decide(json);
        var cards = PatientViewCards.Build(decision, Context());
        var point = cards.ToList().FindIndex(c => c.Source.Topic?.Code == "decision-point");
        var rank = new Dictionary<string, int> { [CardIndicator.Critical] = 0, [CardIndicator.Warning] = 1, [CardIndicator.Info] = 2 };
        var before = cards.Take(point).Where(c => c.Source.Topic?.Code is "safety" or "no-options").Select(c => rank[c.Indicator]).ToList();

        Assert.Equal(before.Order().ToList(), before);
        Assert.All(cards.Skip(point + 1), c => Assert.NotEqual("safety", c.Source.Topic?.Code));
        Assert.Equal(
            decision.Alerts.Count(a => a.Severity >= Herald.Core.Knowledge.Severity.Warning && !(decision.Recommendations.Count == 0 && a.Engine.MeansNothingToPropose())),
            cards.Count(c => c.Source.Topic?.Code == "safety"));
        Assert.True(name.Length > 0);
    }

    [Fact]
    public void A_critical_alert_is_the_first_card()
    {
        var json = With("seed-case-2.json", ("lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" }));
        var decision = Decide(json);
        var cards = PatientViewCards.Build(decision, Context());

        Assert.Contains(decision.Alerts, a => a.Severity == Herald.Core.Knowledge.Severity.Critical);
        Assert.Equal(CardIndicator.Critical, cards[0].Indicator);
    }

    [Fact]
    public void The_notice_on_dated_sources_opens_the_decision_point_card_and_becomes_a_warning_card_once_a_later_edition_revised_the_guidance()
    {
        var in2020 = Decide(Example("seed-case-2.json"));
        var point = PatientViewCards.Build(in2020, Context()).Single(c => c.Source.Topic?.Code == "decision-point");
        var notice = in2020.Alerts.Single(a => a.Engine == EngineAlert.DatedSources);
        Assert.StartsWith("### Notes\n\n", point.Detail);
        Assert.Contains(CardText.Escape(DecisionText.Alert(notice, in2020.Facts)), point.Detail);

        var in2024 = Decide(With("seed-case-2.json", ("assessmentDate", "2024-03-01")));
        var warning = Assert.Single(PatientViewCards.Build(in2024, Context()), c => c.Source.Topic?.Code == "safety" && c.Summary.StartsWith("Dated sources", StringComparison.Ordinal));
        Assert.Equal(CardIndicator.Warning, warning.Indicator);
        Assert.Equal("Dated sources (2014 to 2021), assessment on 2024-03-01: a later edition revised the guidance; this answer may be out of date", warning.Summary);
        Assert.Contains("2024-03-01", warning.Detail);
        Assert.Contains("(`dated-sources`)", warning.Detail);
    }

    [Fact]
    public void Proposals_are_draft_MedicationRequests_coded_in_RxNorm_for_the_patient()
    {
        var card = RegimenCards(PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context("pat-42")))[0];
        var suggestion = Assert.Single(card.Suggestions!);
        var actions = suggestion.Actions!;

        Assert.Equal("at-most-one", card.SelectionBehavior);
        Assert.Equal(["2361285", "224905", "194000"], actions.Select(a => (string)a.Resource!["medicationCodeableConcept"]!["coding"]![0]!["code"]!));
        Assert.All(actions, a =>
        {
            Assert.Equal(CdsActionType.Create, a.Type);
            Assert.Equal("MedicationRequest", (string)a.Resource!["resourceType"]!);
            Assert.Equal("draft", (string)a.Resource["status"]!);
            Assert.Equal("proposal", (string)a.Resource["intent"]!);
            Assert.Equal("Patient/pat-42", (string)a.Resource["subject"]!["reference"]!);
            Assert.Equal(MedicationProposals.RxNormSystem, (string)a.Resource["medicationCodeableConcept"]!["coding"]![0]!["system"]!);
        });
    }

    [Fact]
    public void A_group_slot_is_left_to_the_prescriber_and_the_card_says_so()
    {
        var cards = RegimenCards(PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context()));
        var card = cards.Single(c => c.Summary.Contains("trastuzumab + chemotherapy", StringComparison.Ordinal));
        var actions = Assert.Single(card.Suggestions!).Actions!;

        var only = Assert.Single(actions);
        Assert.Equal("224905", (string)only.Resource!["medicationCodeableConcept"]!["coding"]![0]!["code"]!);
        Assert.Contains("chemotherapy — the prescriber chooses the agent; not proposed as an order.", card.Detail);
    }

    [Fact]
    public void An_agent_without_a_checked_code_is_proposed_by_text_and_the_card_says_so()
    {
        var document = Document(Example("first-line-de-novo-hr-positive.json"));
        var decision = Decide(Example("first-line-de-novo-hr-positive.json"));
        var card = RegimenCards(PatientViewCards.Build(decision, Context())).Single(c => c.Summary.Contains("nab-paclitaxel", StringComparison.Ordinal));
        var nab = Assert.Single(card.Suggestions![0].Actions!, a => (string)a.Resource!["medicationCodeableConcept"]!["text"]! == "nab-paclitaxel");

        Assert.Null(nab.Resource!["medicationCodeableConcept"]!["coding"]);
        Assert.Contains("nab-paclitaxel — no checked RxNorm code: proposed by name only.", card.Detail);
    }

    [Fact]
    public void The_decision_point_card_gives_line_resistance_and_the_lines_read()
    {
        var card = PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context())
            .Single(c => c.Source.Topic?.Code == "decision-point");

        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.Equal("Second-line therapy (line 2): 6 options ranked, 1 excluded; clinical resistance not met", card.Summary);
        Assert.Contains("| 1 | 1 | trastuzumab emtansine | 2019-10-07 to 2020-10-12 | stopped: progression; not at the first assessment |", card.Detail);
        Assert.Contains("### Clinical resistance to anti-HER2 therapy: not met", card.Detail);
    }

    [Fact]
    public void Safety_exclusions_and_alerts_become_warning_cards_and_never_suggestions()
    {
        var json = With("seed-case-1.json", ("lvef", new JsonObject { ["percent"] = 35, ["date"] = "2020-10-01" }));
        var document = Document(json);
        var decision = Decide(json);
        var cards = PatientViewCards.Build(decision, Context());

        // LVEF below 50% excludes every HER2-directed regimen: nothing to propose, and the card says why.
        Assert.Empty(document.Recommendations);
        var noOptions = cards[0];
        Assert.Equal("no-options", noOptions.Source.Topic?.Code);
        Assert.Contains(noOptions.Indicator, new[] { CardIndicator.Warning, CardIndicator.Critical });
        Assert.Contains("LVEF 35%", noOptions.Detail);
        Assert.StartsWith("No regimen to propose: Every regimen the sources support at this decision point is excluded", noOptions.Summary);
        Assert.All(cards, c => Assert.Null(c.Suggestions));
    }

    [Fact]
    public void A_warning_alert_gets_its_own_card()
    {
        var document = Document(Example("brain-metastases-fourth-line.json"));
        var decision = Decide(Example("brain-metastases-fourth-line.json"));
        var cards = PatientViewCards.Build(decision, Context());
        var warnings = document.Alerts.Where(a => a.Severity == "warning").ToArray();

        Assert.NotEmpty(warnings);
        foreach (var alert in warnings)
        {
            Assert.Contains(cards, c => c.Indicator == CardIndicator.Warning && c.Detail!.Contains(CardText.Escape(alert.Text), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Blocking_missing_data_is_a_warning_card_and_non_blocking_an_info_card()
    {
        var blocking = PatientViewCards.Build(Decide(With("first-line-de-novo-hr-positive.json",
            ("receptors", new JsonObject { ["er"] = "positive", ["pr"] = "negative" }))), Context());
        var missing = blocking.Single(c => c.Source.Topic?.Code == "missing-data");
        Assert.Equal(CardIndicator.Warning, missing.Indicator);
        Assert.StartsWith("Data needed before Herald can rank options:", missing.Summary);
        Assert.Contains("receptors.her2", missing.Summary);

        var helpful = PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context()).Single(c => c.Source.Topic?.Code == "missing-data");
        Assert.Equal(CardIndicator.Info, helpful.Indicator);
        Assert.Equal("Data that would sharpen the advice: lvef, ecog, canTakeOralDrugs", helpful.Summary);
    }

    [Fact]
    public void Unmapped_codes_and_mapping_notes_are_listed_in_an_info_card()
    {
        var context = Context() with
        {
            Unmapped = [new UnmappedCode("Observation/obs-7", "code", "HER2 result", "http://loinc.org", "99999-9", "HER2 odd test")],
            Notes = [new MappingNote("metastaticRegimens[0].agents", "RxNorm clinical drug 1371046 read as trastuzumab emtansine", "codes.md")],
        };
        var card = PatientViewCards.Build(Decide(Example("seed-case-1.json")), context).Last();

        Assert.Equal("fhir-mapping", card.Source.Topic?.Code);
        Assert.Equal(CardIndicator.Info, card.Indicator);
        Assert.StartsWith("1 FHIR code Herald could not map", card.Summary);
        Assert.Contains("| Observation/obs-7 | code | HER2 result | http://loinc.org | 99999-9 | HER2 odd test |", card.Detail);
        Assert.Contains("RxNorm clinical drug 1371046 read as trastuzumab emtansine", card.Detail);

        Assert.DoesNotContain(PatientViewCards.Build(Decide(Example("seed-case-1.json")), Context()), c => c.Source.Topic?.Code == "fhir-mapping");
    }

    [Fact]
    public void Card_ids_are_uuids_stable_per_hook_call_and_distinct_between_calls()
    {
        var document = Document(Example("seed-case-2.json"));
        var decision = Decide(Example("seed-case-2.json"));
        var first = PatientViewCards.BuildResponse(decision, Context());
        var again = PatientViewCards.BuildResponse(decision, Context());
        var other = PatientViewCards.BuildResponse(decision, Context() with { HookInstance = "0b9e3f4e-59a4-4a52-9e54-4d7a1bcb8a11" });

        Assert.Equal(first.CardIds, again.CardIds);
        Assert.Equal(first.CardIds.Count, first.CardIds.Distinct().Count());
        Assert.Empty(first.CardIds.Intersect(other.CardIds));
        Assert.All(first.CardIds, id => Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id));
        // One answer's cards share their first 8 bytes (the audit's card index keeps them together); another call's do not.
        Assert.Single(first.CardIds.Select(id => id[..18]).Distinct());
        Assert.NotEqual(first.CardIds[0][..18], other.CardIds[0][..18]);
        Assert.Equal(CardIds.For(HookInstance, PatientViewCards.Keys.DecisionPoint), first.Cards.Single(c => c.Source.Topic?.Code == "decision-point").Uuid);
    }

    [Fact]
    public void The_response_serializes_as_CDS_Hooks_JSON_without_nulls()
    {
        var json = CdsHooksJson.Serialize(PatientViewCards.BuildResponse(Decide(Example("seed-case-1.json")), Context()));
        using var parsed = JsonDocument.Parse(json);
        var card = parsed.RootElement.GetProperty("cards")[0];

        Assert.False(parsed.RootElement.TryGetProperty("systemActions", out _));
        Assert.True(card.TryGetProperty("uuid", out _));
        Assert.True(card.TryGetProperty("summary", out _));
        Assert.True(card.GetProperty("source").TryGetProperty("label", out _));
        Assert.False(card.GetProperty("source").TryGetProperty("url", out _));
        Assert.DoesNotContain("\"cardIds\"", json);
        Assert.Contains("\"resourceType\":\"MedicationRequest\"", json);
    }
}
