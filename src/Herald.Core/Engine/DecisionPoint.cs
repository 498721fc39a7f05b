using Herald.Core.Knowledge;

namespace Herald.Core.Engine;

public enum DecisionKind
{
    /// <summary>Something the decision depends on is missing: Herald asks instead of guessing.</summary>
    DataNeeded,

    /// <summary>HER2-negative disease: outside what the seeds cover.</summary>
    OutOfScope,

    FirstLine,
    SecondLine,
    LaterLine,

    /// <summary>First line responding: taxane stop and dual HER2 maintenance.</summary>
    Maintenance,

    /// <summary>Progression on dual HER2 maintenance after the taxane was stopped.</summary>
    ProgressionOnMaintenance,

    /// <summary>Complete response on anti-HER2 therapy: whether and how long to continue.</summary>
    ContinuationAfterCompleteResponse,

    /// <summary>A later line working (responding or stable): continue.</summary>
    ContinueCurrentTherapy,

    /// <summary>New or growing brain metastases while the disease elsewhere is controlled.</summary>
    BrainMetastasesLocalTherapy,
}

public static class DecisionKindNames
{
    public static string Id(this DecisionKind kind) => kind switch
    {
        DecisionKind.DataNeeded => "data-needed",
        DecisionKind.OutOfScope => "out-of-scope",
        DecisionKind.FirstLine => "first-line",
        DecisionKind.SecondLine => "second-line",
        DecisionKind.LaterLine => "later-line",
        DecisionKind.Maintenance => "maintenance",
        DecisionKind.ProgressionOnMaintenance => "progression-on-maintenance",
        DecisionKind.ContinuationAfterCompleteResponse => "continuation-after-complete-response",
        DecisionKind.ContinueCurrentTherapy => "continue-current-therapy",
        DecisionKind.BrainMetastasesLocalTherapy => "brain-metastases-local-therapy",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string Label(this DecisionKind kind) => kind switch
    {
        DecisionKind.DataNeeded => "More data needed before a recommendation",
        DecisionKind.OutOfScope => "Out of scope (not HER2-positive)",
        DecisionKind.FirstLine => "First-line therapy",
        DecisionKind.SecondLine => "Second-line therapy",
        DecisionKind.LaterLine => "Third-line or later therapy",
        DecisionKind.Maintenance => "First-line maintenance",
        DecisionKind.ProgressionOnMaintenance => "Progression on maintenance after the taxane was stopped",
        DecisionKind.ContinuationAfterCompleteResponse => "Continuation after complete response",
        DecisionKind.ContinueCurrentTherapy => "Continue the current line",
        DecisionKind.BrainMetastasesLocalTherapy => "Brain metastases with controlled extracranial disease",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The statement settings a decision kind matches.</summary>
    public static Setting Settings(this DecisionKind kind) => kind switch
    {
        DecisionKind.FirstLine => Setting.FirstLine,
        DecisionKind.SecondLine => Setting.SecondLine,
        DecisionKind.LaterLine => Setting.LaterLine,
        DecisionKind.Maintenance => Setting.Maintenance,

        // "resuming the taxane or treating according to guidelines for second-line therapy" (seed 000)
        DecisionKind.ProgressionOnMaintenance => Setting.ProgressionOnMaintenance | Setting.SecondLine,
        DecisionKind.ContinuationAfterCompleteResponse => Setting.ContinuationAfterCompleteResponse,
        DecisionKind.ContinueCurrentTherapy => Setting.ContinueCurrentTherapy,
        DecisionKind.BrainMetastasesLocalTherapy => Setting.BrainMetastasesLocalTherapy,
        _ => Setting.None,
    };
}

/// <summary>Why the engine placed the patient where it did: one reason per step, rendered later.</summary>
public enum RationaleCode
{
    Her2Positive,
    Her2PositiveAsReported,
    Her2Negative,
    Her2Unknown,
    Her2Equivocal,
    NotMetastatic,
    MetastaticDiagnosisDateUnknown,
    DeNovo,
    Recurrence,
    PresentationUnknown,
    EarlyRelapseWithin12Months,
    RelapseAfter12Months,
    RecurrenceWithoutEarlyHer2Therapy,
    EarlyTreatmentNotRecorded,
    TrastuzumabCompletionUnknown,
    PriorMetastaticLines,
    NoPriorMetastaticLines,
    OngoingLineProgressing,
    OngoingLineControlled,
    OngoingLineStatusUnknown,
    MaintenanceTaxaneOngoing,
    MaintenanceTaxaneStopped,
    ProgressionDuringMaintenance,
    CompleteResponseOngoing,
    BrainMetastasesActiveExtracranialControlled,
    BrainMetastasesActiveSwitching,
    BrainStatusUnknown,
    LineCountUncertain,
    NoProgressionAfterLastLine,
    PanelCountsThirdLine,
    EarlyRegimenFailed,
    LeptomeningealDiseaseExtracranialControlled,
}

/// <summary>One step of the rationale. Numbers and dates are kept raw and rendered by DecisionText.</summary>
public readonly record struct RationaleItem(RationaleCode Code, int Number = 0, int Other = 0, DateOnly Date = default, TherapyLine? Line = null, EarlyFailure? Early = null);

public sealed class DecisionPoint
{
    public required DecisionKind Kind { get; init; }

    /// <summary>The guideline line of therapy being decided (or continued); null when not applicable.</summary>
    public int? Line { get; init; }

    public Setting Settings => Kind.Settings();

    public required IReadOnlyList<RationaleItem> Rationale { get; init; }

    /// <summary>The ongoing line, when the decision is about continuing it.</summary>
    public TherapyLine? CurrentLine { get; init; }
}

public static class DecisionKindQueries
{
    /// <summary>A new line is being chosen (the current regimen, if any, has failed).</summary>
    public static bool IsSwitch(this DecisionKind kind) =>
        kind is DecisionKind.FirstLine or DecisionKind.SecondLine or DecisionKind.LaterLine or DecisionKind.ProgressionOnMaintenance;
}
