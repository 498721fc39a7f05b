namespace Herald.Core.Knowledge;

/// <summary>The families of agents the seeds distinguish.</summary>
public enum AgentClass
{
    AntiHer2Antibody,
    AntibodyDrugConjugate,
    Her2TyrosineKinaseInhibitor,
    Taxane,
    OtherChemotherapy,
    Endocrine,
    OtherTargeted,
}

public enum Route
{
    Intravenous,
    Oral,
    Subcutaneous,
    Intramuscular,
}

/// <summary>
/// How strong the support behind a statement is, in the words the seeds use.
/// Ordered from strongest to weakest.
/// </summary>
public enum Strength
{
    PhaseIII = 0,
    PhaseII = 1,
    Exploratory = 2,
    ExpertOpinion = 3,
    NoData = 4,

    /// <summary>A product-label rule (used by safety rules, not by recommendations).</summary>
    ProductLabel = 5,
}

/// <summary>
/// How firmly a statement puts a regimen forward. Ranking sorts on this first.
/// </summary>
public enum Preference
{
    /// <summary>The source names it as its choice among the options.</summary>
    Preferred = 1,

    /// <summary>The source recommends it, without ordering it against its other recommendations.</summary>
    Recommended = 2,

    /// <summary>The source lists it as an acceptable option.</summary>
    Option = 3,

    /// <summary>The source says it may be considered for selected patients, or has no data for it.</summary>
    Consider = 4,
}

/// <summary>
/// The settings in which a statement speaks. A decision point carries one or more of these.
/// </summary>
[Flags]
public enum Setting
{
    None = 0,
    FirstLine = 1 << 0,
    SecondLine = 1 << 1,
    LaterLine = 1 << 2,
    Maintenance = 1 << 3,
    ProgressionOnMaintenance = 1 << 4,
    ContinuationAfterCompleteResponse = 1 << 5,
    ContinueCurrentTherapy = 1 << 6,
    BrainMetastasesLocalTherapy = 1 << 7,
    Any = (1 << 8) - 1,
}

public enum Severity
{
    Info,
    Warning,
    Critical,
}

public enum CodeConfidence
{
    High,
    Medium,
    Unverified,
}

public static class VocabularyNames
{
    public static string Id(this Strength s) => s switch
    {
        Strength.PhaseIII => "phase-iii",
        Strength.PhaseII => "phase-ii",
        Strength.Exploratory => "exploratory",
        Strength.ExpertOpinion => "expert-opinion",
        Strength.NoData => "no-data",
        Strength.ProductLabel => "product-label",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Label(this Strength s) => s switch
    {
        Strength.PhaseIII => "Phase III evidence",
        Strength.PhaseII => "Phase II evidence",
        Strength.Exploratory => "Exploratory evidence (subgroup, case series)",
        Strength.ExpertOpinion => "Expert panel or consensus opinion",
        Strength.NoData => "No data (the source says so)",
        Strength.ProductLabel => "Product label",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Id(this Preference p) => p switch
    {
        Preference.Preferred => "preferred",
        Preference.Recommended => "recommended",
        Preference.Option => "option",
        Preference.Consider => "consider",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static string Id(this AgentClass c) => c switch
    {
        AgentClass.AntiHer2Antibody => "anti-her2-antibody",
        AgentClass.AntibodyDrugConjugate => "antibody-drug-conjugate",
        AgentClass.Her2TyrosineKinaseInhibitor => "her2-tyrosine-kinase-inhibitor",
        AgentClass.Taxane => "taxane",
        AgentClass.OtherChemotherapy => "other-chemotherapy",
        AgentClass.Endocrine => "endocrine",
        AgentClass.OtherTargeted => "other-targeted",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string Id(this Route r) => r switch
    {
        Route.Intravenous => "intravenous",
        Route.Oral => "oral",
        Route.Subcutaneous => "subcutaneous",
        Route.Intramuscular => "intramuscular",
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public static string Id(this Severity s) => s switch
    {
        Severity.Info => "info",
        Severity.Warning => "warning",
        Severity.Critical => "critical",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Id(this CodeConfidence c) => c switch
    {
        CodeConfidence.High => "high",
        CodeConfidence.Medium => "medium",
        CodeConfidence.Unverified => "unverified",
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    public static string Id(this StatementKind k) => k switch
    {
        StatementKind.Recommendation => "recommendation",
        StatementKind.NotRecommended => "not-recommended",
        StatementKind.Principle => "principle",
        StatementKind.Uncertainty => "uncertainty",
        StatementKind.Silence => "silence",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static string Id(this SafetyEffect e) => e switch
    {
        SafetyEffect.Exclude => "exclude",
        SafetyEffect.Caution => "caution",
        SafetyEffect.WeighAgainst => "weigh-against",
        SafetyEffect.Monitor => "monitor",
        SafetyEffect.Alert => "alert",
        _ => throw new ArgumentOutOfRangeException(nameof(e)),
    };

    public static string Id(this RegimenKind k) => k switch
    {
        RegimenKind.Standard => "standard",
        RegimenKind.CurrentRegimen => "current-regimen",
        RegimenKind.CurrentAntiHer2Therapy => "current-anti-her2-therapy",
        RegimenKind.CurrentAntiHer2TherapyWithEndocrine => "current-anti-her2-therapy-with-endocrine",
        _ => throw new ArgumentOutOfRangeException(nameof(k)),
    };

    public static readonly (Setting Setting, string Id)[] SettingIds =
    [
        (Setting.FirstLine, "first-line"),
        (Setting.SecondLine, "second-line"),
        (Setting.LaterLine, "later-line"),
        (Setting.Maintenance, "maintenance"),
        (Setting.ProgressionOnMaintenance, "progression-on-maintenance"),
        (Setting.ContinuationAfterCompleteResponse, "continuation-after-complete-response"),
        (Setting.ContinueCurrentTherapy, "continue-current-therapy"),
        (Setting.BrainMetastasesLocalTherapy, "brain-metastases-local-therapy"),
        (Setting.Any, "any"),
    ];

    public static string Ids(this Setting settings)
    {
        if (settings == Setting.Any)
        {
            return "any";
        }

        var names = new List<string>();
        foreach (var (setting, id) in SettingIds)
        {
            if (setting != Setting.Any && (settings & setting) != 0)
            {
                names.Add(id);
            }
        }

        return string.Join(", ", names);
    }
}
