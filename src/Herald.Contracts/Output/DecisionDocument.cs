namespace Herald.Contracts.Output;

// The decision as JSON. Property order here is the order in the output, and the
// names are a contract: renaming one breaks consumers. Optional values are null and left out.

public sealed record DecisionDocument(
    string KnowledgeBaseVersion,
    string PatientId,
    string AsOf,
    string Edition,
    string EditionName,
    DecisionPointDocument DecisionPoint,
    IReadOnlyList<RecommendationDocument> Recommendations,
    IReadOnlyList<VerdictDocument> Excluded,
    IReadOnlyList<VerdictDocument> NotIndicated,
    IReadOnlyList<MissingDataDocument> MissingData,
    IReadOnlyList<AlertDocument> Alerts,
    ClinicalResistanceDocument ClinicalResistance,
    IReadOnlyList<TrialSuggestionDocument> Trials,
    IReadOnlyList<LineDocument> Lines,
    HistoryDocument History);

public sealed record DecisionPointDocument(string Kind, string Label, int? Line, IReadOnlyList<string> Rationale);

public sealed record RegimenDocument(string Id, string Name, IReadOnlyList<string> Agents, IReadOnlyList<CodeDocument> Codes);

public sealed record CodeDocument(string Agent, string System, string Code, string Confidence);

public sealed record RecommendationDocument(
    int Rank,
    bool Tied,
    RegimenDocument Regimen,
    string Preference,
    string Strength,
    string StrengthLabel,
    string RankedBy,
    IReadOnlyList<StatementDocument> Statements,
    IReadOnlyList<EvidenceDocument> Evidence,
    IReadOnlyList<CautionDocument> Cautions,
    IReadOnlyList<MonitoringDocument> Monitoring);

public sealed record StatementDocument(
    string Id,
    string Edition,
    string Title,
    string Source,
    string? SourceFile,
    string Voice,
    string Quote,
    string Strength,
    string? Interpretation,
    string? Note);

/// <summary>
/// A trial behind an option. <c>Basis</c>: <c>regimen</c> when it is a trial of the regimen itself (the knowledge
/// base's evidence for it), <c>statement</c> when a supporting statement cites it (it may test another regimen).
/// <c>CitedBy</c>: the ids of the supporting statements that cite it (empty for a trial of the regimen that no
/// supporting statement names).
/// </summary>
public sealed record EvidenceDocument(
    string Trial,
    string? Nct,
    string Design,
    string Setting,
    string Arms,
    string? Publication,
    IReadOnlyList<ResultDocument> Results,
    string Basis,
    IReadOnlyList<string> CitedBy);

public sealed record ResultDocument(string Endpoint, string? Analysis, string Text, bool Verified, string Source, HazardRatioDocument? HazardRatio);

/// <summary>The hazard ratio and 95% CI a result's text states (first-named arm against the comparator).</summary>
public sealed record HazardRatioDocument(double Value, double Lower, double Upper);

public sealed record CautionDocument(string Text, string Ref, string Source, bool WeighsAgainst);

public sealed record MonitoringDocument(string Text, string Ref, string Source);

public sealed record VerdictDocument(RegimenDocument Regimen, IReadOnlyList<ReasonDocument> Reasons);

public sealed record ReasonDocument(string Code, string Text, string? Ref, string Source);

public sealed record MissingDataDocument(string Field, string Request, bool Blocking);

public sealed record AlertDocument(string Code, string Severity, string Text, string Source);

public sealed record ClinicalResistanceDocument(bool Met, string Status, IReadOnlyList<CriterionDocument> Criteria, string Consequence);

public sealed record CriterionDocument(string Id, string Text, string Status, string Evidence);

public sealed record TrialSuggestionDocument(string Id, string Name, string? Nct, string Setting, string? StatusInSeeds, string Why, string Ref, string Source);

public sealed record LineDocument(
    int Number,
    int GuidelineLine,
    IReadOnlyList<string> Agents,
    string Start,
    string? Stop,
    bool Ongoing,
    string? BestResponse,
    string? StopReason,
    bool EndedByProgression,
    string ProgressionAtFirstAssessment,
    string? TaxaneStopped,
    string? MatchedRegimen,
    bool AntiHer2,
    bool DualAntiHer2);

/// <summary>
/// The course of the disease around the lines, for a timeline: presentation dates, early-disease treatment, and
/// the window after early trastuzumab within which a relapse counts the early course as the first line.
/// </summary>
/// <summary>The patient's history as the engine read it; <c>Presentation</c> and the dates are absent when not recorded.</summary>
public sealed record HistoryDocument(
    string? Presentation,
    string? InitialDiagnosis,
    string? MetastaticDiagnosis,
    IReadOnlyList<EarlyRegimenDocument> Early,
    TrastuzumabWindowDocument? TrastuzumabWindow);

public sealed record EarlyRegimenDocument(string Setting, IReadOnlyList<string> Agents, string? Start, string? Stop, bool AntiHer2);

/// <summary>
/// Present when early disease was treated with trastuzumab. <c>Completed</c> and <c>WindowEnds</c> are absent when
/// the finishing date is unknown; <c>RelapseWithin</c> is then "unknown".
/// </summary>
public sealed record TrastuzumabWindowDocument(
    string? Completed,
    string? WindowEnds,
    int Months,
    string RelapseWithin,
    int? MonthsToRelapse,
    string Source);

// explain --format json: the decision plus every statement and safety rule as evaluated.

public sealed record TraceDocument(
    DecisionDocument Decision,
    IReadOnlyList<StatementTraceDocument> Statements,
    IReadOnlyList<SafetyRuleTraceDocument> SafetyRules);

public sealed record StatementTraceDocument(string Id, string Edition, string Status, string? SupersededBy, ConditionDocument? Condition);

public sealed record SafetyRuleTraceDocument(string Id, string Value, ConditionDocument Condition, IReadOnlyList<string> Hits);

public sealed record ConditionDocument(string Text, string Value, string? PatientValue, IReadOnlyList<ConditionDocument> Children);

// Input errors (exit code 2 in the CLI).

public sealed record InputErrorsDocument(IReadOnlyList<InputErrorDocument> Errors);

public sealed record InputErrorDocument(string Path, string Message);
