using Herald.Contracts.Output;
using Herald.Core.Conditions;
using Herald.Core.Knowledge;
using Spectre.Console;
using static Herald.Cli.Rendering.KnowledgeWords;

namespace Herald.Cli.Rendering;

/// <summary>
/// <c>herald kb show</c>: any entity by id, every field. Ids are unique within a kind; when kinds share an
/// id (a group and a regimen, say) each is shown.
/// </summary>
internal static class EntityRenderer
{
    public static bool Render(string id, KnowledgeBase kb, IAnsiConsole console)
    {
        var blocks = new Blocks(console);
        var shown = 0;
        void Next()
        {
            if (shown++ > 0)
            {
                blocks.Blank();
            }
        }

        if (kb.FindStatement(id) is { } statement)
        {
            Next();
            Statement(statement, kb, blocks);
        }

        if (kb.FindRegimen(id) is { } regimen)
        {
            Next();
            Regimen(regimen, kb, blocks);
        }

        if (kb.Agents.FirstOrDefault(a => a.Id == id) is { } agent)
        {
            Next();
            Agent(agent, kb, blocks);
        }

        if (kb.Groups.FirstOrDefault(g => g.Id == id) is { } group)
        {
            Next();
            Group(group, kb, blocks);
        }

        if (kb.FindTrial(id) is { } trial)
        {
            Next();
            Trial(trial, kb, blocks);
        }

        if (kb.FindEdition(id) is { } edition)
        {
            Next();
            Edition(edition, blocks);
        }

        if (kb.SafetyRules.FirstOrDefault(r => r.Id == id) is { } rule)
        {
            Next();
            Rule(rule, kb, blocks);
        }

        if (kb.Parameters.FirstOrDefault(p => p.Id == id) is { } parameter)
        {
            Next();
            Parameter(parameter, blocks);
        }

        if (kb.Sources.FirstOrDefault(s => s.Id == id) is { } source)
        {
            Next();
            Source(source, kb, blocks);
        }

        if (FactCatalog.FindFact(id) is { } fact)
        {
            Next();
            Heading(blocks, "Fact", fact.Name, fact.Meaning);
            Field(blocks, "Kind", "true/false (unknown when the input does not say)");
            Field(blocks, "Asked for when unknown", fact.Missing is { } m ? $"{m.Field}: {m.Request}" : "never unknown");
        }

        if (FactCatalog.FindAgentFact(id) is { } agentFact)
        {
            Next();
            Heading(blocks, "Fact about agents", $"{agentFact.Name}(agent-or-group)", AgentFactMeaning(agentFact));
            Field(blocks, "Kind", "true/false; takes one agent or group id in parentheses");
        }

        if (FactCatalog.FindNumericFact(id) is { } numeric)
        {
            Next();
            Heading(blocks, "Numeric fact", numeric.Name, numeric.Meaning);
            Field(blocks, "Kind", "a number, compared with >=, <=, >, <, =");
            Field(blocks, "Asked for when unknown", numeric.Missing is { } m ? $"{m.Field}: {m.Request}" : "never unknown");
        }

        return shown > 0;
    }

    /// <summary>Ids of any kind that contain the text, for a "did you mean" hint.</summary>
    public static IReadOnlyList<string> SimilarIds(string text, KnowledgeBase kb) =>
        AllIds(kb).Where(i => i.Contains(text, StringComparison.OrdinalIgnoreCase) || text.Contains(i, StringComparison.OrdinalIgnoreCase))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Take(8)
            .ToArray();

    private static IEnumerable<string> AllIds(KnowledgeBase kb) =>
        kb.Statements.Select(s => s.Id)
            .Concat(kb.Regimens.Select(r => r.Id))
            .Concat(kb.Agents.Select(a => a.Id))
            .Concat(kb.Groups.Select(g => g.Id))
            .Concat(kb.Trials.Select(t => t.Id))
            .Concat(kb.Editions.Select(e => e.Id))
            .Concat(kb.SafetyRules.Select(r => r.Id))
            .Concat(kb.Parameters.Select(p => p.Id))
            .Concat(kb.Sources.Select(s => s.Id))
            .Concat(FactCatalog.Facts.Select(f => f.Name))
            .Concat(FactCatalog.AgentFacts.Select(f => f.Name))
            .Concat(FactCatalog.NumericFacts.Select(f => f.Name));

