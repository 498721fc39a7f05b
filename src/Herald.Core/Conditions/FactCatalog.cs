using System.Text.RegularExpressions;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Core.Conditions;

public sealed record FactDefinition(
    string Name,
    string Meaning,
    Func<PatientFacts, Tri> Evaluate,
    Func<PatientFacts, string> Show,
    MissingItem? Missing = null,
    Func<PatientFacts, MissingItem?>? MissingFor = null,
    Func<PatientFacts, IReadOnlyList<MissingItem>>? MissingEach = null);

public sealed record AgentFactDefinition(
    string Name,
    string MeaningFormat,
    Func<PatientFacts, AgentSet, Tri> Evaluate,
    Func<PatientFacts, AgentSet, string> Show);

public sealed record NumericFactDefinition(
    string Name,
    string Meaning,
    Func<PatientFacts, double?> Value,
    MissingItem? Missing = null);

/// <summary>
/// The named facts that knowledge-base conditions may use: defined once here, each with its meaning
/// in words and the input field to ask for when it is unknown. <c>herald kb facts</c> lists them.
/// </summary>
public static class FactCatalog
{
    private static readonly MissingItem ErMissing = new(
        "receptors.er",
        "ER status: several options are for hormone receptor–positive disease only.",
        Blocking: false);

    private static readonly MissingItem PrMissing = new(
        "receptors.pr",
        "PR status: several options are for hormone receptor–positive disease only (ER or PR positive).",
        Blocking: false);

    private static readonly MissingItem LvefMissing = new(
        "lvef",
        "LVEF (with its date): HER2-targeted therapy requires adequate cardiac function (seed 000). Measure it before starting.",
        Blocking: false);

    private static readonly MissingItem OralMissing = new(
        "canTakeOralDrugs",
        "Whether the patient can take oral drugs: several options (capecitabine, lapatinib, neratinib, tucatinib) are oral; the 2021 panel weighed this (seed 001, Case 1).",
        Blocking: false);

    private static readonly MissingItem SymptomaticMissing = new(
        "disease.symptomatic",
        "Whether the metastatic disease causes symptoms: options without chemotherapy are for asymptomatic patients with low disease burden (seed 000).",
        Blocking: false);

    private static readonly MissingItem BurdenMissing = new(
        "disease.burden",
        "Disease burden (low, moderate, high): options without chemotherapy are for patients with low disease burden (seed 000).",
        Blocking: false);

    private static readonly MissingItem EcogMissing = new(
        "ecog",
        "ECOG performance status: the seeds weigh poor performance status in first-line choices (seed 000).",
        Blocking: false);

    private static readonly MissingItem BiopsyMissing = new(
        "receptors.her2.specimen",
        "Whether HER2 was tested on the primary tumour or on a metastasis: the 2021 panel stresses repeat biopsy of metastatic disease (seed 001).",
        Blocking: false);

    private static readonly MissingItem PathologicResponseMissing = new(
        "earlyDisease.pathologicResponse",
        "The response to neoadjuvant therapy (pathological complete response or residual disease): the 2021 panel weighed a long pCR when choosing first-line re-treatment (seed 001, Case 1).",
        Blocking: false);

    private static readonly MissingItem BrainLesionCountMissing = new(
        "disease.brain.lesionCount",
        "The number of brain metastases: the 2021 panel discussed local therapy with continued systemic therapy for small solitary brain metastases (seed 001).",
        Blocking: false);

    private static readonly MissingItem BrainSymptomsMissing = new(
        "disease.brain.symptomatic",
        "Whether the brain metastases cause symptoms: the 2021 panel discussed local therapy with continued systemic therapy for small solitary brain metastases, and Herald does not rank continuing as for those until it is known (seed 001).",
        Blocking: false);

    private static readonly MissingItem FirstAssessmentMissing = new(
        "metastaticRegimens[].progressionAtFirstAssessment",
        "Whether progression on a fourth or later anti-HER2 line came at the first tumour assessment: the third criterion of clinical resistance (seed 002, scenario 2).",
        Blocking: false);

    private static readonly MissingItem PresentationTypeMissing = DecisionPointFinder.PresentationTypeMissing with { Blocking = false };

