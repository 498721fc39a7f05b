using Herald.Core.Knowledge;

namespace Herald.Fhir.Lines;

// The seam between reading medication resources (FhirPatientMapper) and deriving lines of therapy
// (LineOfTherapyDeriver). The deriver sees only these records, never FHIR JSON.

public enum MedicationUseStatus { Active, Completed, Stopped, Unknown }

public enum TreatmentIntent { Curative, Palliative, Unknown }

/// <summary>One medication record reduced to what line derivation needs.</summary>
/// <param name="Source">The record, as "MedicationAdministration/123".</param>
/// <param name="Agents">Knowledge-base agent ids the record names (usually one).</param>
/// <param name="StopReason">A native stop reason (progression, toxicity, completed, patient-decision, other) read from statusReason.</param>
/// <param name="ToxicityKind">With stop reason toxicity, what it was when the record says (cardiac, infusion-reaction, other).</param>
public sealed record MedicationUse(
    string Source,
    IReadOnlyList<string> Agents,
    DateOnly Start,
    DateOnly? End,
    MedicationUseStatus Status,
    TreatmentIntent Intent,
    string? StopReason,
    string? StopReasonSource,
    string? ToxicityKind = null);

public enum DiseaseStatus { Progressing, Stable, Responding, NotDetected, Unknown }

/// <summary>An mCODE cancer disease status observation (LOINC 97509-4).</summary>
public sealed record DiseaseStatusObservation(string Source, DateOnly Date, DiseaseStatus Status);

/// <summary>Treatment given before the metastatic diagnosis, or with curative intent.</summary>
public sealed record EarlyTreatment(IReadOnlyList<string> Agents, DateOnly Start, DateOnly? Stop, IReadOnlyList<string> Sources);

public sealed record LineDerivation(
    IReadOnlyList<EarlyTreatment> Early,
    IReadOnlyList<DerivedLine> Lines,
    IReadOnlyList<MappingNote> Notes);

/// <summary>A code as it arrives (a Coding, or the text of a CodeableConcept).</summary>
public readonly record struct CodedValue(string? System, string? Code, string? Display);

public enum AgentMatch { None, Ingredient, Product, Text }

/// <summary>The agents a medication code names, and how they were found.</summary>
public sealed record AgentResolution(IReadOnlyList<string> Agents, AgentMatch How, string? Detail);
