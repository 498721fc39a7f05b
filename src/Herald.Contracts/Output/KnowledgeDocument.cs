using Herald.Core.Decisions;
using Herald.Core.Knowledge;

namespace Herald.Contracts.Output;

// The knowledge base for browsing: every statement with its quote, source, edition and strength, every regimen
// and every trial. Knowledge-base order throughout, so the same knowledge base gives the same document.

public sealed record KnowledgeDocument(
    string Version,
    IReadOnlyList<EditionDocument> Editions,
    IReadOnlyList<KnowledgeStatementDocument> Statements,
    IReadOnlyList<KnowledgeRegimenDocument> Regimens,
    IReadOnlyList<KnowledgeTrialDocument> Trials);

public sealed record EditionDocument(string Id, string Name, string Description, bool IsDefault, IReadOnlyList<string> Includes);

public sealed record KnowledgeStatementDocument(
    string Id,
    string Edition,
    string Kind,
    string Title,
    string Source,
    string? SourceFile,
    string Voice,
    string Quote,
    string Strength,
    string StrengthLabel,
    string? Interpretation,
    IReadOnlyList<string> Trials);

public sealed record KnowledgeRegimenDocument(string Id, string Name, string Kind, IReadOnlyList<string> Agents, IReadOnlyList<string> Trials, string? Notes);

public sealed record KnowledgeTrialDocument(
    string Id,
    string Name,
    string? Nct,
    string Design,
    string Setting,
    string Arms,
    string? Publication,
    IReadOnlyList<ResultDocument> Results);

public static class KnowledgeDocumentMapper
{
    public static KnowledgeDocument Map(KnowledgeBase kb)
    {
        ArgumentNullException.ThrowIfNull(kb);
        return new KnowledgeDocument(
            kb.Version,
            kb.Editions.Select(e => new EditionDocument(e.Id, e.Name, e.Description, e.IsDefault, e.Includes.Select(i => i.Id).ToArray())).ToArray(),
            kb.Statements.Select(s => new KnowledgeStatementDocument(
                s.Id,
                s.Edition.Id,
                s.Kind.Id(),
                s.Title,
                DecisionText.Citation(s),
                s.Source.File,
                s.Voice,
                s.Quote,
                s.Strength.Id(),
                s.Strength.Label(),
                s.Interpretation,
                s.Trials.Select(t => t.Id).ToArray())).ToArray(),
            kb.Regimens.Select(r => new KnowledgeRegimenDocument(
                r.Id,
                r.Name,
                r.IsPlaceholder ? "placeholder" : "standard",
                kb.AgentNames(r.RequiredAgents).ToArray(),
                r.Evidence.Select(t => t.Id).ToArray(),
                r.Notes)).ToArray(),
            kb.Trials.Select(t => new KnowledgeTrialDocument(
                t.Id, t.Name, t.Nct, t.Design, t.Setting, t.Arms, t.Publication,
                t.Results.Select(DecisionDocumentMapper.Result).ToArray())).ToArray());
    }
}
