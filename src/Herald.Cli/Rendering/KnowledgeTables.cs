using Herald.Core.Conditions;
using Herald.Core.Knowledge;
using Spectre.Console;
using static Herald.Cli.Rendering.KnowledgeWords;

namespace Herald.Cli.Rendering;

/// <summary>The tables of <c>herald kb list</c>, one per kind of entity, in knowledge-base order.</summary>
internal static class KnowledgeTables
{
    private sealed record Listing(string Title, Table Table, string? Note = null);

    /// <summary>Writes the title, the table and any note under it (the title and note as plain lines).</summary>
    public static void Render(string? subject, KnowledgeBase kb, Edition? edition, Blocks blocks)
    {
        var listing = subject switch
        {
            "statements" => Statements(kb, edition),
            "regimens" => Regimens(kb, edition),
            "agents" => Agents(kb),
            "groups" => Groups(kb),
            "trials" => Trials(kb),
            "editions" => Editions(kb),
            "rules" => Rules(kb),
            "facts" => Facts(),
            "parameters" => Parameters(kb),
            "sources" => Sources(kb, edition),
            _ => Summary(kb),
        };
        blocks.Title(listing.Title);
        listing.Table.Columns[0].NoWrap();
        blocks.Write(listing.Table);
        if (listing.Note is { } note)
        {
            blocks.Para(note, 0, "dim");
        }
    }

    private static Listing Summary(KnowledgeBase kb)
    {
        var table = Blocks.Table("Subject", "Count", "List with");
        void Row(string subject, int count) => table.AddRow(subject, Number(count), $"herald kb list {subject}");
        Row("statements", kb.Statements.Count);
        Row("regimens", kb.Regimens.Count);
        Row("agents", kb.Agents.Count);
        Row("groups", kb.Groups.Count);
        Row("trials", kb.Trials.Count);
        Row("editions", kb.Editions.Count);
        Row("rules", kb.SafetyRules.Count);
        Row("facts", FactCatalog.Facts.Count + FactCatalog.AgentFacts.Count + FactCatalog.NumericFacts.Count);
        Row("parameters", kb.Parameters.Count);
        Row("sources", kb.Sources.Count);
        return new Listing($"Knowledge base {kb.Version}", table, "'herald kb show <id>' shows any entity in full.");
    }

    private static Listing Statements(KnowledgeBase kb, Edition? edition)
    {
        var statements = edition?.Statements ?? kb.Statements;

        // Short values share one cell, one per line, to leave the title room.
        var table = Blocks.Table("Id", "Edition, kind, strength", "Settings", "Title");
        table.Columns[2].Width = 20;
        foreach (var s in statements)
        {
            table.AddRow(Cell(s.Id), Cell($"{s.Edition.Id}\n{s.Kind.Id()}\n{s.Strength.Id()}"), Cell(s.At.Ids()), Cell(s.Title));
        }

        return new Listing(
            edition is null ? $"Statements ({statements.Count}, all editions)" : $"Statements in force in {edition.Id} ({statements.Count})",
            table);
    }

    private static Listing Regimens(KnowledgeBase kb, Edition? edition)
    {
        var regimens = edition?.Regimens ?? kb.Regimens;
        var table = Blocks.Table("Id", "Name", "Kind", "Components", "Family", "Evidence");
        foreach (var r in regimens)
        {
            table.AddRow(Cell(r.Id), Cell(r.Name), Cell(r.Kind.Id()), Cell(Components(r)), Cell(r.Family), Cell(KnowledgeWords.Trials(r.Evidence)));
        }

        return new Listing(
            edition is null ? $"Regimens ({regimens.Count})" : $"Regimens the statements of {edition.Id} mention ({regimens.Count})",
            table);
    }

    private static Listing Agents(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Name", "Abbreviation", "Class", "Routes", "Aliases", "RxNorm");
        foreach (var a in kb.Agents)
        {
            table.AddRow(Cell(a.Id), Cell(a.Name), Cell(a.Abbreviation ?? ""), Cell(a.Class.Id()), Cell(Routes(a)), Cell(string.Join(", ", a.Aliases)), Cell(RxNorm(a)));
        }

        return new Listing($"Agents ({kb.Agents.Count})", table);
    }

