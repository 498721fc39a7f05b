using Herald.Core.Conditions;

namespace Herald.Core.Knowledge;

/// <summary>A document the knowledge base cites: a seed file, a trial publication, a label.</summary>
public sealed class Source
{
    public required string Id { get; init; }

    public required string Title { get; init; }

    /// <summary>The seed file name for seeds (e.g. <c>000_27c1c60f884fd26c.txt</c>); null otherwise.</summary>
    public string? File { get; init; }

    public required int Year { get; init; }

    /// <summary>How the output names this source: short and recognisable.</summary>
    public required string Citation { get; init; }

    /// <summary>Editions published after this one that the knowledge base does not encode (named, never followed).</summary>
    public IReadOnlyList<LaterEdition> LaterEditions { get; internal set; } = [];
}

/// <summary>A later edition of a source: named in the notice on dated sources; its content is not Herald's advice.</summary>
/// <param name="Change">What changed, in a few words, as <paramref name="RecordedIn"/> says.</param>
/// <param name="RevisesRecommendations">It changed recommendations (not merely restated them).</param>
/// <param name="RecordedIn">The document that records the later edition (e.g. evidence.md).</param>
public sealed record LaterEdition(int Year, string Citation, string Change, bool RevisesRecommendations, Source RecordedIn);

public sealed record TerminologyCode(string System, string Code, CodeConfidence Confidence, string? Note);

public sealed class Agent
{
    public required int Index { get; init; }

    /// <summary>Stable kebab-case id, e.g. <c>trastuzumab-emtansine</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Lowercase generic name, e.g. <c>trastuzumab emtansine</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Abbreviation for display text, e.g. T-DM1; null when none is in common use.</summary>
    public string? Abbreviation { get; init; }

    public required AgentClass Class { get; init; }

    public required IReadOnlyList<string> Aliases { get; init; }

    public required IReadOnlyList<Route> Routes { get; init; }

    public TerminologyCode? RxNorm { get; init; }

    public bool IsHer2Directed => Class is AgentClass.AntiHer2Antibody
        or AgentClass.AntibodyDrugConjugate
        or AgentClass.Her2TyrosineKinaseInhibitor;

    public bool IsChemotherapy => Class is AgentClass.Taxane or AgentClass.OtherChemotherapy;

    public override string ToString() => Name;
}

/// <summary>
/// A named set of agents ("taxane", "chemotherapy", "HER2-directed therapy"): used by regimens that
/// leave the choice of agent open, by conditions and by safety rules.
/// </summary>
public sealed class AgentGroup
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    public required AgentSet Members { get; init; }

    public override string ToString() => Name;
}

/// <summary>One slot of a regimen: a named agent, or a group when the regimen leaves the choice open.</summary>
public sealed class RegimenComponent
{
    public Agent? Agent { get; init; }

    public AgentGroup? Group { get; init; }

    public AgentSet Members => Agent is not null ? AgentSet.Of(Agent.Index) : Group!.Members;

    public string DisplayName => Agent?.Name ?? Group!.Name;
}

public enum RegimenKind
{
    /// <summary>A regimen with fixed components.</summary>
    Standard,

    /// <summary>"Continue the current regimen": its agents are the patient's ongoing line.</summary>
    CurrentRegimen,

    /// <summary>"Continue the anti-HER2 part of the current regimen" (e.g. after the taxane stops).</summary>
    CurrentAntiHer2Therapy,

    /// <summary>The anti-HER2 part of the current regimen plus endocrine therapy.</summary>
    CurrentAntiHer2TherapyWithEndocrine,
}

public sealed class Regimen
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    public required RegimenKind Kind { get; init; }

    public required IReadOnlyList<RegimenComponent> Components { get; init; }

    /// <summary>
    /// Regimens of one family share their anti-HER2 backbone and differ only in an interchangeable
    /// partner (docetaxel, paclitaxel, nab-paclitaxel). Progression on one member counts for all.
    /// </summary>
    public required string Family { get; init; }

    public required IReadOnlyList<Trial> Evidence { get; init; }

    public string? Notes { get; init; }

    /// <summary>Agents every instance of the regimen contains (its named-agent components).</summary>
    public AgentSet RequiredAgents { get; init; }

    /// <summary>Every agent that could appear in an instance of the regimen.</summary>
    public AgentSet PossibleAgents { get; init; }

    public bool IsPlaceholder => Kind != RegimenKind.Standard;

    public override string ToString() => Id;
}