    private static readonly MissingItem SymptomOnsetMissing = new(
        "symptoms[].onset",
        "When each respiratory symptom began: a symptom new since an antibody-drug conjugate started calls for interrupting it and assessing for interstitial lung disease before the next dose (T-DXd and T-DM1 labels, evidence.md).",
        Blocking: false);

    private static readonly MissingItem EarlyConjugateStopMissing = new(
        "earlyDisease.regimens[].stop",
        "When the early-disease regimen with an anti-HER2 conjugate stopped: cough, dyspnoea or fever within the lung-toxicity window after a conjugate (parameter conjugate-lung-toxicity-window-months) raise the interstitial lung disease alert.",
        Blocking: false);

    private static readonly MissingItem PregnancyMissing = new(
        "pregnancy",
        "Pregnancy status: trastuzumab, pertuzumab, T-DM1 and T-DXd carry boxed warnings of embryo-fetal toxicity, and the T-DM1 label asks for pregnancy status to be verified before starting (evidence.md).",
        Blocking: false);

    private static readonly MissingItem LvefAfterCardiacStopMissing = new(
        "lvef",
        "LVEF measured after trastuzumab was stopped for cardiac toxicity: seed 002 reports trastuzumab-related cardiac events as reversible, with re-challenge generally well tolerated, so trastuzumab may be given again once LVEF has recovered.",
        Blocking: false);

    private static readonly MissingItem MenopausalMissing = new(
        "menopausalStatus",
        "Menopausal status: the trials of endocrine plus HER2-targeted therapy enrolled postmenopausal women.",
        Blocking: false);