    private static Listing Groups(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Name", "Members", "Description");
        foreach (var g in kb.Groups)
        {
            table.AddRow(Cell(g.Id), Cell(g.Name), Cell(kb.DescribeAgents(g.Members, ", ")), Cell(g.Description));
        }

        return new Listing($"Agent groups ({kb.Groups.Count})", table);
    }

    private static Listing Trials(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Name", "NCT", "Design", "Setting", "Status in the seeds");
        foreach (var t in kb.Trials)
        {
            table.AddRow(Cell(t.Id), Cell(t.Name), Cell(t.Nct ?? ""), Cell(t.Design), Cell(t.Setting), Cell(t.StatusInSeeds ?? ""));
        }

        return new Listing($"Trials ({kb.Trials.Count})", table);
    }

    private static Listing Editions(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Name", "Precedence", "Default", "Sources", "Combines", "Statements in force");
        foreach (var e in kb.Editions)
        {
            table.AddRow(
                Cell(e.Id), Cell(e.Name), Cell(Number(e.Precedence)), Cell(e.IsDefault ? "yes" : ""), Cell(KnowledgeWords.Sources(e)),
                Cell(KnowledgeWords.Editions(e)), Cell(Number(e.Statements.Count)));
        }

        return new Listing($"Editions ({kb.Editions.Count})", table, "A higher precedence is newer: in a combined edition the newest statement about a regimen ranks it.");
    }

    private static Listing Rules(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Effect", "Severity", "When", "Target", "Title");
        foreach (var r in kb.SafetyRules)
        {
            table.AddRow(Cell(r.Id), Cell(r.Effect.Id()), Cell(r.Severity.Id()), Cell(r.When.Text), Cell(r.Target.Describe(kb)), Cell(r.Title));
        }

        return new Listing($"Safety rules ({kb.SafetyRules.Count}; they apply in every edition)", table);
    }

    private static Listing Facts()
    {
        var table = Blocks.Table("Fact", "Kind", "Meaning", "Asked for when unknown");
        table.Columns[1].NoWrap();
        foreach (var f in FactCatalog.Facts)
        {
            table.AddRow(Cell(f.Name), Cell("true/false"), Cell(f.Meaning), Cell(f.Missing?.Field ?? ""));
        }

        foreach (var f in FactCatalog.AgentFacts)
        {
            table.AddRow(Cell($"{f.Name}(agent)"), Cell("about agents"), Cell(AgentFactMeaning(f)), Cell(""));
        }

        foreach (var f in FactCatalog.NumericFacts)
        {
            table.AddRow(Cell(f.Name), Cell("number"), Cell(f.Meaning), Cell(f.Missing?.Field ?? ""));
        }

        return new Listing(
            $"Facts of the condition language ({FactCatalog.Facts.Count} true/false, {FactCatalog.AgentFacts.Count} about agents, {FactCatalog.NumericFacts.Count} numeric)",
            table,
            "Conditions combine facts with and, or, not and parentheses; numbers compare with >=, <=, >, <, = " +
            "(e.g. 'line >= 3 and not received(pertuzumab)'). An agent fact takes one agent or group id in parentheses.");
    }

    private static Listing Parameters(KnowledgeBase kb)
    {
        var table = Blocks.Table("Id", "Value", "Unit", "Basis");
        foreach (var p in kb.Parameters)
        {
            table.AddRow(Cell(p.Id), Cell(Number(p.Value)), Cell(p.Unit), Cell(p.Basis));
        }

        return new Listing($"Parameters ({kb.Parameters.Count})", table);
    }

    private static Listing Sources(KnowledgeBase kb, Edition? edition)
    {
        var sources = edition?.Sources ?? kb.Sources;
        var table = Blocks.Table("Id", "Citation", "Year", "File", "Title");
        foreach (var s in sources)
        {
            table.AddRow(Cell(s.Id), Cell(s.Citation), Cell(Number(s.Year)), Cell(s.File ?? ""), Cell(s.Title));
        }

        return new Listing(edition is null ? $"Sources ({sources.Count})" : $"Sources of {edition.Id} ({sources.Count})", table);
    }

    private static Text Cell(string text) => new(text);
}
