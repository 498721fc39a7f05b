using Herald.Core.Patients;

namespace Herald.Contracts.Patients;

/// <summary>
/// The words of one enumeration in the patient JSON: a kebab-case id per value, plus aliases the
/// reader also accepts (CR for complete-response). The output writes the ids.
/// </summary>
public sealed class EnumVocabulary<T>
    where T : struct, Enum
{
    private readonly (string Word, T Value)[] ids;
    private readonly (string Word, T Value)[] aliases;

    internal EnumVocabulary((string Word, T Value)[] ids, (string Word, T Value)[]? aliases = null)
    {
        this.ids = ids;
        this.aliases = aliases ?? [];
    }

    /// <summary>The canonical words, in the order messages and the schema list them.</summary>
    public IReadOnlyList<string> Ids => Array.ConvertAll(ids, x => x.Word);

    /// <summary>Every word the reader accepts: the ids, then the aliases.</summary>
    public IReadOnlyList<string> Accepted => [.. ids.Select(x => x.Word), .. aliases.Select(x => x.Word)];

    public bool TryParse(string word, out T value)
    {
        foreach (var (w, v) in ids.Concat(aliases))
        {
            if (string.Equals(w, word, StringComparison.Ordinal))
            {
                value = v;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string Id(T value)
    {
        foreach (var (w, v) in ids)
        {
            if (EqualityComparer<T>.Default.Equals(v, value))
            {
                return w;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"No id for {typeof(T).Name}.{value}.");
    }

    /// <summary>"0, 1+, 2+, 3+" or, with aliases, "complete-response, … (or CR, PR, SD, PD)".</summary>
    public string Describe()
    {
        var list = string.Join(", ", ids.Select(x => x.Word));
        return aliases.Length == 0 ? list : $"{list} (or {string.Join(", ", aliases.Select(x => x.Word))})";
    }
}

/// <summary>The enumerations of the native patient JSON (docs/patient-input.md).</summary>
public static class PatientVocabulary
{
    public static readonly EnumVocabulary<Sex> Sex = new(
    [
        ("female", Core.Patients.Sex.Female),
        ("male", Core.Patients.Sex.Male),
        ("other", Core.Patients.Sex.Other),
    ]);

    public static readonly EnumVocabulary<MenopausalStatus> MenopausalStatus = new(
    [
        ("premenopausal", Core.Patients.MenopausalStatus.Premenopausal),
        ("perimenopausal", Core.Patients.MenopausalStatus.Perimenopausal),
        ("postmenopausal", Core.Patients.MenopausalStatus.Postmenopausal),
    ]);

    public static readonly EnumVocabulary<IhcScore> Ihc = new(
    [
        ("0", IhcScore.Zero),
        ("1+", IhcScore.OnePlus),
        ("2+", IhcScore.TwoPlus),
        ("3+", IhcScore.ThreePlus),
    ]);

    public static readonly EnumVocabulary<IshResult> Ish = new(
    [
        ("amplified", IshResult.Amplified),
        ("not-amplified", IshResult.NotAmplified),
        ("equivocal", IshResult.Equivocal),
    ]);

    public static readonly EnumVocabulary<ReportedStatus> Her2Status = new(
    [
        ("positive", ReportedStatus.Positive),
        ("negative", ReportedStatus.Negative),
        ("equivocal", ReportedStatus.Equivocal),
    ]);

    public static readonly EnumVocabulary<Specimen> Specimen = new(
    [
        ("primary", Core.Patients.Specimen.Primary),
        ("metastasis", Core.Patients.Specimen.Metastasis),
    ]);

    public static readonly EnumVocabulary<HormoneReceptorStatus> HormoneReceptor = new(
    [
        ("positive", HormoneReceptorStatus.Positive),
        ("negative", HormoneReceptorStatus.Negative),
    ]);

    public static readonly EnumVocabulary<PresentationType> PresentationType = new(
    [
        ("de-novo", Core.Patients.PresentationType.DeNovo),
        ("recurrence", Core.Patients.PresentationType.Recurrence),
        ("not-metastatic", Core.Patients.PresentationType.NotMetastatic),
    ]);

    public static readonly EnumVocabulary<MetastaticSite> Site = new(
    [
        ("liver", MetastaticSite.Liver),
        ("lung", MetastaticSite.Lung),
        ("pleura", MetastaticSite.Pleura),
        ("peritoneum", MetastaticSite.Peritoneum),
        ("adrenal", MetastaticSite.Adrenal),
        ("other-visceral", MetastaticSite.OtherVisceral),
        ("bone", MetastaticSite.Bone),
        ("soft-tissue", MetastaticSite.SoftTissue),
        ("lymph-nodes", MetastaticSite.LymphNodes),
        ("skin", MetastaticSite.Skin),
        ("chest-wall", MetastaticSite.ChestWall),
    ]);

    public static readonly EnumVocabulary<BrainMetastasisStatus> BrainStatus = new(
    [
        ("new", BrainMetastasisStatus.New),
        ("progressing", BrainMetastasisStatus.Progressing),
        ("stable", BrainMetastasisStatus.Stable),
    ]);

    public static readonly EnumVocabulary<DiseaseBurden> Burden = new(
    [
        ("low", DiseaseBurden.Low),
        ("moderate", DiseaseBurden.Moderate),
        ("high", DiseaseBurden.High),
    ]);

    public static readonly EnumVocabulary<ExtracranialStatus> Extracranial = new(
    [
        ("responding", ExtracranialStatus.Responding),
        ("stable", ExtracranialStatus.Stable),
        ("progressing", ExtracranialStatus.Progressing),
        ("no-extracranial-disease", ExtracranialStatus.NoExtracranialDisease),
    ]);

    public static readonly EnumVocabulary<Comorbidities> Comorbidity = new(
    [
        ("heart-failure", Comorbidities.HeartFailure),
        ("coronary-disease", Comorbidities.CoronaryDisease),
        ("other-cardiovascular-disease", Comorbidities.OtherCardiovascularDisease),
        ("diabetes", Comorbidities.Diabetes),
        ("interstitial-lung-disease", Comorbidities.InterstitialLungDisease),
        ("pneumonitis", Comorbidities.Pneumonitis),
    ]);

    public static readonly EnumVocabulary<Symptoms> Symptom = new(
    [
        ("persistent-cough", Symptoms.PersistentCough),
        ("cough", Symptoms.Cough),
        ("dyspnoea", Symptoms.Dyspnoea),
        ("fever", Symptoms.Fever),
    ]);

    public static readonly EnumVocabulary<PregnancyStatus> Pregnancy = new(
    [
        ("pregnant", PregnancyStatus.Pregnant),
        ("not-pregnant", PregnancyStatus.NotPregnant),
        ("unknown", PregnancyStatus.Unknown),
    ]);

    public static readonly EnumVocabulary<ToxicityKind> Toxicity = new(
    [
        ("cardiac", ToxicityKind.Cardiac),
        ("infusion-reaction", ToxicityKind.InfusionReaction),
        ("other", ToxicityKind.Other),
    ]);

    public static readonly EnumVocabulary<EarlySetting> EarlySetting = new(
    [
        ("neoadjuvant", Core.Patients.EarlySetting.Neoadjuvant),
        ("adjuvant", Core.Patients.EarlySetting.Adjuvant),
    ]);

    public static readonly EnumVocabulary<PathologicResponse> PathologicResponse = new(
    [
        ("complete-response", Core.Patients.PathologicResponse.CompleteResponse),
        ("residual-disease", Core.Patients.PathologicResponse.ResidualDisease),
    ]);

    public static readonly EnumVocabulary<Response> Response = new(
        [
            ("complete-response", Core.Patients.Response.CompleteResponse),
            ("partial-response", Core.Patients.Response.PartialResponse),
            ("stable-disease", Core.Patients.Response.StableDisease),
            ("progressive-disease", Core.Patients.Response.ProgressiveDisease),
        ],
        [
            ("CR", Core.Patients.Response.CompleteResponse),
            ("PR", Core.Patients.Response.PartialResponse),
            ("SD", Core.Patients.Response.StableDisease),
            ("PD", Core.Patients.Response.ProgressiveDisease),
        ]);

    public static readonly EnumVocabulary<StopReason> StopReason = new(
    [
        ("progression", Core.Patients.StopReason.Progression),
        ("toxicity", Core.Patients.StopReason.Toxicity),
        ("completed", Core.Patients.StopReason.Completed),
        ("patient-decision", Core.Patients.StopReason.PatientDecision),
        ("other", Core.Patients.StopReason.Other),
    ]);

    public static readonly EnumVocabulary<AvoidPreferences> Avoid = new(
    [
        ("intravenous-therapy", AvoidPreferences.IntravenousTherapy),
        ("oral-therapy", AvoidPreferences.OralTherapy),
        ("alopecia", AvoidPreferences.Alopecia),
    ]);
}
