using System.Text.Json;
using System.Text.Json.Nodes;
using Herald.Core.Knowledge;

namespace Herald.Fhir;

// The public face of the FHIR mapping. The server gathers a patient's resources (a Bundle, or the
// CDS Hooks prefetch) into a FhirResourceSet and maps them to the native patient input, which then
// goes through the same PatientJsonReader as the CLI. Nothing here does I/O.

/// <summary>A patient's FHIR resources, gathered from Bundles and single resources; unknown types are kept out.</summary>
public sealed partial class FhirResourceSet
{
}

/// <summary>Maps a patient's FHIR R4 / mCODE resources to the native patient input (docs/fhir-mapping.md).</summary>
public static class FhirPatientMapper
{
    /// <param name="asOf">The date of the decision: the native assessmentDate; later records are not used.</param>
    /// <param name="patientId">When given, only resources whose subject is this patient, and the Patient with this id.</param>
    public static FhirMappingResult Map(FhirResourceSet resources, KnowledgeBase kb, DateOnly asOf, string? patientId = null)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(kb);
        return new Mapping.PatientMapping(resources, kb, asOf).Run(string.IsNullOrWhiteSpace(patientId) ? null : patientId.Trim());
    }
}

/// <summary>
/// The outcome of mapping: the native patient JSON (a clinician can read, correct and re-submit it),
/// the metastatic lines derived from medication records and how, every code that names a concept
/// Herald uses but that Herald could not map, and problems that keep the mapping from giving a patient.
/// </summary>
public sealed record FhirMappingResult(
    JsonObject Patient,
    IReadOnlyList<DerivedLine> Lines,
    IReadOnlyList<UnmappedCode> Unmapped,
    IReadOnlyList<MappingNote> Notes,
    IReadOnlyList<MappingProblem> Problems)
{
    public bool IsComplete => Problems.Count == 0;

    /// <summary>The values Herald inferred (docs/fhir-mapping.md, "Inferences"), each also a note.</summary>
    public IEnumerable<MappingNote> Inferences => Notes.Where(n => n.Inference);
}

/// <summary>A metastatic line of therapy derived from medication records.</summary>
public sealed record DerivedLine(
    int Number,
    IReadOnlyList<string> Agents,
    string Start,
    string? Stop,
    string? StopReason,
    string? BestResponse,
    bool? ProgressionAtFirstAssessment,
    string? ProgressionInferredFrom,
    string? TaxaneStopped,
    IReadOnlyList<string> Rules,
    IReadOnlyList<string> Sources)
{
    /// <summary>The agents whose records give toxicity as the reason they stopped, when the line stopped for toxicity.</summary>
    public IReadOnlyList<string> CausativeAgents { get; init; } = [];

    /// <summary>What the toxicity was (cardiac, infusion-reaction, other) when the line stopped for toxicity and a record says.</summary>
    public string? Toxicity { get; init; }
}

/// <summary>A code for a concept Herald reads (a drug, a receptor result, a site...) that it does not know.</summary>
public sealed record UnmappedCode(
    string Resource,
    string Element,
    string Concept,
    string? System,
    string? Code,
    string? Display)
{
    private static readonly Dictionary<string, string> FieldByConcept = new(StringComparer.Ordinal)
    {
        ["HER2 result"] = "receptors.her2",
        ["HER2 ratio"] = "receptors.her2",
        ["HER2 IHC score"] = "receptors.her2",
        ["ER result"] = "receptors.er",
        ["PR result"] = "receptors.pr",
        ["ECOG performance status"] = "ecog",
        ["LVEF"] = "lvef",
        ["cancer disease status"] = "disease.extracranialStatus",
        ["TNM M category"] = "presentation.type",
        ["metastatic site"] = "disease.sites",
    };

    /// <summary>The native field this result would have given, when it is one a request for missing data can name.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? Field => FieldByConcept.GetValueOrDefault(Concept);

    /// <summary>"'see report' (Observation/17)", or with its code: "LOINC 1234-5 'HER2' (Observation/17)".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Description
    {
        get
        {
            var code = Code is null ? "" : $"{Mapping.Coded.ShortSystem(System)} {Code} ";
            var text = Display is null ? "" : $"'{Display}' ";
            return $"{code}{text}({Resource})".Trim();
        }
    }
}

/// <summary>How a value was read when it took a choice (text match, clinical drug to ingredient, inference).</summary>
/// <param name="Source">The resource(s) it was read from; absent when the note is about the record as a whole.</param>
public sealed record MappingNote(string Field, string Text, string? Source = null)
{
    public string? Source { get; init; } = string.IsNullOrWhiteSpace(Source) ? null : Source;

    /// <summary>True when Herald inferred a value the record leaves unsaid; the answer states it in its rationale.</summary>
    public bool Inference { get; init; }
}

/// <summary>A required value the resources do not give (e.g. the metastatic diagnosis date).</summary>
public sealed record MappingProblem(string Field, string Message);
