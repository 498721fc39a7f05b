namespace Herald.Core.Knowledge.Definitions;

// The knowledge files as written (knowledge/*.yaml), before references are resolved.
// The loader fills Location so that every compile error can name the file and line.

public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}

public abstract class Located
{
    public SourceLocation? Location { get; set; }
}

public sealed class KnowledgeDocument
{
    public string Version { get; set; } = "";

    public List<SourceDefinition> Sources { get; set; } = [];

    public List<ParameterDefinition> Parameters { get; set; } = [];

    public List<AgentDefinition> Agents { get; set; } = [];

    public List<GroupDefinition> Groups { get; set; } = [];

    public List<RegimenDefinition> Regimens { get; set; } = [];

    public List<TrialDefinition> Trials { get; set; } = [];

    public List<EditionDefinition> Editions { get; set; } = [];

    public List<StatementFile> StatementFiles { get; set; } = [];

    public List<SafetyRuleDefinition> SafetyRules { get; set; } = [];
}

public sealed class SourceDefinition : Located
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? File { get; set; }

    public int Year { get; set; }

    public string? Citation { get; set; }

    public List<LaterEditionDefinition> LaterEditions { get; set; } = [];
}

public sealed class LaterEditionDefinition
{
    public int Year { get; set; }

    public string? Citation { get; set; }

    public string? Change { get; set; }

    public bool RevisesRecommendations { get; set; }

    public string? Source { get; set; }
}

public sealed class ParameterDefinition : Located
{
    public string? Id { get; set; }

    public double Value { get; set; }

    public string? Unit { get; set; }

    public string? Basis { get; set; }
}

public sealed class CodeDefinition
{
    public string? Code { get; set; }

    public string? Confidence { get; set; }

    public string? Note { get; set; }
}

public sealed class AgentDefinition : Located
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Abbreviation { get; set; }

    public string? Class { get; set; }

    public List<string> Aliases { get; set; } = [];

    public List<string> Routes { get; set; } = [];

    public CodeDefinition? Rxnorm { get; set; }
}

public sealed class GroupDefinition : Located
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Every agent of these classes belongs to the group.</summary>
    public List<string> Classes { get; set; } = [];

    /// <summary>Named agents that belong to the group.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>Agents whose only routes are these (e.g. [oral]).</summary>
    public List<string> OnlyRoutes { get; set; } = [];
}

public sealed class RegimenDefinition : Located
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Kind { get; set; }

    public List<string> Components { get; set; } = [];

    public string? Family { get; set; }

    public List<string> Evidence { get; set; } = [];

    public string? Notes { get; set; }
}

public sealed class TrialResultDefinition
{
    public string? Endpoint { get; set; }

    public string? Analysis { get; set; }

    public string? Text { get; set; }

    public bool Verified { get; set; }

    public string? Source { get; set; }
}

public sealed class TrialDefinition : Located
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Nct { get; set; }

    public string? Design { get; set; }

    public string? Setting { get; set; }

    public string? Arms { get; set; }

    public List<TrialResultDefinition> Results { get; set; } = [];

    public string? Publication { get; set; }

    public string? StatusInSeeds { get; set; }

    public string? Source { get; set; }
}

public sealed class EditionDefinition : Located
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public int Precedence { get; set; }

    public bool Default { get; set; }

    public List<string> Sources { get; set; } = [];

    public List<string> Includes { get; set; } = [];
}

public sealed class StatementFile : Located
{
    public string? Edition { get; set; }

    public string? Source { get; set; }

    public List<StatementDefinition> Statements { get; set; } = [];
}

public sealed class TargetDefinition
{
    public List<string> Regimens { get; set; } = [];

    public List<string> Agents { get; set; } = [];

    /// <summary>Agent groups, by id.</summary>
    public List<string> Groups { get; set; } = [];

    public string? Dynamic { get; set; }
}

public sealed class RecommendDefinition
{
    public string? Regimen { get; set; }

    public string? Preference { get; set; }

    public string? When { get; set; }

    public bool AllowsRetreatment { get; set; }

    public string? Note { get; set; }
}

public sealed class CautionDefinition
{
    public List<string> Regimens { get; set; } = [];

    public List<string> Agents { get; set; } = [];

    public List<string> Groups { get; set; } = [];

    public string? Text { get; set; }

    public bool WeighsAgainst { get; set; }

    public string? When { get; set; }
}

public sealed class AlertDefinition
{
    public string? Severity { get; set; }

    public string? Text { get; set; }

    public string? When { get; set; }
}

public sealed class StatementDefinition : Located
{
    public string? Id { get; set; }

    public string? Kind { get; set; }

    public string? Title { get; set; }

    public string? Section { get; set; }

    public string? Voice { get; set; }

    public string? Quote { get; set; }

    public string? Interpretation { get; set; }

    public string? Strength { get; set; }

    public List<string> Evidence { get; set; } = [];

    public List<string> At { get; set; } = [];

    public string? When { get; set; }

    public List<RecommendDefinition> Recommend { get; set; } = [];

    public List<string> NotRecommended { get; set; } = [];

    public List<CautionDefinition> Cautions { get; set; } = [];

    public List<AlertDefinition> Alerts { get; set; } = [];

    public List<string> Trials { get; set; } = [];

    public List<string> Supersedes { get; set; } = [];
}

public sealed class SafetyRuleDefinition : Located
{
    public string? Id { get; set; }

    public string? Title { get; set; }

    public string? When { get; set; }

    public TargetDefinition? Target { get; set; }

    public string? Effect { get; set; }

    public string? Severity { get; set; }

    public string? Text { get; set; }

    public string? Source { get; set; }

    public string? Quote { get; set; }

    public string? Interpretation { get; set; }

    public string? Strength { get; set; }

    public List<string> Trials { get; set; } = [];
}
