using Herald.Core.Knowledge;
using Herald.Core.Patients;

namespace Herald.Tests.Support;

/// <summary>
/// Builds patients for scenario tests in the words of the seeds: "HER2-positive, de novo, progressed on
/// THP after 18 months". Defaults describe an unremarkable patient with every safety-relevant field known.
/// </summary>
public sealed class PatientBuilder
{
    private readonly KnowledgeBase kb;
    private string id = "test-patient";
    private int? age = 55;
    private MenopausalStatus? menopause = MenopausalStatus.Postmenopausal;
    private Her2Test? her2 = new(IhcScore.ThreePlus, null, null, null, Specimen.Metastasis, D("2024-01-10"));
    private HormoneReceptorStatus? er = HormoneReceptorStatus.Negative;
    private HormoneReceptorStatus? pr = HormoneReceptorStatus.Negative;
    private Presentation presentation = new(PresentationType.DeNovo, null, D("2024-01-10"));
    private readonly List<MetastaticSite> sites = [MetastaticSite.Liver];
    private BrainMetastases? brain;
    private bool leptomeningeal;
    private DiseaseBurden? burden = DiseaseBurden.Moderate;
    private bool? symptomatic = true;
    private ExtracranialStatus? extracranial = ExtracranialStatus.Progressing;
    private int? ecog = 1;
    private CardiacFunction? lvef = new(60, D("2024-01-15"), 62, D("2024-01-15"));
    private Comorbidities comorbidities = Comorbidities.None;
    private readonly List<string> otherComorbidities = [];
    private Symptoms symptoms = Symptoms.None;
    private readonly List<Intolerance> intolerances = [];
    private bool? canTakeOral = true;
    private EarlyDisease? early;
    private readonly List<MetastaticRegimen> regimens = [];
    private AvoidPreferences avoid = AvoidPreferences.None;
    private AgentSet declined = AgentSet.Empty;
    private AgentSet unavailable = AgentSet.Empty;
    private PregnancyStatus? pregnancy;
    private bool? breastfeeding;
    private Sex sex = Sex.Female;
    private readonly List<SymptomOnset> onsets = [];

    public PatientBuilder(KnowledgeBase kb) => this.kb = kb;

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    public AgentSet Agents(params string[] names) =>
        AgentSet.Of(names.Select(n => kb.FindAgent(n) ?? throw new ArgumentException($"unknown agent {n}")));

    public PatientBuilder Id(string value) { id = value; return this; }

    public PatientBuilder Age(int? value) { age = value; return this; }

    public PatientBuilder Menopause(MenopausalStatus? value) { menopause = value; return this; }

    public PatientBuilder Her2(Her2Test? value) { her2 = value; return this; }

    public PatientBuilder Her2Ihc(IhcScore ihc, IshResult? ish = null) =>
        Her2(new Her2Test(ihc, ish, null, null, Specimen.Metastasis, D("2024-01-10")));

    public PatientBuilder Her2FromPrimaryOnly() { her2 = her2! with { Specimen = Specimen.Primary }; return this; }

    public PatientBuilder HormoneReceptors(HormoneReceptorStatus? erStatus, HormoneReceptorStatus? prStatus)
    {
        er = erStatus;
        pr = prStatus;
        return this;
    }

    public PatientBuilder HrPositive() => HormoneReceptors(HormoneReceptorStatus.Positive, HormoneReceptorStatus.Positive);

    public PatientBuilder DeNovo(string metastaticDiagnosis)
    {
        presentation = new Presentation(PresentationType.DeNovo, null, D(metastaticDiagnosis));
        early = null;
        return this;
    }

    /// <summary>Recurrence after early disease treated with the given regimen, finished on <paramref name="earlyStop"/>.</summary>
    public PatientBuilder RecurrenceAfter(string metastaticDiagnosis, string earlyStop, string[] earlyAgents, PathologicResponse? response = null, EarlySetting setting = EarlySetting.Adjuvant)
    {
        presentation = new Presentation(PresentationType.Recurrence, D("2018-01-01"), D(metastaticDiagnosis));
        var start = D(earlyStop).AddMonths(-6);
        early = new EarlyDisease([new EarlyRegimen(setting, Agents(earlyAgents), start, D(earlyStop))], response, null);
        return this;
    }

    public PatientBuilder RecurrenceWithoutEarlyRecord(string metastaticDiagnosis)
    {
        presentation = new Presentation(PresentationType.Recurrence, D("2018-01-01"), D(metastaticDiagnosis));
        early = null;
        return this;
    }

    public PatientBuilder EarlyDisease(EarlyDisease? value) { early = value; return this; }

