using System.Text;
using Herald.Core;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Fhir;

namespace Herald.Server.CdsHooks;

/// <summary>
/// The order-sign check. Only anti-HER2 agents (group her2-directed), taxanes (group taxane) and
/// capecitabine are checked. A card is returned when the engine excludes a drafted agent for this patient:
/// <list type="bullet">
/// <item>a safety rule excludes it (from the decision's excluded regimens, the "choose another partner"
/// notes on ranked regimens, or, for agents in no regimen of the edition, the rule itself): indicator
/// <c>critical</c> when the rule's severity is critical (LVEF below the threshold, heart failure, LVEF fall,
/// lung disease with T-DXd, allergy, contraindication, cannot take oral drugs), <c>warning</c> otherwise
/// (stopped for toxicity, not available, declined);</item>
/// <item>the drafted agents contain a regimen the patient already progressed on (the engine's progressed-on
/// exclusion, or a metastatic line that ended in progression whose agents are all drafted), unless a
/// statement in force allows re-treatment: indicator <c>warning</c>.</item>
/// </list>
/// Otherwise no card.
/// </summary>
public static class OrderSignCheck
{
    public const string OverrideReasonSystem = "https://herald.example.org/override-reason";

    /// <summary>The reasons a clinician may give for signing anyway (each with the display CDS Hooks requires).</summary>
    public static readonly IReadOnlyList<Coding> OverrideReasons =
    [
        new() { System = OverrideReasonSystem, Code = "benefit-outweighs-risk", Display = "Benefit outweighs the risk for this patient" },
        new() { System = OverrideReasonSystem, Code = "patient-informed-consent", Display = "Patient informed and consents" },
        new() { System = OverrideReasonSystem, Code = "data-incorrect", Display = "The recorded data are wrong or out of date" },
        new() { System = OverrideReasonSystem, Code = "tumour-board-decision", Display = "Decided by the tumour board" },
    ];

    private const string CheckedGroupsText = "anti-HER2 agents, taxanes and capecitabine";

    public static CdsResponse EvaluateResponse(Decision decision, IReadOnlyList<DraftOrder> orders, CardContext context) =>
        new() { Cards = Evaluate(decision, orders, context) };

    public static IReadOnlyList<Card> Evaluate(Decision decision, IReadOnlyList<DraftOrder> orders, CardContext context)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(orders);
        ArgumentNullException.ThrowIfNull(context);

        var kb = decision.Knowledge;
        var checkedAgents = CheckedAgents(kb);
        var orderAgents = orders.Select(o => AgentsOf(o, kb)).ToArray();
        var drafted = orderAgents.Aggregate(AgentSet.Empty, (all, set) => all | set);
        var draftedChecked = drafted & checkedAgents;
        if (draftedChecked.IsEmpty)
        {
            return [];
        }

        var findings = new List<Finding>();
        var facts = decision.Facts;

        // 1. The engine's exclusions of whole regimens.
        foreach (var verdict in decision.Excluded)
        {
            foreach (var reason in verdict.Reasons)
            {
                if (reason.Code == ReasonCode.SafetyRule && reason.Rule is { } rule)
                {
                    Add(findings, "rule/" + rule.Id, rule, null, reason.Agents & draftedChecked, () => DecisionText.Reason(reason, decision));
                }
                else if (reason.Code == ReasonCode.ProgressedOn && reason.Rule is { } progressed && reason.Line is { } line
                         && !verdict.Agents.IsEmpty && verdict.Agents.IsSubsetOf(drafted) && verdict.Agents.Overlaps(checkedAgents))
                {
                    Add(findings, "progressed/" + line.Number, progressed, line, verdict.Agents & drafted, () => DecisionText.Reason(reason, decision));
                }
            }
        }

        // 2. An exclusion that hit only some choices of an open slot ("a taxane"): "choose another partner".
        foreach (var option in decision.Recommendations)
        {
            foreach (var note in option.Cautions)
            {
                if (note.Kind == NoteKind.PartnerToAvoid && note.Rule is { Effect: SafetyEffect.Exclude } rule
                    && rule.Target.Dynamic != DynamicTarget.ProgressedOnRegimens)
                {
                    Add(findings, "rule/" + rule.Id, rule, null, note.Agents & draftedChecked, () => DecisionText.Note(note, facts));
                }
            }
        }