    /// <summary>Labels padded to one width so that most values line up.</summary>
    private static void Field(Blocks blocks, string label, string value) => blocks.Field(label, value, 2, 16);

    private static void Heading(Blocks blocks, string kind, string id, string title)
    {
        blocks.Title($"{kind} {id}");
        blocks.Para(title, 2);
        blocks.Blank();
    }

    private static void Statement(Statement s, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Statement", s.Id, s.Title);
        Field(blocks, "Edition", $"{s.Edition.Id} ({s.Edition.Name})");
        Field(blocks, "Kind", s.Kind.Id());
        Field(blocks, "Source", $"{s.Source.Citation} [{s.Source.Id}]");
        Field(blocks, "Source file", s.Source.File ?? "none (not a seed)");
        Field(blocks, "Section", s.Section);
        Field(blocks, "Voice", s.Voice);
        Field(blocks, "Strength", $"{s.Strength.Id()}: {s.Strength.Label()}");
        Field(blocks, "Settings", s.At.Ids());
        Field(blocks, "Condition", s.When.Text);
        Field(blocks, "Quote", s.Quote.Length > 0 ? $"\u201C{s.Quote}\u201D" : "none (the source is silent here)");
        if (s.Interpretation is { } interpretation)
        {
            Field(blocks, "Interpretation", interpretation);
        }

        foreach (var action in s.Recommends)
        {
            var when = action.When is { } w ? $", when {w.Text}" : "";
            var retreat = action.AllowsRetreatment ? ", allows re-treatment after progression" : "";
            var note = action.Note is { } n ? $". Note: {n}" : "";
            Field(blocks, "Recommends", $"{action.Regimen.Id} ({action.Preference.Id()}{when}{retreat}){note}");
        }

        foreach (var regimen in s.NotRecommended)
        {
            Field(blocks, "Not recommended", regimen.Id);
        }

        foreach (var caution in s.Cautions)
        {
            var when = caution.When is { } w ? $" when {w.Text}" : "";
            var weighs = caution.WeighsAgainst ? "; weighs against" : "";
            Field(blocks, "Caution", $"on {caution.Target.Describe(kb)}{when}{weighs}: {caution.Text}");
        }

        foreach (var alert in s.Alerts)
        {
            var when = alert.When is { } w ? $" when {w.Text}" : "";
            Field(blocks, "Alert", $"{alert.Severity.Id()}{when}: {alert.Text}");
        }

        if (s.Evidence.Count > 0)
        {
            Field(blocks, "Evidence", KnowledgeWords.Trials(s.Evidence));
        }

        if (s.Trials.Count > 0)
        {
            Field(blocks, "Trials to consider", KnowledgeWords.Trials(s.Trials));
        }

        Field(blocks, "Supersedes", s.Supersedes.Count > 0 ? string.Join(", ", s.Supersedes.Select(x => x.Id)) : "nothing");
        var supersededBy = kb.Statements.Where(x => x.Supersedes.Contains(s)).Select(x => x.Id).ToArray();
        if (supersededBy.Length > 0)
        {
            Field(blocks, "Superseded by", $"{string.Join(", ", supersededBy)} (where both apply, in a combined edition)");
        }
    }

    private static void Regimen(Regimen r, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Regimen", r.Id, r.Name);
        Field(blocks, "Kind", r.Kind.Id());
        Field(blocks, "Components", r.Components.Count > 0 ? string.Join(" + ", r.Components.Select(c => c.Agent is { } a ? a.Name : $"{c.Group!.Name} (any of: {kb.DescribeAgents(c.Group.Members, ", ")})")) : "the patient's current regimen");
        Field(blocks, "Family", r.Family);
        Field(blocks, "Evidence", r.Evidence.Count > 0 ? KnowledgeWords.Trials(r.Evidence) : "none named");
        if (r.Notes is { } notes)
        {
            Field(blocks, "Notes", notes);
        }

        var mentions = kb.Statements.Where(s => s.Recommends.Any(a => a.Regimen == r) || s.NotRecommended.Contains(r)).Select(s => s.Id).ToArray();
        Field(blocks, "Statements", mentions.Length > 0 ? string.Join(", ", mentions) : "none");
    }