    public static readonly IReadOnlyList<FactDefinition> Facts =
    [
        new("hr-positive", "hormone receptor–positive disease (ER or PR positive)",
            f => f.HormoneReceptorPositive, ShowReceptors, ErMissing,
            f => f.Patient.Receptors.Er is null ? ErMissing : PrMissing),
        new("taxane-contraindicated", "a contraindication (or allergy) to taxanes",
            f => TriLogic.From(f.TaxaneContraindicated),
            f => f.TaxaneContraindicated ? "taxane allergy or contraindication recorded" : "no taxane contraindication recorded"),
        new("chemotherapy-contraindicated", "a contraindication to chemotherapy",
            f => TriLogic.From(f.ChemotherapyContraindicated),
            f => f.ChemotherapyContraindicated ? "chemotherapy contraindication recorded" : "no chemotherapy contraindication recorded"),
        new("her2-therapy-contraindicated", "a contraindication to HER2-targeted therapy (declared, or inadequate cardiac function)",
            f => TriLogic.Or(TriLogic.From(f.Her2TherapyDeclaredContraindicated), f.CardiacFunctionInadequate),
            f => f.Her2TherapyDeclaredContraindicated ? "contraindication to HER2-targeted therapy recorded" : ShowCardiac(f),
            LvefMissing),
        new("cardiac-function-inadequate", "inadequate cardiac function (LVEF below the threshold, or heart failure)",
            f => f.CardiacFunctionInadequate, ShowCardiac, LvefMissing),
        new("lvef-below-threshold", "LVEF below the threshold (parameter lvef-minimum-percent)",
            f => f.Patient.Lvef is { } l ? TriLogic.From(l.LvefPercent < f.Knowledge.Thresholds.LvefMinimumPercent) : Tri.Unknown,
            ShowCardiac, LvefMissing),
        new("lvef-mildly-reduced", "mildly reduced LVEF (between the mildly-reduced floor and the threshold)",
            f => f.Patient.Lvef is { } l
                ? TriLogic.From(l.LvefPercent >= f.Knowledge.Thresholds.LvefMildlyReducedFloorPercent && l.LvefPercent < f.Knowledge.Thresholds.LvefMinimumPercent)
                : Tri.Unknown,
            ShowCardiac, LvefMissing),
        new("lvef-drop-from-baseline", "an absolute LVEF fall from baseline at or above the withholding threshold",
            f => f.Patient.Lvef is null ? Tri.Unknown
                : TriLogic.From(f.LvefDropFromBaseline is { } drop && drop >= f.Knowledge.Thresholds.LvefAbsoluteDropWithholdPoints),
            f => f.LvefDropFromBaseline is { } drop ? $"LVEF fell {drop} points from baseline" : "no baseline LVEF recorded",
            LvefMissing),
        new("lvef-missing", "no LVEF recorded",
            f => TriLogic.From(f.Patient.Lvef is null), ShowCardiac),
        new("lvef-overdue", "an LVEF last measured longer ago than the monitoring interval (parameter lvef-monitoring-interval-days)",
            f => TriLogic.From(f.DaysSinceLvef is { } days && days > f.Knowledge.Thresholds.LvefMonitoringIntervalDays),
            f => f.DaysSinceLvef is { } days ? $"last LVEF {days} days ago" : "no LVEF recorded"),
        new("heart-failure", "heart failure",
            f => TriLogic.From((f.Patient.Comorbidities & Comorbidities.HeartFailure) != 0), ShowComorbidities),
        new("cardiovascular-risk", "cardiovascular disease or diabetes",
            f => TriLogic.From((f.Patient.Comorbidities & (Comorbidities.HeartFailure | Comorbidities.CoronaryDisease | Comorbidities.OtherCardiovascularDisease | Comorbidities.Diabetes)) != 0),
            ShowComorbidities),
        new("ild-history", "a history of interstitial lung disease or pneumonitis",
            f => TriLogic.From((f.Patient.Comorbidities & (Comorbidities.InterstitialLungDisease | Comorbidities.Pneumonitis)) != 0),
            ShowComorbidities),
        new("respiratory-symptoms", "current respiratory symptoms (cough, persistent cough, dyspnoea)",
            f => TriLogic.From((f.Patient.Symptoms & Respiratory) != 0),
            ShowSymptoms),
        new("lung-toxicity-symptoms", "current cough, dyspnoea or fever: the symptoms the T-DXd label asks to investigate for interstitial lung disease",
            f => TriLogic.From((f.Patient.Symptoms & LungToxicity) != 0),
            ShowSymptoms),
        new("lung-toxicity-symptoms-began-on-current-regimen", "a cough, dyspnoea or fever that began on or after the start of the current regimen",
            LungToxicitySymptomsBeganOnCurrentRegimen, ShowSymptoms, SymptomOnsetMissing),
        new("conjugate-within-lung-toxicity-window", "an anti-HER2 conjugate in the current regimen, or last given within the lung-toxicity window (parameter conjugate-lung-toxicity-window-months)",
            f => f.ConjugateWithinLungWindow, ShowRecentConjugates, EarlyConjugateStopMissing),
        new("cannot-take-oral-drugs", "an inability to take oral drugs",
            f => f.Patient.CanTakeOralDrugs is { } can ? TriLogic.From(!can) : Tri.Unknown,
            f => f.Patient.CanTakeOralDrugs switch { true => "can take oral drugs", false => "cannot take oral drugs", null => "ability to take oral drugs not recorded" },
            OralMissing),
        new("avoids-intravenous", "a preference to avoid intravenous therapy",
            f => TriLogic.From((f.Patient.Preferences.Avoid & AvoidPreferences.IntravenousTherapy) != 0), ShowPreferences),
        new("avoids-oral", "a preference to avoid oral therapy",
            f => TriLogic.From((f.Patient.Preferences.Avoid & AvoidPreferences.OralTherapy) != 0), ShowPreferences),
        new("avoids-alopecia", "a preference to avoid hair loss",
            f => TriLogic.From((f.Patient.Preferences.Avoid & AvoidPreferences.Alopecia) != 0), ShowPreferences),
        new("asymptomatic", "asymptomatic metastatic disease",
            f => f.Patient.Disease.Symptomatic is { } s ? TriLogic.From(!s) : Tri.Unknown,
            f => f.Patient.Disease.Symptomatic switch { true => "symptomatic disease", false => "asymptomatic disease", null => "symptoms not recorded" },
            SymptomaticMissing),
        new("low-disease-burden", "low disease burden",
            f => f.Patient.Disease.Burden is { } b ? TriLogic.From(b == DiseaseBurden.Low) : Tri.Unknown,
            f => f.Patient.Disease.Burden is { } b ? $"{b.ToString().ToLowerInvariant()} disease burden" : "disease burden not recorded",
            BurdenMissing),
        // Free-text comorbidities are shown in every answer and never interpreted: only the coded ones count here.
        new("comorbidities", "relevant comorbidities (the coded ones: free text is shown, not interpreted)",
            f => TriLogic.From(f.Patient.Comorbidities != Comorbidities.None),
            ShowComorbidities),
        new("other-comorbidities-recorded", "other conditions recorded as free text (shown, not interpreted)",
            f => TriLogic.From(f.Patient.OtherComorbidities.Count > 0),
            f => f.Patient.OtherComorbidities.Count == 0 ? "no free-text conditions" : "free text: " + string.Join("; ", f.Patient.OtherComorbidities)),
        new("poor-performance-status", "poor performance status (ECOG at or above parameter ecog-poor-performance-status)",
            f => f.Patient.Ecog is { } e ? TriLogic.From(e >= f.Knowledge.Thresholds.EcogPoorPerformanceStatus) : Tri.Unknown,
            f => f.Patient.Ecog is { } e ? $"ECOG {e}" : "ECOG not recorded",
            EcogMissing),
        new("very-poor-performance-status", "very poor performance status (ECOG at or above parameter ecog-her2-therapy-alone)",
            f => f.Patient.Ecog is { } e ? TriLogic.From(e >= f.Knowledge.Thresholds.EcogHer2TherapyAlone) : Tri.Unknown,
            f => f.Patient.Ecog is { } e ? $"ECOG {e}" : "ECOG not recorded",
            EcogMissing),
        // Asked for of a pre- or perimenopausal patient; unknown but not asked when menopausal status is not recorded.
        new("pregnant", "pregnant (not pregnant when recorded so, or male or postmenopausal; otherwise unknown until recorded)",
            Pregnant, ShowPregnancy, PregnancyMissing,
            f => f.Patient.Menopause is MenopausalStatus.Premenopausal or MenopausalStatus.Perimenopausal ? PregnancyMissing : null),
        new("breastfeeding", "breastfeeding",
            f => TriLogic.From(f.Patient.Breastfeeding == true),
            f => f.Patient.Breastfeeding switch { true => "breastfeeding", false => "not breastfeeding", null => "breastfeeding not recorded" }),
        new("possible-trastuzumab-hypersensitivity", "a regimen with trastuzumab (or a conjugate of it) stopped for an infusion-related reaction or hypersensitivity, the agent held responsible not recorded",
            f => TriLogic.From(f.PossibleTrastuzumabHypersensitivity),
            f => f.PossibleTrastuzumabHypersensitivity ? "a reaction stopped a trastuzumab regimen; the agent held responsible is not recorded" : "no unattributed reaction on trastuzumab recorded"),
        new("trastuzumab-cardiac-stop", "trastuzumab stopped for cardiac toxicity in an earlier line",
            f => TriLogic.From(f.TrastuzumabCardiacStop is not null),
            ShowCardiacStop),
        new("lvef-recovered-after-cardiac-stop", "LVEF measured after the cardiac stop of trastuzumab at or above the threshold, without heart failure",
            f => f.LvefRecoveredAfterCardiacStop, ShowCardiacStop, LvefAfterCardiacStopMissing),
        new("brain-metastases", "brain metastases",
            f => TriLogic.From(f.Patient.Disease.Brain is not null), ShowBrain),
        new("brain-metastases-active", "new or progressing brain metastases",
            f => f.Patient.Disease.Brain is not { } b ? Tri.False
                : b.Status is { } status ? TriLogic.From(status is BrainMetastasisStatus.New or BrainMetastasisStatus.Progressing)
                : Tri.Unknown,
            ShowBrain, DecisionPointFinder.BrainStatusMissingNonBlocking),
        // Three-valued: a brain record without the symptom flag or the lesion count leaves the extent unknown, never "solitary".
        new("brain-metastases-symptomatic", "symptomatic brain metastases",
            BrainSymptomatic, ShowBrain, BrainSymptomsMissing),
        new("brain-metastases-multiple", "more than one brain metastasis",
            BrainMultiple, ShowBrain, BrainLesionCountMissing),
        new("brain-metastases-extensive", "brain disease beyond a small solitary asymptomatic metastasis: more than one lesion, symptoms, or leptomeningeal disease (unknown while the lesion count or the symptoms are not recorded; both are asked for)",
            BrainExtensive, ShowBrain, BrainLesionCountMissing, MissingEach: BrainExtentMissing),
        new("brain-metastases-extent-unknown", "brain metastases whose extent is not recorded (the lesion count or whether they cause symptoms), so it is not known whether they are a small solitary asymptomatic metastasis",
            f => TriLogic.From(f.Patient.Disease.Brain is not null && BrainExtensive(f) == Tri.Unknown), ShowBrain),
        new("leptomeningeal-disease", "leptomeningeal disease",
            f => TriLogic.From(f.Patient.Disease.Leptomeningeal),
            f => f.Patient.Disease.Leptomeningeal ? "leptomeningeal disease" : "no leptomeningeal disease recorded"),
        new("extracranial-controlled", "disease outside the brain responding or stable",
            f => f.Patient.Disease.Extracranial is { } s ? TriLogic.From(s != ExtracranialStatus.Progressing) : Tri.Unknown,
            f => f.Patient.Disease.Extracranial is { } s ? $"extracranial disease {Words(s)}" : "extracranial status not recorded"),
        new("visceral-disease", "visceral metastases",
            f => TriLogic.From(f.Patient.Disease.HasVisceralDisease),
            f => f.Patient.Disease.HasVisceralDisease ? "visceral metastases" : "no visceral metastases recorded"),
        new("recurrence", "recurrence after early breast cancer",
            f => f.Recurrence, ShowPresentation, PresentationTypeMissing),
        new("de-novo", "de novo metastatic disease",
            f => TriLogic.Not(f.Recurrence), ShowPresentation, PresentationTypeMissing),
        new("early-relapse", "relapse within 12 months of finishing adjuvant trastuzumab",
            f => f.EarlyRelapse, ShowRelapse, DecisionPointFinder.TrastuzumabCompletedMissingNonBlocking),
        new("relapse-within-ema-window", "relapse within 6 months of finishing adjuvant trastuzumab-based therapy",
            f => f.EarlyTrastuzumabCompleted is { } done && f.Recurrence == Tri.True && f.Patient.Presentation.MetastaticDiagnosis is { } relapse
                ? TriLogic.From(relapse <= done.AddMonths(f.Knowledge.Thresholds.EmaTdm1RelapseMonths))
                : f.HadEarlyTrastuzumab ? Tri.Unknown : Tri.False,
            ShowRelapse, DecisionPointFinder.TrastuzumabCompletedMissingNonBlocking),
        new("early-her2-therapy", "HER2-targeted therapy for early disease (neoadjuvant or adjuvant)",
            f => TriLogic.From(f.ReceivedEarly.Overlaps(f.Knowledge.Her2Directed)), ShowEarly),
        new("early-pathologic-complete-response", "pathological complete response to neoadjuvant therapy",
            f => f.Patient.EarlyDisease is { } e
                ? (e.PathologicResponse is { } r ? TriLogic.From(r == PathologicResponse.CompleteResponse) : Tri.Unknown)
                : Tri.False,
            ShowEarly, PathologicResponseMissing),
        new("metastatic-biopsy-recorded", "receptor status tested on a biopsy of metastatic disease",
            f => f.Patient.Receptors.Her2?.Specimen is { } s ? TriLogic.From(s == Specimen.Metastasis) : Tri.Unknown,
            f => f.Patient.Receptors.Her2?.Specimen switch
            {
                Specimen.Metastasis => "HER2 tested on a metastasis",
                Specimen.Primary => "HER2 tested on the primary tumour only",
                _ => "specimen not recorded",
            },
            BiopsyMissing),
        new("first-recurrence", "a first recurrence, before any metastatic line",
            f => TriLogic.And(f.Recurrence, TriLogic.From(f.Lines.Count == 0)), ShowPresentation, PresentationTypeMissing),
        new("complete-response", "a complete response on the current line",
            f => TriLogic.From(f.OngoingLine?.Source.BestResponse == Response.CompleteResponse), ShowCurrentLine),
        new("taxane-ongoing", "a taxane still running in the current line",
            f => TriLogic.From(f.OngoingLine is { } l && l.Agents.Overlaps(f.Knowledge.Taxanes) && !l.TaxaneStopped), ShowCurrentLine),
        new("on-endocrine-therapy", "endocrine therapy in the current line",
            f => TriLogic.From(f.OngoingLine is { } l && l.Agents.Overlaps(f.Knowledge.Endocrine)), ShowCurrentLine),
        new("panel-third-line", "a treatment history the 2021 panel counts as third line (line 3 or later, or line 2 after both trastuzumab and T-DM1 in any setting)",
            f => TriLogic.From(f.GuidelineLine >= 3
                || (f.GuidelineLine == 2 && f.Received.Contains(f.Knowledge.Trastuzumab) && f.Received.Contains(f.Knowledge.TrastuzumabEmtansine))),
            ShowLine),
        new("last-progression-on-lapatinib", "a lapatinib-containing regimen at the most recent progression",
            f => TriLogic.From(f.LastFailedLine is { } l && l.Agents.Contains(f.Knowledge.Lapatinib)),
            f => f.LastFailedLine is { } l ? $"last progression on line {l.Number}: {f.Knowledge.DescribeAgents(l.Agents)}" : "no progression recorded"),
        new("clinical-resistance", "clinical resistance to anti-HER2 therapy (all three consensus criteria met)",
            f => f.Resistance.Met,
            f => f.Resistance.Met switch { Tri.True => "all three criteria met", Tri.False => "criteria not all met", _ => "criteria undetermined" },
            FirstAssessmentMissing),
        new("new-line-decision", "the choice of a new line (first, second, later, or after progression on maintenance)",
            f => TriLogic.From(f.DecisionPoint.Kind.IsSwitch()),
            f => f.DecisionPoint.Kind.Id()),
        new("premenopausal", "pre- or perimenopausal status",
            f => f.Patient.Menopause is { } m ? TriLogic.From(m != MenopausalStatus.Postmenopausal) : Tri.Unknown,
            f => f.Patient.Menopause is { } m ? m.ToString().ToLowerInvariant() : "menopausal status not recorded",
            MenopausalMissing),
        new("under-18", "an age under 18 years",
            f => f.Patient.Age is { } a ? TriLogic.From(a < 18) : Tri.False,
            f => f.Patient.Age is { } a ? $"age {a}" : "age not recorded"),
    ];

