using Herald.Core.Knowledge;

namespace Herald.Core.Patients;

// The patient as the decision core sees it: already validated, agents resolved against the
// knowledge base. Absent values are null, never guessed; the engine turns them into missing-data
// requests where they matter. docs/patient-input.md describes the JSON that maps onto this model.

public enum Sex { Female, Male, Other }

public enum MenopausalStatus { Premenopausal, Perimenopausal, Postmenopausal }

public enum IhcScore { Zero, OnePlus, TwoPlus, ThreePlus }

public enum IshResult { Amplified, NotAmplified, Equivocal }

/// <summary>A reported overall HER2 interpretation, when the report gives no IHC/ISH detail.</summary>
public enum ReportedStatus { Positive, Negative, Equivocal }

public enum HormoneReceptorStatus { Positive, Negative }

public enum Specimen { Primary, Metastasis }

/// <summary>How the disease presented: metastatic at diagnosis, a relapse after early disease, or no distant metastases (out of scope).</summary>
public enum PresentationType { DeNovo, Recurrence, NotMetastatic }

public enum DiseaseBurden { Low, Moderate, High }

public enum ExtracranialStatus { Responding, Stable, Progressing, NoExtracranialDisease }

public enum BrainMetastasisStatus { New, Progressing, Stable }

public enum Response { CompleteResponse, PartialResponse, StableDisease, ProgressiveDisease }

public enum StopReason { Progression, Toxicity, Completed, PatientDecision, Other }

public enum EarlySetting { Neoadjuvant, Adjuvant }

public enum PathologicResponse { CompleteResponse, ResidualDisease }

[Flags]
public enum Comorbidities
{
    None = 0,
    HeartFailure = 1 << 0,
    CoronaryDisease = 1 << 1,
    OtherCardiovascularDisease = 1 << 2,
    Diabetes = 1 << 3,
    InterstitialLungDisease = 1 << 4,
    Pneumonitis = 1 << 5,
}

[Flags]
public enum Symptoms
{
    None = 0,
    PersistentCough = 1 << 0,
    Dyspnoea = 1 << 1,

    /// <summary>A cough not recorded as persistent (a new one, for example).</summary>
    Cough = 1 << 2,

    /// <summary>The T-DXd label lists fever with cough and dyspnoea among the signs of interstitial lung disease.</summary>
    Fever = 1 << 3,
}

/// <summary>When a symptom began; symptoms without a recorded onset have none.</summary>
public sealed record SymptomOnset(Symptoms Symptom, DateOnly Onset);

/// <summary>Pregnancy status as recorded; <see cref="Unknown"/> says it was asked and is not known.</summary>
public enum PregnancyStatus { Pregnant, NotPregnant, Unknown }

/// <summary>Why a regimen stopped for toxicity, where it changes what may be given again.</summary>
public enum ToxicityKind
{
    /// <summary>Cardiac toxicity (a fall in LVEF, heart failure).</summary>
    Cardiac,

    /// <summary>An infusion-related reaction or hypersensitivity.</summary>
    InfusionReaction,

    Other,
}

[Flags]
public enum AvoidPreferences
{
    None = 0,
    IntravenousTherapy = 1 << 0,
    OralTherapy = 1 << 1,
    Alopecia = 1 << 2,
}

/// <summary>A HER2 result. The ratio and copy number are for reference: Herald reads scope from IHC, ISH and the report.</summary>
public sealed record Her2Test(
    IhcScore? Ihc,
    IshResult? Ish,
    double? IshRatio,
    ReportedStatus? Reported,
    Specimen? Specimen,
    DateOnly? Date,
    double? IshCopyNumber = null);

public sealed record Receptors(Her2Test? Her2, HormoneReceptorStatus? Er, HormoneReceptorStatus? Pr);

/// <summary>
/// How the disease presented. Any part may be unknown (null): the engine then asks for it, blocking only the
/// decisions it changes (docs/decision-logic.md).
/// </summary>
public sealed record Presentation(PresentationType? Type, DateOnly? InitialDiagnosis, DateOnly? MetastaticDiagnosis)
{
    public static readonly Presentation Unknown = new(null, null, null);
}

public sealed record BrainMetastases(
    int? LesionCount,
    int? LargestLesionMm,
    bool? Symptomatic,
    bool? TreatedLocally,
    BrainMetastasisStatus? Status);

public enum MetastaticSite
{
    Liver,
    Lung,
    Pleura,
    Peritoneum,
    Adrenal,
    OtherVisceral,
    Bone,
    SoftTissue,
    LymphNodes,
    Skin,
    ChestWall,
}

public sealed record Disease(
    IReadOnlyList<MetastaticSite> Sites,
    BrainMetastases? Brain,
    bool Leptomeningeal,
    DiseaseBurden? Burden,
    bool? Symptomatic,
    ExtracranialStatus? Extracranial)
{
    public bool HasVisceralDisease => Sites.Any(s => s <= MetastaticSite.OtherVisceral);
}

public sealed record CardiacFunction(int LvefPercent, DateOnly Date, int? BaselinePercent, DateOnly? BaselineDate);

public enum IntoleranceKind { Allergy, Contraindication }

/// <summary>An allergy or contraindication to an agent or a group of agents ("taxane").</summary>
public sealed record Intolerance(
    IntoleranceKind Kind,
    string Substance,
    AgentSet Agents,
    bool IsGroup,
    string? Reaction);

public sealed record EarlyRegimen(EarlySetting Setting, AgentSet Agents, DateOnly? Start, DateOnly? Stop);

public sealed record EarlyDisease(
    IReadOnlyList<EarlyRegimen> Regimens,
    PathologicResponse? PathologicResponse,
    DateOnly? TrastuzumabCompleted);

public sealed record MetastaticRegimen(
    AgentSet Agents,
    DateOnly Start,
    DateOnly? Stop,
    Response? BestResponse,
    StopReason? StopReason,
    bool? ProgressionAtFirstAssessment,
    DateOnly? TaxaneStopped,
    AgentSet CausativeAgents,
    ToxicityKind? Toxicity = null)
{
    public bool IsOngoing => Stop is null;
}

public sealed record Preferences(AvoidPreferences Avoid, AgentSet Declined);

public sealed record Patient(
    string Id,
    int? Age,
    Sex? Sex,
    MenopausalStatus? Menopause,
    Receptors Receptors,
    Presentation Presentation,
    Disease Disease,
    int? Ecog,
    CardiacFunction? Lvef,
    Comorbidities Comorbidities,
    IReadOnlyList<string> OtherComorbidities,
    Symptoms Symptoms,
    IReadOnlyList<Intolerance> Intolerances,
    bool? CanTakeOralDrugs,
    EarlyDisease? EarlyDisease,
    IReadOnlyList<MetastaticRegimen> MetastaticRegimens,
    Preferences Preferences,
    AgentSet Unavailable,
    PregnancyStatus? Pregnancy = null,
    bool? Breastfeeding = null,
    IReadOnlyList<SymptomOnset>? SymptomOnsets = null)
{
    /// <summary>The onset of each symptom that has one recorded.</summary>
    public IReadOnlyList<SymptomOnset> Onsets => SymptomOnsets ?? [];
}