public sealed record TrialResult(string Endpoint, string? Analysis, string Text, bool Verified, Source Source)
{
    /// <summary>The hazard ratio with its 95% CI when <see cref="Text"/> states one as "HR x (lower-upper)"; for the forest plot.</summary>
    public HazardRatio? HazardRatio { get; init; }
}

/// <summary>A hazard ratio and its 95% confidence interval, as a result's text states it (first arm against the comparator).</summary>
public sealed record HazardRatio(double Value, double Lower, double Upper);

public sealed class Trial
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? Nct { get; init; }

    public required string Design { get; init; }

    public required string Setting { get; init; }

    public required string Arms { get; init; }

    public required IReadOnlyList<TrialResult> Results { get; init; }

    public string? Publication { get; init; }

    /// <summary>What the seeds said of the trial's status; the seeds are dated, so the output says so.</summary>
    public string? StatusInSeeds { get; init; }

    public required Source Source { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// What an action aims at. A regimen is hit fully when an agent it requires is targeted, or when every
/// agent that could fill one of its open slots is; it is hit partly when only some fillers of an open
/// slot are targeted (the clinician can choose another partner).
/// </summary>
public sealed class Target
{
    public static readonly Target None = new() { Agents = AgentSet.Empty, Regimens = [] };

    public required AgentSet Agents { get; init; }

    public required IReadOnlyList<Regimen> Regimens { get; init; }

    public DynamicTarget Dynamic { get; init; }

    public string Describe(KnowledgeBase kb)
    {
        var parts = new List<string>();
        parts.AddRange(Regimens.Select(r => r.Id));
        parts.AddRange(Agents.Indices().Select(i => kb.Agents[i].Name));
        if (Dynamic != DynamicTarget.None)
        {
            parts.Add(Dynamic.Id());
        }

        return string.Join(", ", parts);
    }
}

/// <summary>Targets that depend on the patient: resolved at decision time.</summary>
public enum DynamicTarget
{
    None,
    AllergyAgents,
    ContraindicatedAgents,
    UnavailableAgents,
    DeclinedAgents,
    ToxicityAgents,
    OtherTaxanesAfterTaxaneAllergy,
    ProgressedOnRegimens,

    /// <summary>The chemotherapy of the line the disease most recently progressed on.</summary>
    ChemotherapyOfLastProgression,

    /// <summary>Regimens an early-disease regimen without a known end would rule out, had the relapse come within its window.</summary>
    PossiblyProgressedOnRegimens,
}

public static class DynamicTargetNames
{
    public static readonly (DynamicTarget Target, string Id)[] All =
    [
        (DynamicTarget.AllergyAgents, "patient-allergy-agents"),
        (DynamicTarget.ContraindicatedAgents, "patient-contraindicated-agents"),
        (DynamicTarget.UnavailableAgents, "unavailable-agents"),
        (DynamicTarget.DeclinedAgents, "patient-declined-agents"),
        (DynamicTarget.ToxicityAgents, "agents-stopped-for-toxicity"),
        (DynamicTarget.OtherTaxanesAfterTaxaneAllergy, "other-taxanes-after-taxane-allergy"),
        (DynamicTarget.ProgressedOnRegimens, "regimens-progressed-on"),
        (DynamicTarget.ChemotherapyOfLastProgression, "chemotherapy-of-last-progression"),
        (DynamicTarget.PossiblyProgressedOnRegimens, "regimens-possibly-progressed-on"),
    ];

    public static string Id(this DynamicTarget t) => All.First(x => x.Target == t).Id;
}

public sealed class RecommendAction
{
    public required Regimen Regimen { get; init; }

    public required Preference Preference { get; init; }

    public Condition? When { get; init; }

    /// <summary>The statement itself says the regimen may be given again after progression on it.</summary>
    public bool AllowsRetreatment { get; init; }

    public string? Note { get; init; }
}

public sealed class CautionAction
{
    public required Target Target { get; init; }

    public required string Text { get; init; }

    /// <summary>A caution that weighs against the option ranks it below options without one.</summary>
    public bool WeighsAgainst { get; init; }

    public Condition? When { get; init; }
}

public sealed class AlertAction
{
    public required Severity Severity { get; init; }

    public required string Text { get; init; }

    public Condition? When { get; init; }
}

public enum StatementKind
{
    /// <summary>Puts regimens forward (and may caution, alert, suggest trials).</summary>
    Recommendation,

    /// <summary>Says a regimen is not (yet) recommended in a setting.</summary>
    NotRecommended,

    /// <summary>Frames the decision (e.g. how to count lines); cited in the rationale.</summary>
    Principle,

    /// <summary>Says data are lacking or the question is open.</summary>
    Uncertainty,

    /// <summary>Records that a source does not address a situation, so the output can say so.</summary>
    Silence,
}

public sealed class Statement
{
    public required string Id { get; init; }

    public required int Order { get; init; }

    public required Edition Edition { get; init; }

    public required Source Source { get; init; }

    public required StatementKind Kind { get; init; }

    public required string Title { get; init; }

    /// <summary>Where in the source: a section heading, a scenario, a case.</summary>
    public required string Section { get; init; }

    /// <summary>Who says it in the source: the ASCO expert panel, the commentary's authors, a named panellist.</summary>
    public required string Voice { get; init; }

    /// <summary>The source's own words, verbatim ("…" marks an omission). Empty only for silences.</summary>
    public required string Quote { get; init; }

    /// <summary>How Herald reads the statement where that took judgment; null when the quote is plain.</summary>
    public string? Interpretation { get; init; }

    public required Strength Strength { get; init; }

    public required Setting At { get; init; }

    public required Condition When { get; init; }

    public required IReadOnlyList<Trial> Evidence { get; init; }

    public required IReadOnlyList<RecommendAction> Recommends { get; init; }

    public required IReadOnlyList<Regimen> NotRecommended { get; init; }

    public required IReadOnlyList<CautionAction> Cautions { get; init; }

    public required IReadOnlyList<AlertAction> Alerts { get; init; }

    public required IReadOnlyList<Trial> Trials { get; init; }

    /// <summary>Older statements this one replaces in a combined edition, when both apply.</summary>
    public IReadOnlyList<Statement> Supersedes { get; internal set; } = [];

    public override string ToString() => Id;
}

public enum SafetyEffect
{
    /// <summary>The patient must not receive it: shown under "excluded", never ranked.</summary>
    Exclude,

    /// <summary>Shown beside the option; ranking unchanged.</summary>
    Caution,

    /// <summary>Shown beside the option and ranks it below options without such a caution.</summary>
    WeighAgainst,

    /// <summary>Monitoring advice for each offered option that the target hits.</summary>
    Monitor,

    /// <summary>A decision-level alert.</summary>
    Alert,
}

public sealed class SafetyRule
{
    public required string Id { get; init; }

    public required int Order { get; init; }

    public required string Title { get; init; }

    public required Condition When { get; init; }

    public required Target Target { get; init; }

    public required SafetyEffect Effect { get; init; }

    /// <summary>Shown to the clinician; may hold placeholders such as {lvef} (see docs/knowledge-base.md).</summary>
    public required string Text { get; init; }

    public required Severity Severity { get; init; }

    public required Source Source { get; init; }

    public string? Quote { get; init; }

    public string? Interpretation { get; init; }

    public required Strength Strength { get; init; }

    public required IReadOnlyList<Trial> Trials { get; init; }

    public override string ToString() => Id;
}

public sealed class Edition
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>Newer editions have higher precedence; a combined edition orders its parts by this.</summary>
    public required int Precedence { get; init; }

    public required bool IsDefault { get; init; }

    public required IReadOnlyList<Source> Sources { get; init; }

    /// <summary>For a combined edition, the editions it combines (oldest first); empty otherwise.</summary>
    public IReadOnlyList<Edition> Includes { get; internal set; } = [];

    /// <summary>Statements in force: the edition's own, or for a combined edition those of its parts.</summary>
    public IReadOnlyList<Statement> Statements { get; internal set; } = [];

    /// <summary>Regimens any of its statements mention, in knowledge-base order.</summary>
    public IReadOnlyList<Regimen> Regimens { get; internal set; } = [];

    public bool IsCombined => Includes.Count > 0;

    public override string ToString() => Id;
}

/// <summary>A number the rules use (a threshold), with where it comes from.</summary>
public sealed class Parameter
{
    public required string Id { get; init; }

    public required double Value { get; init; }

    public required string Unit { get; init; }

    public required string Basis { get; init; }
}
