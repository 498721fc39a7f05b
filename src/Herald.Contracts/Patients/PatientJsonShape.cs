namespace Herald.Contracts.Patients;

/// <summary>
/// The properties one object of the patient JSON accepts. <see cref="Path"/> names the object as in
/// error paths, with <c>[]</c> for "each item of the array": <c>metastaticRegimens[]</c>.
/// </summary>
public sealed class ObjectShape
{
    private readonly HashSet<string> names;

    internal ObjectShape(string path, params string[] properties)
    {
        Path = path;
        Properties = properties;
        names = new HashSet<string>(properties, StringComparer.Ordinal);
    }

    public string Path { get; }

    /// <summary>Accepted property names, in the order the documentation lists them.</summary>
    public IReadOnlyList<string> Properties { get; }

    public bool Accepts(string name) => names.Contains(name);

    public override string ToString() => Path.Length == 0 ? "(patient)" : Path;
}

/// <summary>
/// Every object of the native patient JSON and the properties it accepts. The reader rejects any
/// other property, and fails loudly if it reads a property not listed here or forgets to read one, so
/// this description, the reader and docs/patient.schema.json (checked by a test) stay in step.
/// </summary>
public static class PatientJsonShape
{
    public static readonly ObjectShape Patient = new(
        "",
        "id",
        "assessmentDate",
        "age",
        "sex",
        "menopausalStatus",
        "receptors",
        "presentation",
        "disease",
        "ecog",
        "lvef",
        "comorbidities",
        "otherComorbidities",
        "symptoms",
        "allergies",
        "contraindications",
        "canTakeOralDrugs",
        "earlyDisease",
        "metastaticRegimens",
        "preferences",
        "unavailableDrugs",
        "pregnancy",
        "breastfeeding");

    public static readonly ObjectShape Receptors = new("receptors", "her2", "er", "pr");

    public static readonly ObjectShape Her2 = new("receptors.her2", "ihc", "ish", "ishRatio", "ishCopyNumber", "status", "specimen", "date");

    public static readonly ObjectShape Presentation = new("presentation", "type", "initialDiagnosisDate", "metastaticDiagnosisDate");

    public static readonly ObjectShape Disease = new(
        "disease", "sites", "brain", "leptomeningeal", "burden", "symptomatic", "extracranialStatus");

    public static readonly ObjectShape Brain = new(
        "disease.brain", "status", "lesionCount", "largestLesionMm", "symptomatic", "treatedLocally");

    public static readonly ObjectShape Lvef = new("lvef", "percent", "date", "baselinePercent", "baselineDate");

    /// <summary>A symptom given as an object, with when it began (a plain symptom word is accepted too).</summary>
    public static readonly ObjectShape Symptom = new("symptoms[]", "symptom", "onset");

    public static readonly ObjectShape Allergy = new("allergies[]", "substance", "reaction");

    public static readonly ObjectShape Contraindication = new("contraindications[]", "substance", "reason");

    public static readonly ObjectShape EarlyDisease = new("earlyDisease", "regimens", "pathologicResponse", "trastuzumabCompleted");

    public static readonly ObjectShape EarlyRegimen = new("earlyDisease.regimens[]", "setting", "agents", "start", "stop");

    public static readonly ObjectShape MetastaticRegimen = new(
        "metastaticRegimens[]",
        "agents",
        "start",
        "stop",
        "bestResponse",
        "stopReason",
        "progressionAtFirstAssessment",
        "taxaneStopped",
        "causativeAgents",
        "toxicity");

    public static readonly ObjectShape Preferences = new("preferences", "avoid", "declines");

    /// <summary>All objects, parents before children.</summary>
    public static readonly IReadOnlyList<ObjectShape> Objects =
    [
        Patient, Receptors, Her2, Presentation, Disease, Brain, Lvef, Symptom, Allergy, Contraindication,
        EarlyDisease, EarlyRegimen, MetastaticRegimen, Preferences,
    ];
}
