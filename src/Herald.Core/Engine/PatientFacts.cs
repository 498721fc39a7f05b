using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Engine;

public enum Her2Scope
{
    Positive,
    Negative,

    /// <summary>No HER2 result at all.</summary>
    Unknown,

    /// <summary>IHC 2+ without an ISH result, or ISH equivocal.</summary>
    Equivocal,
}

/// <summary>
/// Everything the rules ask about a patient, derived once per decision from the patient and "now".
/// Conditions in the knowledge base read these values through <see cref="Conditions.FactCatalog"/>.
/// </summary>
public sealed class PatientFacts
{
    public required Patient Patient { get; init; }

    public required DateOnly AsOf { get; init; }

    public required KnowledgeBase Knowledge { get; init; }

    public required Her2Scope Her2 { get; init; }

    public required Tri HormoneReceptorPositive { get; init; }

    public required IReadOnlyList<TherapyLine> Lines { get; init; }

    public required TherapyLine? OngoingLine { get; init; }

    /// <summary>The most recent line that ended by progression (or is failing now).</summary>
    public required TherapyLine? LastFailedLine { get; init; }

    public required AgentSet ReceivedEarly { get; init; }

    public required AgentSet ReceivedMetastatic { get; init; }

    public AgentSet Received => ReceivedEarly | ReceivedMetastatic;

    /// <summary>Agents of every line that ended by progression, and of every early-disease regimen the disease relapsed on.</summary>
    public required AgentSet ProgressedOn { get; init; }

    /// <summary>Early-disease regimens the disease relapsed during or within the 12-month window of (seed 000).</summary>
    public required IReadOnlyList<EarlyFailure> EarlyFailures { get; init; }

    /// <summary>Early-disease regimens with HER2-directed therapy and no known end: the relapse may have come during them.</summary>
    public required IReadOnlyList<UndatedEarlyRegimen> PossibleEarlyFailures { get; init; }

    /// <summary>Recurrence after trastuzumab-based early therapy; null when no such therapy or dates are missing.</summary>
    public required DateOnly? EarlyTrastuzumabCompleted { get; init; }

    public required bool HadEarlyTrastuzumab { get; init; }

    /// <summary>True: relapse within 12 months of finishing adjuvant trastuzumab (counts as a first line).</summary>
    public required Tri EarlyRelapse { get; init; }

    /// <summary>Whether the metastases are a recurrence after early disease (unknown when the record does not say).</summary>
    public required Tri Recurrence { get; init; }

    public required int? MonthsFromTrastuzumabToRelapse { get; init; }

    /// <summary>Lines that ended by progression or are failing now, counted as the guideline counts them.</summary>
    public required int CompletedGuidelineLines { get; init; }

    /// <summary>Prior lines with HER2-directed therapy (plus the adjuvant course when it counts as a line).</summary>
    public required int PriorHer2Lines { get; init; }

    public required DecisionPoint DecisionPoint { get; init; }

    public required IReadOnlyList<MissingItem> BlockingMissing { get; init; }

    // Safety-relevant patient state, resolved once.
    public required AgentSet AllergyAgents { get; init; }

    public required AgentSet ContraindicatedAgents { get; init; }

    public required AgentSet ToxicityAgents { get; init; }

    /// <summary>Agents with a recorded allergy, or stopped for an infusion-related reaction or hypersensitivity.</summary>
    public required AgentSet HypersensitivityAgents { get; init; }

    /// <summary>
    /// A regimen with trastuzumab (or a conjugate of it) stopped for an infusion-related reaction or hypersensitivity
    /// without the agent held responsible: trastuzumab may have been it (none recorded against trastuzumab itself).
    /// </summary>
    public required bool PossibleTrastuzumabHypersensitivity { get; init; }

    /// <summary>The latest stop of a line whose trastuzumab was held responsible for cardiac toxicity (or a cardiac stop of a
    /// trastuzumab regimen without the agent held responsible); null when none.</summary>
    public required DateOnly? TrastuzumabCardiacStop { get; init; }

    /// <summary>LVEF measured after that stop at or above the threshold, without heart failure (seed 002: re-challenge).</summary>
    public required Tri LvefRecoveredAfterCardiacStop { get; init; }

    public required bool TaxaneContraindicated { get; init; }

    public required bool ChemotherapyContraindicated { get; init; }

    public required bool Her2TherapyDeclaredContraindicated { get; init; }

    /// <summary>LVEF below the threshold or heart failure; unknown when no LVEF is recorded.</summary>
    public required Tri CardiacFunctionInadequate { get; init; }

    public required int? LvefDropFromBaseline { get; init; }

    public required int? DaysSinceLvef { get; init; }

    /// <summary>Months the ongoing line's taxane has run (to its stop, or to now).</summary>
    public required int? TaxaneMonths { get; init; }

    public required ResistanceAssessment Resistance { get; init; }

    /// <summary>
    /// An anti-HER2 conjugate current, or last given within the lung-toxicity window (parameter
    /// conjugate-lung-toxicity-window-months); unknown when an early regimen with one has no stop date and began before it.
    /// </summary>
    public required Tri ConjugateWithinLungWindow { get; init; }

    /// <summary>Finished regimens with a conjugate, last given within that window: what the alert names.</summary>
    public required IReadOnlyList<RecentConjugate> RecentConjugates { get; init; }

    public int? GuidelineLine => DecisionPoint.Line;
}

public sealed record MissingItem(string Field, string Request, bool Blocking);

/// <summary>A conjugate no longer given: its agents and the date it was last given (the regimen's stop).</summary>
public sealed record RecentConjugate(AgentSet Agents, DateOnly LastGiven, bool Early);