    public static readonly IReadOnlyList<AgentFactDefinition> AgentFacts =
    [
        new("received", "prior therapy with {0} (early or metastatic)",
            (f, agents) => TriLogic.From(f.Received.Overlaps(agents)),
            (f, agents) => ShowExposure(f, f.Received & agents)),
        new("received-early", "prior therapy with {0} for early disease",
            (f, agents) => TriLogic.From(f.ReceivedEarly.Overlaps(agents)),
            (f, agents) => ShowExposure(f, f.ReceivedEarly & agents)),
        new("received-metastatic", "prior therapy with {0} for metastatic disease",
            (f, agents) => TriLogic.From(f.ReceivedMetastatic.Overlaps(agents)),
            (f, agents) => ShowExposure(f, f.ReceivedMetastatic & agents)),
        new("progressed-on", "progression on a regimen containing {0}",
            (f, agents) => TriLogic.From(f.ProgressedOn.Overlaps(agents)),
            (f, agents) => ShowExposure(f, f.ProgressedOn & agents)),
        new("hypersensitivity", "an allergy recorded to {0}, or {0} stopped for an infusion-related reaction or hypersensitivity",
            (f, agents) => TriLogic.From(f.HypersensitivityAgents.Overlaps(agents)),
            (f, agents) => f.HypersensitivityAgents.Overlaps(agents)
                ? $"hypersensitivity recorded to {f.Knowledge.DescribeAgents(f.HypersensitivityAgents & agents, ", ")}"
                : "no hypersensitivity recorded"),
        new("current-regimen-contains", "{0} in the current regimen",
            (f, agents) => TriLogic.From(f.OngoingLine is { } l && l.Agents.Overlaps(agents)),
            (f, agents) => f.OngoingLine is { } l ? $"current regimen: {f.Knowledge.DescribeAgents(l.Agents)}" : "no current regimen"),
    ];

