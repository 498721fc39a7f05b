using FsCheck;
using FsCheck.Fluent;
using Herald.Core.Knowledge;
using Herald.Core.Patients;
using Herald.Tests.Support;

namespace Herald.Tests.Properties;

/// <summary>
/// Random patients that the JSON reader would accept: consistent dates, one ongoing line at most, agents
/// from the knowledge base. Wide enough to reach every decision point, exclusion and missing-data path.
/// </summary>
public static class PatientGenerator
{
    public static readonly DateOnly AsOf = new(2026, 6, 1);

    private static readonly string[][] Regimens =
    [
        ["pertuzumab", "trastuzumab", "docetaxel"],
        ["pertuzumab", "trastuzumab", "paclitaxel"],
        ["trastuzumab-emtansine"],
        ["tucatinib", "trastuzumab", "capecitabine"],
        ["trastuzumab-deruxtecan"],
        ["lapatinib", "capecitabine"],
        ["lapatinib", "trastuzumab"],
        ["trastuzumab", "vinorelbine"],
        ["neratinib", "capecitabine"],
        ["trastuzumab", "letrozole"],
        ["eribulin"],
        ["pertuzumab", "trastuzumab", "vinorelbine"],
    ];

    private static readonly string[] IntoleranceSubstances = ["taxane", "paclitaxel", "capecitabine", "trastuzumab-deruxtecan", "chemotherapy", "lapatinib"];

    private static readonly string[] OptionalAgents = ["tucatinib", "trastuzumab-deruxtecan", "neratinib", "pertuzumab", "trastuzumab-emtansine"];

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : struct => Gen.Frequency((1, Gen.Constant<T?>(null)), (3, gen.Select(x => (T?)x)));

    private static Gen<T> OneOf<T>(params T[] values) => Gen.Elements(values);

    private static Gen<T> Enum<T>()
        where T : struct, Enum => Gen.Elements(System.Enum.GetValues<T>());

    private static Gen<TFlags> Flags<TFlags>()
        where TFlags : struct, Enum =>
        Gen.SubListOf(System.Enum.GetValues<TFlags>()).Select(list =>
            (TFlags)System.Enum.ToObject(typeof(TFlags), list.Aggregate(0, (acc, f) => acc | Convert.ToInt32(f))));

    private static AgentSet Agents(KnowledgeBase kb, IEnumerable<string> names) =>
        AgentSet.Of(names.Select(n => kb.FindAgent(n)!));

    private static readonly string[][] EarlyRegimens =
    [
        ["docetaxel", "carboplatin", "trastuzumab", "pertuzumab"], ["paclitaxel", "trastuzumab"], ["doxorubicin", "cyclophosphamide"],
        ["pertuzumab", "trastuzumab", "docetaxel"], ["pertuzumab", "trastuzumab"], ["trastuzumab-emtansine"],
    ];

    /// <summary>Any valid patient.</summary>
    public static Gen<Patient> Patients(KnowledgeBase kb) => Patients(kb, earlyRelapse: false);

    /// <summary>Patients whose disease relapsed within 12 months of a recorded early-disease regimen with HER2-directed therapy.</summary>
    public static Gen<Patient> EarlyRelapses(KnowledgeBase kb) => Patients(kb, earlyRelapse: true);

