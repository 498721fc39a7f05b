using Herald.Core.Conditions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;

namespace Herald.Core.Decisions;

/// <summary>
/// The engine's answer, as references into the knowledge base plus the patient's facts. Nothing is
/// rendered to text here; <see cref="DecisionText"/> does that, so a decision stays cheap to make.
/// </summary>
public sealed class Decision
{
    public required KnowledgeBase Knowledge { get; init; }

    public required Edition Edition { get; init; }

    public required PatientFacts Facts { get; init; }

    public DateOnly AsOf => Facts.AsOf;

    public DecisionPoint Point => Facts.DecisionPoint;

    public required IReadOnlyList<RankedOption> Recommendations { get; init; }

    public required IReadOnlyList<RegimenVerdict> Excluded { get; init; }

    public required IReadOnlyList<RegimenVerdict> NotIndicated { get; init; }

    public required IReadOnlyList<MissingItem> MissingData { get; init; }

    /// <summary>
    /// Most severe first, in the engine's order within a severity: every channel shows them in this order, so an
    /// alert of a new kind lands where its severity puts it without any renderer knowing about it.
    /// </summary>
    public required IReadOnlyList<DecisionAlert> Alerts { get; init => field = MostSevereFirst(value); }

    public required IReadOnlyList<TrialSuggestion> Trials { get; init; }

    public ResistanceAssessment Resistance => Facts.Resistance;

    /// <summary>Every statement and rule evaluated, when the caller asked for a trace (explain).</summary>
    public DecisionTrace? Trace { get; init; }

    private static IReadOnlyList<DecisionAlert> MostSevereFirst(IReadOnlyList<DecisionAlert> alerts)
    {
        for (var i = 1; i < alerts.Count; i++)
        {
            if (alerts[i].Severity > alerts[i - 1].Severity)
            {
                // OrderByDescending is a stable sort: alerts of one severity keep the engine's order.
                return alerts.OrderByDescending(a => a.Severity).ToArray();
            }
        }

        return alerts;
    }
}

/// <summary>A statement that supports a ranked option, with the action that named the regimen.</summary>
public readonly record struct Support(Statement Statement, RecommendAction Action);

public sealed class RankedOption
{
    public required int Rank { get; init; }

    public required Regimen Regimen { get; init; }

    /// <summary>The regimen's agents; for "continue the current regimen" these are the patient's.</summary>
    public required AgentSet Agents { get; init; }

    public required Preference Preference { get; init; }

    public required Strength Strength { get; init; }

    /// <summary>The statement whose edition and preference set the rank.</summary>
    public required Statement RankedBy { get; init; }

    public required bool WeighedAgainst { get; init; }

    /// <summary>Other options share this rank: the sources do not order them.</summary>
    public required bool Tied { get; init; }

    public required IReadOnlyList<Support> Statements { get; init; }

    public required IReadOnlyList<Note> Cautions { get; init; }

    public required IReadOnlyList<Note> Monitoring { get; init; }

    /// <summary>
    /// The regimen's own trials, then those the supporting statements cite, each once. Only the first are evidence
    /// for this regimen: a statement that supports several regimens cites the trials of all of them.
    /// </summary>
    public IReadOnlyList<EvidenceItem> Evidence()
    {
        var items = new List<EvidenceItem>(Regimen.Evidence.Count + 4);
        foreach (var trial in Regimen.Evidence)
        {
            items.Add(new EvidenceItem(trial, EvidenceBasis.Regimen, CitedBy(trial)));
        }

        foreach (var support in Statements)
        {
            foreach (var trial in support.Statement.Evidence)
            {
                if (!Listed(items, trial))
                {
                    items.Add(new EvidenceItem(trial, EvidenceBasis.Statement, CitedBy(trial)));
                }
            }
        }

        return items;
    }

    // Loops rather than LINQ: every regimen card of every answer asks for its evidence.
    private static bool Listed(List<EvidenceItem> items, Trial trial)
    {
        foreach (var item in items)
        {
            if (item.Trial == trial)
            {
                return true;
            }
        }

        return false;
    }

    private Statement[] CitedBy(Trial trial)
    {
        var citing = new List<Statement>(Statements.Count);
        foreach (var support in Statements)
        {
            if (support.Statement.Evidence.Contains(trial))
            {
                citing.Add(support.Statement);
            }
        }

        return citing.ToArray();
    }
}

public enum EvidenceBasis
{
    /// <summary>A trial of the regimen itself: the knowledge base lists it as the regimen's evidence.</summary>
    Regimen,

    /// <summary>Cited by a supporting statement, not listed as a trial of this regimen (it may test another one).</summary>
    Statement,
}

/// <summary>A trial behind a ranked option, with why it is there and the supporting statements that cite it.</summary>
public sealed record EvidenceItem(Trial Trial, EvidenceBasis Basis, IReadOnlyList<Statement> CitedBy)
{
    public bool OfThisRegimen => Basis == EvidenceBasis.Regimen;
}