    public static readonly IReadOnlyList<NumericFactDefinition> NumericFacts =
    [
        new("line", "the line of therapy being decided (as the guideline counts it)", f => f.GuidelineLine),
        new("metastatic-lines", "the number of metastatic lines given", f => f.CompletedGuidelineLines),
        new("prior-her2-lines", "the number of prior lines with HER2-targeted therapy", f => f.PriorHer2Lines),
        new("ecog", "ECOG performance status", f => f.Patient.Ecog, EcogMissing),
        new("lvef", "LVEF (%)", f => f.Patient.Lvef?.LvefPercent, LvefMissing),
        new("age", "the age in years", f => f.Patient.Age),
        new("months-to-relapse", "the number of months from finishing adjuvant trastuzumab to relapse",
            f => f.MonthsFromTrastuzumabToRelapse, DecisionPointFinder.TrastuzumabCompletedMissingNonBlocking),
        new("taxane-months", "the number of months on the current taxane", f => f.TaxaneMonths),
    ];

    public static FactDefinition? FindFact(string name) => Facts.FirstOrDefault(f => f.Name == name);

    public static AgentFactDefinition? FindAgentFact(string name) => AgentFacts.FirstOrDefault(f => f.Name == name);

    public static NumericFactDefinition? FindNumericFact(string name) => NumericFacts.FirstOrDefault(f => f.Name == name);