    private static Gen<Patient> Patients(KnowledgeBase kb, bool earlyRelapse) =>
        from her2 in Her2Tests()
        from er in OrNull(Enum<HormoneReceptorStatus>())
        from pr in OrNull(Enum<HormoneReceptorStatus>())
        from presentation in earlyRelapse ? Gen.Constant(PresentationType.Recurrence) : Gen.Elements(PresentationType.DeNovo, PresentationType.Recurrence)
        from monthsBeforeMetastatic in earlyRelapse ? Gen.Choose(0, 11) : Gen.Choose(1, 60)
        from earlyRecorded in earlyRelapse ? Gen.Constant(true) : Gen.Frequency((1, Gen.Constant(false)), (4, Gen.Constant(true)))
        from earlyRegimen in earlyRelapse ? Gen.Elements(EarlyRegimens.Where(r => r.Any(a => kb.FindAgent(a)!.IsHer2Directed)).ToArray()) : Gen.Elements(EarlyRegimens)
        from pcr in OrNull(Enum<PathologicResponse>())
        from lines in LineSpecs()
        from lastOngoing in Gen.Elements(true, false)
        from brain in Gen.Frequency((3, Gen.Constant<BrainMetastases?>(null)), (1, BrainGen()))
        from leptomeningeal in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from burden in OrNull(Enum<DiseaseBurden>())
        from symptomatic in OrNull(Gen.Elements(true, false))
        from extracranial in OrNull(Enum<ExtracranialStatus>())
        from ecog in OrNull(Gen.Choose(0, 4))
        from lvef in Gen.Frequency((1, Gen.Constant<int?>(null)), (4, Gen.Choose(25, 75).Select(x => (int?)x)))
        from baselineDelta in OrNull(Gen.Choose(-5, 25))
        from comorbidities in Flags<Comorbidities>()
        from symptoms in Flags<Symptoms>()
        from intolerances in Gen.SubListOf(IntoleranceSubstances)
        from allergy in Gen.Elements(IntoleranceKind.Allergy, IntoleranceKind.Contraindication)
        from oral in OrNull(Gen.Elements(true, false))
        from avoid in Flags<AvoidPreferences>()
        from unavailable in Gen.SubListOf(OptionalAgents)
        from declined in Gen.SubListOf(OptionalAgents)
        from menopause in OrNull(Enum<MenopausalStatus>())
        from age in OrNull(Gen.Choose(25, 90))
        from pregnancy in OrNull(Enum<PregnancyStatus>())
        from onsetDaysAgo in OrNull(Gen.Choose(1, 900))
        from toxicity in OrNull(Enum<ToxicityKind>())
        select Build(kb, her2, er, pr, presentation, monthsBeforeMetastatic, earlyRecorded, earlyRegimen, pcr, lines, lastOngoing,
            brain, leptomeningeal, burden, symptomatic, extracranial, ecog, lvef, baselineDelta, comorbidities, symptoms,
            intolerances, allergy, oral, avoid, unavailable, declined, menopause, age, pregnancy, onsetDaysAgo, toxicity);

    private static Gen<Her2Test?> Her2Tests() => Gen.Frequency(
        (8, Gen.Constant<Her2Test?>(new Her2Test(IhcScore.ThreePlus, null, null, null, Specimen.Metastasis, null))),
        (1, Gen.Constant<Her2Test?>(null)),
        (1, from ihc in OrNull(Enum<IhcScore>())
            from ish in OrNull(Enum<IshResult>())
            from specimen in OrNull(Enum<Specimen>())
            select (Her2Test?)new Her2Test(ihc, ish, null, null, specimen, null)));

    private sealed record LineSpec(int RegimenIndex, int Months, StopReason Reason, Response? Best, bool? Early, bool TaxaneStopped);

    private static Gen<List<LineSpec>> LineSpecs() =>
        Gen.Choose(0, 5).SelectMany(n => Gen.ListOf(
            from regimen in Gen.Choose(0, Regimens.Length - 1)
            from months in Gen.Choose(1, 20)
            from reason in Gen.Frequency(
                (6, Gen.Constant(StopReason.Progression)), (1, Gen.Constant(StopReason.Toxicity)),
                (1, Gen.Constant(StopReason.Completed)), (1, Gen.Constant(StopReason.PatientDecision)))
            from best in OrNull(Enum<Response>())
            from early in OrNull(Gen.Elements(true, false))
            from taxaneStopped in Gen.Elements(true, false)
            select new LineSpec(regimen, months, reason, best, early, taxaneStopped), n).Select(l => l.ToList()));

    private static Gen<BrainMetastases?> BrainGen() =>
        from status in Enum<BrainMetastasisStatus>()
        from lesions in OrNull(Gen.Choose(1, 6))
        from symptomatic in OrNull(Gen.Elements(true, false))
        select (BrainMetastases?)new BrainMetastases(lesions, 10, symptomatic, false, status);