        // 3. Agents in no regimen of the edition: the exclusion rules themselves.
        foreach (var rule in kb.SafetyRules)
        {
            if (rule.Effect != SafetyEffect.Exclude || rule.Target.Dynamic == DynamicTarget.ProgressedOnRegimens
                || findings.Any(f => f.Key == "rule/" + rule.Id) || rule.When.Evaluate(facts) != Tri.True)
            {
                continue;
            }

            var hit = Targeted(rule, decision) & draftedChecked;
            Add(findings, "rule/" + rule.Id, rule, null, hit, () => DecisionText.Fill(rule.Text, facts, hit));
        }

        // 4. A regimen the patient progressed on, drafted again (whether or not the edition lists it here).
        var progressedRule = kb.SafetyRules.FirstOrDefault(r => r.Target.Dynamic == DynamicTarget.ProgressedOnRegimens);
        foreach (var line in facts.Lines)
        {
            if (progressedRule is null || !line.EndedByProgression || line.Agents.IsEmpty
                || !line.Agents.IsSubsetOf(drafted) || !line.Agents.Overlaps(checkedAgents)
                || RetreatmentAllowed(decision, line) || findings.Any(f => f.Key == "progressed/" + line.Number))
            {
                continue;
            }

            var reason = new Reason(ReasonCode.ProgressedOn, null, progressedRule, line.Agents, line, null);
            Add(findings, "progressed/" + line.Number, progressedRule, line, line.Agents, () => DecisionText.Reason(reason, decision));
        }

        // An early-disease regimen the disease relapsed during or soon after, drafted again: it counts as progression on it.
        for (var i = 0; i < facts.EarlyFailures.Count; i++)
        {
            var failure = facts.EarlyFailures[i];
            if (progressedRule is null || !failure.Agents.IsSubsetOf(drafted) || !failure.Agents.Overlaps(checkedAgents))
            {
                continue;
            }

            var reason = new Reason(ReasonCode.ProgressedOn, null, progressedRule, failure.Agents, null, null, Early: failure);
            Add(findings, "progressed/early/" + i, progressedRule, null, failure.Agents, () => DecisionText.Reason(reason, decision));
        }