    private static string ShowReceptors(PatientFacts f) =>
        $"ER {Show(f.Patient.Receptors.Er)}, PR {Show(f.Patient.Receptors.Pr)}";

    private static string Show(HormoneReceptorStatus? s) => s switch
    {
        HormoneReceptorStatus.Positive => "positive",
        HormoneReceptorStatus.Negative => "negative",
        _ => "not recorded",
    };

    private static string ShowCardiac(PatientFacts f)
    {
        var hf = (f.Patient.Comorbidities & Comorbidities.HeartFailure) != 0 ? "heart failure; " : string.Empty;
        return f.Patient.Lvef is { } l ? $"{hf}LVEF {l.LvefPercent}% on {l.Date:yyyy-MM-dd}" : $"{hf}no LVEF recorded";
    }

    private static string ShowComorbidities(PatientFacts f)
    {
        var c = f.Patient.Comorbidities;
        if (c == Comorbidities.None && f.Patient.OtherComorbidities.Count == 0)
        {
            return "no comorbidities recorded";
        }

        var names = Enum.GetValues<Comorbidities>().Where(x => x != Comorbidities.None && (c & x) != 0).Select(x => Words(x))
            .Concat(f.Patient.OtherComorbidities);
        return "comorbidities: " + string.Join(", ", names);
    }