    private static Patient Build(
        KnowledgeBase kb, Her2Test? her2, HormoneReceptorStatus? er, HormoneReceptorStatus? pr, PresentationType presentation,
        int monthsBeforeMetastatic, bool earlyRecorded, string[] earlyRegimen, PathologicResponse? pcr, List<LineSpec> lines,
        bool lastOngoing, BrainMetastases? brain, bool leptomeningeal, DiseaseBurden? burden, bool? symptomatic,
        ExtracranialStatus? extracranial, int? ecog, int? lvef, int? baselineDelta, Comorbidities comorbidities, Symptoms symptoms,
        IList<string> intolerances, IntoleranceKind intoleranceKind, bool? oral, AvoidPreferences avoid, IList<string> unavailable,
        IList<string> declined, MenopausalStatus? menopause, int? age, PregnancyStatus? pregnancy, int? onsetDaysAgo, ToxicityKind? toxicity)
    {
        // Lines run back to back and end before "now"; the metastatic diagnosis comes just before the first.
        var totalMonths = lines.Sum(l => l.Months + 1) + 1;
        var metastaticDiagnosis = AsOf.AddMonths(-totalMonths - 1);
        var start = metastaticDiagnosis.AddDays(10);
        var regimens = new List<MetastaticRegimen>();
        for (var i = 0; i < lines.Count; i++)
        {
            var spec = lines[i];
            var agents = Agents(kb, Regimens[spec.RegimenIndex]);
            var ongoing = lastOngoing && i == lines.Count - 1;
            var stop = start.AddMonths(spec.Months);
            var hasTaxane = agents.Overlaps(kb.Taxanes);
            DateOnly? taxaneStopped = hasTaxane && spec.TaxaneStopped && spec.Months > 4 ? start.AddMonths(4) : null;
            regimens.Add(ongoing
                ? new MetastaticRegimen(agents, start, null, spec.Best, null, null, taxaneStopped, AgentSet.Empty)
                : new MetastaticRegimen(
                    agents, start, stop, spec.Best, spec.Reason,
                    spec.Reason == StopReason.Progression ? spec.Early : null,
                    taxaneStopped,
                    spec.Reason == StopReason.Toxicity ? AgentSet.Of(agents.Indices().First()) : AgentSet.Empty,
                    spec.Reason == StopReason.Toxicity ? toxicity : null));
            start = stop.AddDays(14);
        }

        EarlyDisease? early = null;
        DateOnly? initial = null;
        if (presentation == PresentationType.Recurrence)
        {
            var earlyStop = metastaticDiagnosis.AddMonths(-monthsBeforeMetastatic);
            initial = earlyStop.AddMonths(-8);
            early = earlyRecorded
                ? new EarlyDisease([new EarlyRegimen(EarlySetting.Neoadjuvant, Agents(kb, earlyRegimen), earlyStop.AddMonths(-5), earlyStop)], pcr, null)
                : null;
        }

        var lvefDate = AsOf.AddDays(-30);
        var intoleranceList = intolerances.Select(substance =>
        {
            var group = kb.FindGroup(substance);
            return new Intolerance(intoleranceKind, substance, group?.Members ?? Agents(kb, [substance]), group is not null, null);
        }).ToArray();

        return new Patient(
            "generated", age, Sex.Female, menopause,
            new Receptors(her2, er, pr),
            new Presentation(presentation, initial, metastaticDiagnosis),
            new Disease([MetastaticSite.Liver, MetastaticSite.Bone], brain, leptomeningeal, burden, symptomatic, extracranial),
            ecog,
            lvef is null ? null : new CardiacFunction(lvef.Value, lvefDate, baselineDelta is null ? null : Math.Min(100, lvef.Value + baselineDelta.Value), baselineDelta is null ? null : lvefDate.AddMonths(-6)),
            comorbidities, [], symptoms, intoleranceList, oral, early, regimens,
            new Preferences(avoid, Agents(kb, declined)), Agents(kb, unavailable),
            pregnancy, null,
            onsetDaysAgo is { } days ? [.. System.Enum.GetValues<Symptoms>().Where(x => x != Symptoms.None && (symptoms & x) != 0).Select(x => new SymptomOnset(x, AsOf.AddDays(-days)))] : null);
    }
}