        return findings.Select(f => Card(f, orders, orderAgents, decision, context)).ToArray();
    }

    /// <summary>Anti-HER2 agents, taxanes and capecitabine: the agents this check looks at.</summary>
    public static AgentSet CheckedAgents(KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(kb);
        var set = kb.Her2Directed | kb.Taxanes;
        if (kb.FindGroup("her2-directed") is { } her2)
        {
            set |= her2.Members;
        }

        if (kb.FindGroup("taxane") is { } taxanes)
        {
            set |= taxanes.Members;
        }

        if (kb.Agents.FirstOrDefault(a => a.Id == "capecitabine") is { } capecitabine)
        {
            set |= AgentSet.Of(capecitabine.Index);
        }

        return set;
    }

    private sealed class Finding(string key, SafetyRule rule, TherapyLine? line, string text)
    {
        public string Key { get; } = key;

        public SafetyRule Rule { get; } = rule;

        public TherapyLine? Line { get; } = line;

        public string Text { get; } = text;

        public AgentSet Agents { get; set; }
    }

    private static void Add(List<Finding> findings, string key, SafetyRule rule, TherapyLine? line, AgentSet agents, Func<string> text)
    {
        if (agents.IsEmpty)
        {
            return;
        }

        var finding = findings.FirstOrDefault(f => f.Key == key);
        if (finding is null)
        {
            finding = new Finding(key, rule, line, text());
            findings.Add(finding);
        }

        finding.Agents |= agents;
    }

    private static AgentSet Targeted(SafetyRule rule, Decision decision)
    {
        var facts = decision.Facts;
        var patient = facts.Patient;
        var targeted = rule.Target.Agents;
        foreach (var regimen in rule.Target.Regimens)
        {
            targeted |= regimen.RequiredAgents;
        }

        return targeted | rule.Target.Dynamic switch
        {
            DynamicTarget.AllergyAgents => facts.AllergyAgents,
            DynamicTarget.ContraindicatedAgents => facts.ContraindicatedAgents,
            DynamicTarget.ToxicityAgents => facts.ToxicityAgents,
            DynamicTarget.UnavailableAgents => patient.Unavailable,
            DynamicTarget.DeclinedAgents => patient.Preferences.Declined,
            _ => AgentSet.Empty,
        };
    }

    // A statement in force that offers re-treatment after progression on this line (the engine ranked it).
    private static bool RetreatmentAllowed(Decision decision, TherapyLine line) =>
        decision.Recommendations.Any(o => o.Cautions.Any(n => n.Kind == NoteKind.RetreatmentAllowed && n.Line?.Number == line.Number));

    private static AgentSet AgentsOf(DraftOrder order, KnowledgeBase kb)
    {
        var set = AgentSet.Empty;
        foreach (var id in order.Agents)
        {
            var agent = kb.Agents.FirstOrDefault(a => a.Id == id) ?? kb.FindAgent(id);
            if (agent is not null)
            {
                set |= AgentSet.Of(agent.Index);
            }
        }

        return set;
    }

    private static Card Card(Finding finding, IReadOnlyList<DraftOrder> orders, AgentSet[] orderAgents, Decision decision, CardContext context)
    {
        var kb = decision.Knowledge;
        var rule = finding.Rule;
        var progressed = finding.Line is not null;
        var names = kb.DescribeAgents(finding.Agents);
        var indicator = !progressed && rule.Severity == Severity.Critical ? CardIndicator.Critical : CardIndicator.Warning;

        var summary = progressed
            ? $"{CardText.Capitalize(names)}: repeats line {finding.Line!.Number} ({kb.DescribeAgents(finding.Line.Agents)}), which progressed"
            : $"{CardText.Capitalize(names)}: excluded for this patient — {rule.Title}";

        var affected = new List<DraftOrder>();
        for (var i = 0; i < orders.Count; i++)
        {
            if (orderAgents[i].Overlaps(finding.Agents))
            {
                affected.Add(orders[i]);
            }
        }

        var md = new StringBuilder();
        md.Append("**").Append(CardText.Escape(CardText.Capitalize(names))).Append("** ")
          .Append(progressed ? "repeats a regimen the patient progressed on." : "is excluded for this patient.").Append("\n\n");
        md.Append(CardText.Escape(finding.Text)).Append("\n\n");
        if (rule.Quote is { } quote)
        {
            md.Append(CardText.Blockquote(quote)).Append("\n\n");
        }

        md.Append("Source: ").Append(CardText.Escape(rule.Source.Citation)).Append(" (safety rule `").Append(rule.Id).Append("`).\n");
        if (rule.Interpretation is { } reading)
        {
            md.Append("\n*How Herald reads it:* ").Append(CardText.Escape(reading)).Append('\n');
        }

        md.Append("\n#### Draft orders concerned\n\n");
        foreach (var order in affected)
        {
            md.Append("- ").Append(CardText.Escape(order.Display ?? string.Join(" + ", order.Agents)))
              .Append(" (`").Append(RelativeReference(order.Reference)).Append("`)\n");
        }

        var top = decision.Recommendations.Where(r => r.Rank == 1).ToArray();
        if (top.Length > 0)
        {
            md.Append("\nHerald's first-ranked option here: ")
              .Append(CardText.Escape(string.Join("; ", top.Select(r => DecisionText.RegimenName(r.Regimen, r.Agents, kb)))))
              .Append(" (open the patient for the full ranking).\n");
        }

        md.Append("\nOnly ").Append(CheckedGroupsText).Append(" are checked. To sign anyway, give an override reason.\n");

        var suggestions = affected.Select(order => new Suggestion
        {
            Label = CardText.Summary($"Remove the draft order: {order.Display ?? string.Join(" + ", order.Agents)}"),
            Uuid = CardIds.For(context.HookInstance, $"order-sign/{finding.Key}/remove/{RelativeReference(order.Reference)}"),
            Actions =
            [
                new CdsAction
                {
                    Type = CdsActionType.Delete,
                    Description = $"Remove the draft order {RelativeReference(order.Reference)}.",
                    ResourceId = RelativeReference(order.Reference),
                },
            ],
        }).ToArray();

        return new Card
        {
            Uuid = CardIds.For(context.HookInstance, "order-sign/" + finding.Key),
            Summary = CardText.Summary(summary),
            Detail = md.ToString(),
            Indicator = indicator,
            Source = new CardSource
            {
                Label = $"Herald — {decision.Edition.Name}",
                Url = context.SourceUrl,
                Topic = new Coding { System = PatientViewCards.TopicSystem, Code = "order-check", Display = "Order check" },
            },
            Suggestions = suggestions.Length == 0 ? null : suggestions,
            SelectionBehavior = suggestions.Length == 0 ? null : "any",
            OverrideReasons = OverrideReasons,
        };
    }

    /// <summary>A relative reference for the delete action: a bare id is a MedicationRequest id.</summary>
    public static string RelativeReference(string resourceId) =>
        resourceId.Contains('/', StringComparison.Ordinal) ? resourceId : "MedicationRequest/" + resourceId;
}