    private static string ShowSymptoms(PatientFacts f) =>
        f.Patient.Symptoms == Symptoms.None ? "no respiratory symptoms recorded" : $"symptoms: {DecisionText.Symptoms(f)}";

    private static readonly Symptoms Respiratory = Symptoms.PersistentCough | Symptoms.Cough | Symptoms.Dyspnoea;

    // The T-DXd label (evidence.md): "cough, dyspnoea, fever and other new or worsening respiratory symptoms".
    private static readonly Symptoms LungToxicity = Respiratory | Symptoms.Fever;

    private static string ShowRecentConjugates(PatientFacts f) => f.OngoingLine is { } l && l.Agents.Overlaps(f.Knowledge.Conjugates)
        ? $"current regimen: {f.Knowledge.DescribeAgents(l.Agents)}"
        : f.RecentConjugates.Count > 0 ? DecisionText.RecentConjugates(f)
        : f.ConjugateWithinLungWindow == Tri.Unknown ? "an early-disease conjugate without a stop date" : "no conjugate within the window";

    /// <summary>Began on the current regimen: a dated onset on or after its start. Undated symptoms leave it unknown.</summary>
    private static Tri LungToxicitySymptomsBeganOnCurrentRegimen(PatientFacts f)
    {
        var symptoms = f.Patient.Symptoms & LungToxicity;
        if (f.OngoingLine is not { } line || symptoms == Symptoms.None)
        {
            return Tri.False;
        }

        var undated = false;
        foreach (var symptom in Enum.GetValues<Symptoms>())
        {
            if (symptom == Symptoms.None || (symptoms & symptom) == 0)
            {
                continue;
            }

            var onset = f.Patient.Onsets.FirstOrDefault(o => o.Symptom == symptom);
            if (onset is null)
            {
                undated = true;
            }
            else if (onset.Onset >= line.Start)
            {
                return Tri.True;
            }
        }

        return undated ? Tri.Unknown : Tri.False;
    }

    private static Tri BrainSymptomatic(PatientFacts f) =>
        f.Patient.Disease.Brain is { } b ? (b.Symptomatic is { } s ? TriLogic.From(s) : Tri.Unknown) : Tri.False;

    private static Tri BrainMultiple(PatientFacts f) =>
        f.Patient.Disease.Brain is { } b ? (b.LesionCount is { } n ? TriLogic.From(n > 1) : Tri.Unknown) : Tri.False;

