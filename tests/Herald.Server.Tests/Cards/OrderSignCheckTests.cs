using System.Text.Json.Nodes;
using Herald.Fhir;
using Herald.Fhir.Lines;
using Herald.Server.CdsHooks;
using static Herald.Server.Tests.Cards.CardTestKit;

namespace Herald.Server.Tests.Cards;

public sealed class OrderSignCheckTests
{
    private static readonly JsonObject RecentLvef = new() { ["percent"] = 60, ["date"] = "2020-10-01" };

    private static IReadOnlyList<Card> Check(string patientJson, params DraftOrder[] orders) =>
        OrderSignCheck.Evaluate(Decide(patientJson), orders, Context());

    private static DraftOrder Order(string id, params string[] agents) => new(id, id, agents, AgentMatch.Ingredient, string.Join(" + ", agents), null);

    [Fact]
    public void T_DXd_with_interstitial_lung_disease_is_critical()
    {
        var patient = With("seed-case-1.json", ("lvef", RecentLvef.DeepClone()), ("comorbidities", new JsonArray("interstitial-lung-disease")));

        var card = Assert.Single(Check(patient, Order("mr-1", "trastuzumab-deruxtecan")));

        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.StartsWith("Trastuzumab deruxtecan: excluded for this patient — Interstitial lung disease", card.Summary);
        Assert.Contains("History of interstitial lung disease or pneumonitis: T-DXd is avoided.", card.Detail);
        Assert.Contains("> In lieu of data to provide insight", card.Detail);
        Assert.Contains("`lung-disease-excludes-trastuzumab-deruxtecan`", card.Detail);
    }

    [Fact]
    public void Trastuzumab_with_LVEF_below_50_percent_is_critical()
    {
        var patient = With("seed-case-1.json", ("lvef", new JsonObject { ["percent"] = 42, ["date"] = "2020-10-01" }));

        var card = Assert.Single(Check(patient, Order("mr-1", "trastuzumab"), Order("mr-2", "letrozole")));

        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.StartsWith("Trastuzumab: excluded for this patient — LVEF below the threshold", card.Summary);
        Assert.Contains("LVEF 42%", card.Detail);
        // Only the trastuzumab order is offered for removal.
        var remove = Assert.Single(card.Suggestions!);
        Assert.Equal("MedicationRequest/mr-1", Assert.Single(remove.Actions!).ResourceId);
    }

    [Fact]
    public void A_regimen_the_patient_progressed_on_is_a_warning()
    {
        // Seed case 1 progressed on trastuzumab emtansine in the first metastatic line.
        var card = Assert.Single(Check(With("seed-case-1.json", ("lvef", RecentLvef.DeepClone())), Order("MedicationRequest/mr-9", "trastuzumab-emtansine")));

        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Equal("Trastuzumab emtansine: repeats line 1 (trastuzumab emtansine), which progressed", card.Summary);
        Assert.Contains("Progressed on line 1 (trastuzumab emtansine, 2019-10-07 to 2020-10-12).", card.Detail);
    }

    [Fact]
    public void A_drafted_regimen_that_contains_a_progressed_regimen_is_a_warning_but_its_backbone_alone_is_not()
    {
        // Seed case 2 progressed on pertuzumab + trastuzumab + docetaxel.
        var decision = Decide(With("seed-case-2.json", ("lvef", RecentLvef.DeepClone())));
        var progressedLine = decision.Facts.Lines.First(l => l.EndedByProgression && l.Agents.Count == 3);
        var agents = decision.Knowledge.AgentNames(progressedLine.Agents).Select(n => decision.Knowledge.FindAgent(n)!.Id).ToArray();

        var repeat = OrderSignCheck.Evaluate(decision, agents.Select((a, i) => Order($"mr-{i}", a)).ToArray(), Context());
        var backbone = OrderSignCheck.Evaluate(decision, [Order("mr-1", "trastuzumab")], Context());

        var card = Assert.Single(repeat);
        Assert.Equal(CardIndicator.Warning, card.Indicator);
        Assert.Contains($"repeats line {progressedLine.Number} (", card.Summary);
        Assert.Equal(agents.Length, card.Suggestions!.Count);
        Assert.Empty(backbone);
    }