    /// <summary>Metastatic disease diagnosed on the date, but the record does not say whether de novo or a recurrence.</summary>
    public PatientBuilder PresentationTypeUnknown(string metastaticDiagnosis)
    {
        presentation = new Presentation(null, null, D(metastaticDiagnosis));
        early = null;
        return this;
    }

    public PatientBuilder Presentation(Presentation value) { presentation = value; return this; }

    public PatientBuilder BrainWithoutStatus(int? lesions = 1)
    {
        brain = new BrainMetastases(lesions, null, null, null, null);
        return this;
    }

    public PatientBuilder Sites(params MetastaticSite[] values) { sites.Clear(); sites.AddRange(values); return this; }

    public PatientBuilder Brain(BrainMetastasisStatus status, int? lesions = 1, bool? symptomaticBrain = false, int? largestMm = 8)
    {
        brain = new BrainMetastases(lesions, largestMm, symptomaticBrain, false, status);
        return this;
    }

    public PatientBuilder Leptomeningeal() { leptomeningeal = true; return this; }

    public PatientBuilder Burden(DiseaseBurden? value) { burden = value; return this; }

    public PatientBuilder Symptomatic(bool? value) { symptomatic = value; return this; }

    public PatientBuilder Extracranial(ExtracranialStatus? value) { extracranial = value; return this; }

    public PatientBuilder Ecog(int? value) { ecog = value; return this; }

    public PatientBuilder Lvef(int? percent, string date = "2024-01-15", int? baseline = null)
    {
        lvef = percent is null ? null : new CardiacFunction(percent.Value, D(date), baseline, baseline is null ? null : D("2023-06-01"));
        return this;
    }

    public PatientBuilder Comorbid(Comorbidities value) { comorbidities |= value; return this; }

    public PatientBuilder OtherComorbidity(string value) { otherComorbidities.Add(value); return this; }

    public PatientBuilder Symptom(Symptoms value) { symptoms |= value; return this; }

    /// <summary>A symptom with the date it began.</summary>
    public PatientBuilder Symptom(Symptoms value, string onset)
    {
        symptoms |= value;
        onsets.Add(new SymptomOnset(value, D(onset)));
        return this;
    }

    public PatientBuilder Pregnancy(PregnancyStatus? value) { pregnancy = value; return this; }

    public PatientBuilder Breastfeeding(bool? value) { breastfeeding = value; return this; }

    public PatientBuilder OfSex(Sex value) { sex = value; return this; }

    public PatientBuilder Allergy(string substance) => Intolerance(IntoleranceKind.Allergy, substance);

    public PatientBuilder Contraindication(string substance) => Intolerance(IntoleranceKind.Contraindication, substance);

    private PatientBuilder Intolerance(IntoleranceKind kind, string substance)
    {
        var group = kb.FindGroup(substance);
        var agents = group?.Members ?? Agents(substance);
        intolerances.Add(new Intolerance(kind, substance, agents, group is not null, null));
        return this;
    }

    public PatientBuilder CanTakeOral(bool? value) { canTakeOral = value; return this; }

    /// <summary>A finished metastatic line.</summary>
    public PatientBuilder Line(
        string start,
        string stop,
        string[] agents,
        StopReason stopReason = StopReason.Progression,
        Response? best = Response.PartialResponse,
        bool? earlyProgression = false,
        string? taxaneStopped = null,
        string[]? causative = null,
        ToxicityKind? toxicity = null)
    {
        regimens.Add(new MetastaticRegimen(
            Agents(agents), D(start), D(stop), best, stopReason, earlyProgression,
            taxaneStopped is null ? null : D(taxaneStopped), causative is null ? AgentSet.Empty : Agents(causative), toxicity));
        return this;
    }

    /// <summary>The ongoing metastatic line.</summary>
    public PatientBuilder Ongoing(string start, string[] agents, Response? best = Response.PartialResponse, string? taxaneStopped = null)
    {
        regimens.Add(new MetastaticRegimen(
            Agents(agents), D(start), null, best, null, null, taxaneStopped is null ? null : D(taxaneStopped), AgentSet.Empty));
        return this;
    }

    public PatientBuilder Avoid(AvoidPreferences value) { avoid |= value; return this; }

    public PatientBuilder Declines(params string[] agents) { declined |= Agents(agents); return this; }

    public PatientBuilder Unavailable(params string[] agents) { unavailable |= Agents(agents); return this; }

    public Patient Build() => new(
        id, age, sex, menopause,
        new Receptors(her2, er, pr),
        presentation,
        new Disease([.. sites], brain, leptomeningeal, burden, symptomatic, extracranial),
        ecog, lvef, comorbidities, [.. otherComorbidities], symptoms, [.. intolerances], canTakeOral, early, [.. regimens],
        new Preferences(avoid, declined), unavailable, pregnancy, breastfeeding, [.. onsets]);
}