    private static Tri BrainExtensive(PatientFacts f) => f.Patient.Disease.Leptomeningeal
        ? Tri.True
        : TriLogic.Or(BrainMultiple(f), BrainSymptomatic(f));

    /// <summary>Every input the extent rests on that the record leaves out: the count and the symptoms are asked for together.</summary>
    private static IReadOnlyList<MissingItem> BrainExtentMissing(PatientFacts f)
    {
        if (f.Patient.Disease.Brain is not { } b)
        {
            return [];
        }

        return (b.LesionCount, b.Symptomatic) switch
        {
            (null, null) => [BrainLesionCountMissing, BrainSymptomsMissing],
            (null, _) => [BrainLesionCountMissing],
            (_, null) => [BrainSymptomsMissing],
            _ => [],
        };
    }

    private static Tri Pregnant(PatientFacts f) => f.Patient.Pregnancy switch
    {
        PregnancyStatus.Pregnant => Tri.True,
        PregnancyStatus.NotPregnant => Tri.False,
        _ when f.Patient.Sex == Sex.Male || f.Patient.Menopause == MenopausalStatus.Postmenopausal => Tri.False,
        _ => Tri.Unknown,
    };

    private static string ShowPregnancy(PatientFacts f) => f.Patient.Pregnancy switch
    {
        PregnancyStatus.Pregnant => "pregnant",
        PregnancyStatus.NotPregnant => "not pregnant",
        PregnancyStatus.Unknown => "pregnancy status unknown",
        _ => "pregnancy status not recorded",
    };

    private static string ShowCardiacStop(PatientFacts f) => f.TrastuzumabCardiacStop is { } stop
        ? $"trastuzumab stopped for cardiac toxicity on {DecisionText.Date(stop)}; {(f.Patient.Lvef is { } l ? $"LVEF {l.LvefPercent}% on {DecisionText.Date(l.Date)}" : "no LVEF recorded")}"
        : "no cardiac stop of trastuzumab recorded";

    private static string ShowPreferences(PatientFacts f) =>
        f.Patient.Preferences.Avoid == AvoidPreferences.None ? "no preferences recorded" : $"prefers to avoid: {Words(f.Patient.Preferences.Avoid)}";

    private static string ShowBrain(PatientFacts f) => f.Patient.Disease.Brain is { } b
        ? $"brain metastases: {b.LesionCount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown number of"} lesion(s), {b.Symptomatic switch { true => "symptomatic", false => "asymptomatic", null => "symptoms not recorded" }}, status {b.Status?.ToString().ToLowerInvariant() ?? "not recorded"}"
        : "no brain metastases recorded";

    private static string ShowPresentation(PatientFacts f) => f.Recurrence switch
    {
        Tri.True => $"recurrence ({f.Lines.Count} metastatic line(s) since)",
        Tri.False => "de novo metastatic",
        _ => "de novo or recurrence not recorded",
    };

    private static string ShowRelapse(PatientFacts f) => f.MonthsFromTrastuzumabToRelapse is { } m
        ? $"relapse {m} months after adjuvant trastuzumab finished"
        : f.HadEarlyTrastuzumab ? "date adjuvant trastuzumab finished not recorded" : "no adjuvant trastuzumab recorded";

    private static string ShowEarly(PatientFacts f) => f.Patient.EarlyDisease is { } e
        ? $"early disease: {string.Join("; ", e.Regimens.Select(r => f.Knowledge.DescribeAgents(r.Agents)))}; response {(e.PathologicResponse is { } r ? Words(r) : "not recorded")}"
        : "no early-disease treatment recorded";

    private static string ShowCurrentLine(PatientFacts f) => f.OngoingLine is { } l
        ? $"current line {l.Number}: {f.Knowledge.DescribeAgents(l.Agents)}, best response {(l.Source.BestResponse is { } r ? Words(r) : "not recorded")}"
        : "no ongoing line";

    private static string ShowLine(PatientFacts f) => f.GuidelineLine is { } line ? $"line {line}" : "no line (no new line is being chosen)";

    /// <summary>An enum value in words: PartialResponse → "partial response"; flags joined by commas.</summary>
    private static string Words(Enum value) =>
        Regex.Replace(value.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    private static string ShowExposure(PatientFacts f, AgentSet hit) =>
        hit.IsEmpty ? "not received" : $"received {f.Knowledge.DescribeAgents(hit, ", ")}";
}