public enum NoteKind
{
    /// <summary>A caution written in a statement.</summary>
    StatementCaution,

    /// <summary>A caution or monitoring advice from a safety rule.</summary>
    SafetyRule,

    /// <summary>A safety rule hit some choices for an open slot: choose another partner.</summary>
    PartnerToAvoid,

    /// <summary>An older edition did not recommend this; a newer one does.</summary>
    OlderEditionDisagrees,

    /// <summary>The regimen was progressed on, but the statement allows re-treatment.</summary>
    RetreatmentAllowed,

    /// <summary>The regimen was progressed on in an earlier line, restarted, and the current line controls the disease.</summary>
    RechallengeResponding,
}

public sealed record Note(
    NoteKind Kind,
    string Template,
    Statement? Statement,
    SafetyRule? Rule,
    AgentSet Agents,
    TherapyLine? Line,
    bool WeighsAgainst,
    EarlyFailure? Early = null);

public enum ReasonCode
{
    /// <summary>A safety rule excludes it (cardiac function, lung disease, allergy, ...).</summary>
    SafetyRule,

    /// <summary>The patient progressed on it (or on its family).</summary>
    ProgressedOn,

    /// <summary>A statement in force says it is not (yet) recommended here.</summary>
    NotRecommended,

    /// <summary>A statement recommends it here for other patients; its condition fails for this one.</summary>
    ConditionNotMet,

    /// <summary>A statement recommends it here, but the input does not say whether its condition holds.</summary>
    ConditionUndetermined,

    /// <summary>The edition recommends it only at other decision points.</summary>
    OtherSetting,

    /// <summary>Excluded, and also not an option at this decision point.</summary>
    AlsoNotIndicated,
}

public sealed record Reason(
    ReasonCode Code,
    Statement? Statement,
    SafetyRule? Rule,
    AgentSet Agents,
    TherapyLine? Line,
    IReadOnlyList<Blocker>? Blockers,
    Setting Settings = Setting.None,
    EarlyFailure? Early = null);

public sealed class RegimenVerdict
{
    public required Regimen Regimen { get; init; }

    public required AgentSet Agents { get; init; }

    public required IReadOnlyList<Reason> Reasons { get; init; }
}

public enum EngineAlert
{
    None,

    /// <summary>No statement of the edition speaks to this decision point.</summary>
    EditionSilent,

    /// <summary>The edition speaks to this decision point, but none of its recommendations applies to this patient.</summary>
    NoStatementApplies,

    /// <summary>Every regimen the edition supports here is excluded for this patient.</summary>
    AllOptionsExcluded,

    /// <summary>HER2-negative: outside the seeds.</summary>
    OutOfScope,

    /// <summary>No regimen is assessed until the missing data arrive.</summary>
    DecisionPending,

    /// <summary>Every answer: the sources' dates, the assessment date, and that guidance may have changed since.</summary>
    DatedSources,
}

public static class EngineAlertQueries
{
    /// <summary>The engine's alerts that say why no regimen is ranked (a renderer may fold them into one message).</summary>
    public static bool MeansNothingToPropose(this EngineAlert alert) =>
        alert is EngineAlert.EditionSilent or EngineAlert.NoStatementApplies or EngineAlert.AllOptionsExcluded
            or EngineAlert.OutOfScope or EngineAlert.DecisionPending;
}

public sealed record DecisionAlert(
    Severity Severity,
    string Template,
    Statement? Statement,
    SafetyRule? Rule,
    EngineAlert Engine = EngineAlert.None)
{
    /// <summary>The edition decided under, for the notice on dated sources (which names its sources).</summary>
    public Edition? Edition { get; init; }
}

public sealed record TrialSuggestion(Trial Trial, Statement? Statement, SafetyRule? Rule);

public enum StatementStatus : byte
{
    /// <summary>Applies here and its condition holds.</summary>
    Fired,

    /// <summary>Applies here, but a newer statement in force replaces it.</summary>
    Superseded,

    /// <summary>Applies here; its condition fails for this patient.</summary>
    ConditionFalse,

    /// <summary>Applies here; the input does not say whether its condition holds.</summary>
    ConditionUnknown,

    /// <summary>Speaks to other decision points.</summary>
    OtherSetting,

    /// <summary>No statement was evaluated: the decision stopped at scope or missing data.</summary>
    NotEvaluated,
}

public sealed record StatementEvaluation(Statement Statement, StatementStatus Status, ConditionTrace? Condition, Statement? SupersededBy);

public sealed record RuleEvaluation(SafetyRule Rule, Tri Value, ConditionTrace Condition, IReadOnlyList<Regimen> Hits);

public sealed record DecisionTrace(IReadOnlyList<StatementEvaluation> Statements, IReadOnlyList<RuleEvaluation> Rules);
