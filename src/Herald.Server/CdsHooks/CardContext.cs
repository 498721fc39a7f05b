using Herald.Core.Knowledge;
using Herald.Fhir;

namespace Herald.Server.CdsHooks;

/// <summary>
/// What the cards need besides the decision: the call they answer (hookInstance, for stable card ids),
/// the patient's FHIR id, and what the FHIR mapping could not read or had to choose.
/// </summary>
public sealed record CardContext
{
    /// <summary>The request's hookInstance; card and suggestion uuids derive from it.</summary>
    public required string HookInstance { get; init; }

    /// <summary>The patient's FHIR id (context.patientId): proposals are for <c>Patient/{PatientId}</c>.</summary>
    public required string PatientId { get; init; }

    /// <summary>Codes for concepts Herald reads that the mapping could not map (an info card lists them).</summary>
    public IReadOnlyList<UnmappedCode> Unmapped { get; init; } = [];

    /// <summary>How the mapping read values where that took a choice.</summary>
    public IReadOnlyList<MappingNote> Notes { get; init; } = [];

    /// <summary>The lines as the mapping derived them from medication records (adds how progression was inferred).</summary>
    public IReadOnlyList<DerivedLine> DerivedLines { get; init; } = [];

    /// <summary>
    /// The knowledge base, to tell a group slot ("chemotherapy", "endocrine therapy") from an agent; without
    /// it every agent without a code is proposed by text.
    /// </summary>
    public KnowledgeBase? Knowledge { get; init; }

    /// <summary>What reading the FHIR record inferred or could not read: the rationale and missing-data requests say it.</summary>
    public Herald.Contracts.Output.RecordReading Reading { get; init; } = Herald.Contracts.Output.RecordReading.None;

    /// <summary>Optional absolute URL for card.source.url (e.g. the server's documentation page).</summary>
    public string? SourceUrl { get; init; }
}