    private static void Agent(Agent a, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Agent", a.Id, a.Name);
        Field(blocks, "Abbreviation", a.Abbreviation ?? "none");
        Field(blocks, "Class", a.Class.Id());
        Field(blocks, "HER2-directed", a.IsHer2Directed ? "yes" : "no");
        Field(blocks, "Routes", Routes(a));
        Field(blocks, "Aliases", a.Aliases.Count > 0 ? string.Join(", ", a.Aliases) : "none");
        Field(blocks, "RxNorm", a.RxNorm is { } code ? $"{code.Code} (confidence {code.Confidence.Id()}){(code.Note is { } n ? $": {n}" : "")}" : "none");
        var groups = kb.Groups.Where(g => g.Members.Contains(a)).Select(g => g.Id).ToArray();
        Field(blocks, "Groups", groups.Length > 0 ? string.Join(", ", groups) : "none");
    }

    private static void Group(AgentGroup g, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Agent group", g.Id, g.Name);
        Field(blocks, "Description", g.Description);
        Field(blocks, "Members", kb.DescribeAgents(g.Members, ", "));
    }

    private static void Trial(Trial t, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Trial", t.Id, t.Name);
        Field(blocks, "NCT", t.Nct ?? "none given");
        Field(blocks, "Design", t.Design);
        Field(blocks, "Setting", t.Setting);
        Field(blocks, "Arms", t.Arms);
        foreach (var result in t.Results)
        {
            Field(blocks, "Result", DecisionView.Result(result));
        }

        Field(blocks, "Publication", t.Publication ?? "none given");
        Field(blocks, "Status in the seeds", t.StatusInSeeds ?? "not given");
        Field(blocks, "Source", $"{t.Source.Citation} [{t.Source.Id}]");
    }

    private static void Edition(Edition e, Blocks blocks)
    {
        Heading(blocks, "Edition", e.Id, e.Name);
        Field(blocks, "Description", e.Description);
        Field(blocks, "Precedence", $"{Number(e.Precedence)} (higher is newer)");
        Field(blocks, "Default", e.IsDefault ? "yes" : "no");
        Field(blocks, "Sources", string.Join("; ", e.Sources.Select(s => $"{s.Id}: {s.Citation}")));
        if (e.IsCombined)
        {
            Field(blocks, "Combines", KnowledgeWords.Editions(e));
        }

        Field(blocks, "Statements in force", Number(e.Statements.Count));
        Field(blocks, "Regimens mentioned", string.Join(", ", e.Regimens.Select(r => r.Id)));
    }

    private static void Rule(SafetyRule r, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Safety rule", r.Id, r.Title);
        Field(blocks, "Condition", r.When.Text);
        Field(blocks, "Target", r.Target.Describe(kb) is { Length: > 0 } target ? target : "none (decision-level)");
        Field(blocks, "Effect", r.Effect.Id());
        Field(blocks, "Severity", r.Severity.Id());
        Field(blocks, "Text", r.Text);
        Field(blocks, "Source", $"{r.Source.Citation} [{r.Source.Id}]");
        if (r.Quote is { } quote)
        {
            Field(blocks, "Quote", $"\u201C{quote}\u201D");
        }

        if (r.Interpretation is { } interpretation)
        {
            Field(blocks, "Interpretation", interpretation);
        }

        Field(blocks, "Strength", $"{r.Strength.Id()}: {r.Strength.Label()}");
        if (r.Trials.Count > 0)
        {
            Field(blocks, "Trials to consider", KnowledgeWords.Trials(r.Trials));
        }
    }

    private static void Parameter(Parameter p, Blocks blocks)
    {
        Heading(blocks, "Parameter", p.Id, $"{Number(p.Value)} {p.Unit}");
        Field(blocks, "Basis", p.Basis);
    }

    private static void Source(Source s, KnowledgeBase kb, Blocks blocks)
    {
        Heading(blocks, "Source", s.Id, s.Title);
        Field(blocks, "Citation", s.Citation);
        Field(blocks, "Year", Number(s.Year));
        Field(blocks, "File", s.File ?? "none (not a seed)");
        var editions = kb.Editions.Where(e => e.Sources.Contains(s)).Select(e => e.Id).ToArray();
        Field(blocks, "Editions", editions.Length > 0 ? string.Join(", ", editions) : "none");
    }
}
