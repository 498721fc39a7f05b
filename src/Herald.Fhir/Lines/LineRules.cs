namespace Herald.Fhir.Lines;

/// <summary>
/// The numbers and rule ids of line-of-therapy derivation. Every DerivedLine rule sentence starts with one
/// of these ids and a colon; docs/lines-of-therapy.md explains each one and where it comes from.
/// </summary>
public static class LineRules
{
    /// <summary>Drugs started within this many days of a line's first drug form its regimen (Meng et al. 2019).</summary>
    public const int RegimenWindowDays = 28;

    /// <summary>More than this many days without any treatment starts a new line (Meng et al. 2019).</summary>
    public const int MaxTreatmentGapDays = 180;

    /// <summary>
    /// The last line is ongoing when its latest record is this recent (two 21-day cycles) and no record gives a
    /// stop reason. Herald's choice, not from a source.
    /// </summary>
    public const int OngoingRecencyDays = 42;

    /// <summary>For the last line, a disease-status observation up to this many days after its last drug still assesses it.</summary>
    public const int AssessmentDaysAfterStop = 28;

    /// <summary>With no disease-status observation, progression this soon after the start counts as progression at the first assessment.</summary>
    public const int FirstAssessmentDays = 12 * 7;

    public const string FirstLine = "first-line";
    public const string RegimenWindow = "regimen-window";
    public const string NewDrug = "new-drug";
    public const string EndocrineAdded = "endocrine-added";
    public const string EarlyEndocrine = "early-endocrine";
    public const string TreatmentGap = "treatment-gap";
    public const string SameDrugsRestarted = "same-drugs";
    public const string Substitution = "substitution";
    public const string Continued = "continued";
    public const string MergedRecords = "merged-records";
    public const string Maintenance = "maintenance";
    public const string Ongoing = "ongoing";
    public const string StopAtNextLine = "stop-next-line";
    public const string StopReason = "stop-reason";
    public const string BestResponse = "best-response";
    public const string FirstAssessment = "first-assessment";

    /// <summary>Listed substitutions (evidence.md: "paclitaxel ↔ nab-paclitaxel"): switching between them does not advance the line.</summary>
    public static readonly IReadOnlyList<(string A, string B)> ListedSubstitutions = [("paclitaxel", "nab-paclitaxel")];

    /// <summary>The native stop reasons (docs/patient-input.md, metastaticRegimens[].stopReason).</summary>
    public static readonly IReadOnlyList<string> NativeStopReasons = ["progression", "toxicity", "completed", "patient-decision", "other"];

    /// <summary>
    /// Native toxicity kinds, most restrictive first: an infusion reaction to trastuzumab rules out T-DM1 and T-DXd;
    /// "other" keeps trastuzumab excluded, where "cardiac" allows it again once the LVEF has recovered.
    /// </summary>
    public static readonly IReadOnlyList<string> ToxicityKindsMostRestrictiveFirst = ["infusion-reaction", "other", "cardiac"];
}