    [Fact]
    public void A_paclitaxel_allergy_is_critical_and_docetaxel_is_allowed()
    {
        var patient = With("first-line-de-novo-hr-positive.json",
            ("allergies", new JsonArray(new JsonObject { ["substance"] = "paclitaxel", ["reaction"] = "anaphylaxis" })));

        var card = Assert.Single(Check(patient, Order("mr-1", "pertuzumab"), Order("mr-2", "trastuzumab"), Order("mr-3", "paclitaxel")));
        var allowed = Check(patient, Order("mr-1", "pertuzumab"), Order("mr-2", "trastuzumab"), Order("mr-3", "docetaxel"));

        Assert.Equal(CardIndicator.Critical, card.Indicator);
        Assert.StartsWith("Paclitaxel: excluded for this patient — Recorded allergy", card.Summary);
        Assert.Contains("Allergy recorded to paclitaxel.", card.Detail);
        Assert.Equal("MedicationRequest/mr-3", Assert.Single(Assert.Single(card.Suggestions!).Actions!).ResourceId);
        Assert.Empty(allowed);
    }

    [Fact]
    public void An_allowed_order_gets_no_card()
    {
        var patient = With("seed-case-1.json", ("lvef", RecentLvef.DeepClone()));

        Assert.Empty(Check(patient, Order("mr-1", "tucatinib"), Order("mr-2", "trastuzumab"), Order("mr-3", "capecitabine")));
        Assert.Empty(Check(patient, Order("mr-1", "trastuzumab-deruxtecan")));
    }

    [Fact]
    public void Agents_outside_anti_HER2_taxanes_and_capecitabine_are_not_checked()
    {
        // Even an allergy to letrozole gives no order-sign card: endocrine drugs are not checked.
        var patient = With("first-line-de-novo-hr-positive.json",
            ("allergies", new JsonArray(new JsonObject { ["substance"] = "letrozole" })));

        Assert.Empty(Check(patient, Order("mr-1", "letrozole")));
        Assert.Empty(Check(patient, Order("mr-1", "not-a-drug")));
    }

    [Fact]
    public void A_card_offers_override_reasons_with_displays_and_removal_of_the_draft()
    {
        var patient = With("seed-case-1.json", ("lvef", RecentLvef.DeepClone()), ("comorbidities", new JsonArray("pneumonitis")));
        var card = Assert.Single(Check(patient, new DraftOrder("tdxd-1", "tdxd-1", ["trastuzumab-deruxtecan"], AgentMatch.Ingredient, "Trastuzumab deruxtecan 5.4 mg/kg IV", null)));

        Assert.Equal(["benefit-outweighs-risk", "patient-informed-consent", "data-incorrect", "tumour-board-decision"], card.OverrideReasons!.Select(c => c.Code));
        Assert.All(card.OverrideReasons!, c => Assert.False(string.IsNullOrEmpty(c.Display)));
        Assert.All(card.OverrideReasons!, c => Assert.Equal(OrderSignCheck.OverrideReasonSystem, c.System));
        var action = Assert.Single(Assert.Single(card.Suggestions!).Actions!);
        Assert.Equal(CdsActionType.Delete, action.Type);
        Assert.Null(action.Resource);
        Assert.Equal("MedicationRequest/tdxd-1", action.ResourceId);
        Assert.Equal("any", card.SelectionBehavior);
        Assert.Contains("Trastuzumab deruxtecan 5.4 mg/kg IV", card.Detail);
        Assert.True(card.Summary.Length < 140);
    }

    [Fact]
    public void The_same_call_gives_the_same_card_id()
    {
        var patient = With("seed-case-1.json", ("lvef", RecentLvef.DeepClone()));
        var first = Check(patient, Order("mr-9", "trastuzumab-emtansine"));
        var again = Check(patient, Order("mr-9", "trastuzumab-emtansine"));

        Assert.Equal(first.Single().Uuid, again.Single().Uuid);
    }
}
