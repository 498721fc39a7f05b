using System.Diagnostics;
using System.Text.Json;
using Herald.Contracts.Output;
using Herald.Contracts.Patients;
using Herald.Core.Decisions;
using Herald.Core.Engine;
using Herald.Core.Knowledge;
using Herald.Fhir;
using Herald.Server.Hosting;

namespace Herald.Server.Pipeline;

/// <summary>
/// One path from input to decision for every endpoint: native JSON or FHIR resources become a validated
/// patient, the engine decides, the contract mapper gives the document. "Today" is the call's own (the server's clock
/// when the call came in, kept in its audit record), so an answer can be derived again from the record alone.
/// The engine's own time per decision goes to <paramref name="metrics"/> when there is one (not when replaying).
/// </summary>
public sealed class DecisionService(KnowledgeBase knowledge, HeraldMetrics? metrics = null)
{
    private readonly DecisionEngine engine = new(knowledge);

    public KnowledgeBase Knowledge => knowledge;

    /// <summary>Finds an edition by id; null id means the default.</summary>
    public Edition? FindEdition(string? id, List<InputError> errors)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return knowledge.DefaultEdition;
        }

        var edition = knowledge.FindEdition(id);
        if (edition is null)
        {
            errors.Add(new InputError("edition", $"unknown edition '{id}'; known: {string.Join(", ", knowledge.Editions.Select(e => e.Id))}"));
        }

        return edition;
    }

    public DecisionOutcome FromNative(string json, string? editionId, DateOnly? asOf, DateOnly today)
    {
        var errors = new List<InputError>();
        var edition = FindEdition(editionId, errors);
        var read = ReadNative(json, asOf, today, errors);
        return read.Patient is { } patient && edition is not null
            ? Decide(patient, read.AsOf, edition, mapping: null)
            : DecisionOutcome.Invalid(errors, mapping: null);
    }

    /// <summary>From FHIR resources: map them to the native patient, then the same path as native input.</summary>
    /// <param name="withDocument">False when the caller renders the typed decision itself (the CDS Hooks cards) and
    /// needs no decision document: the outcome's <see cref="DecisionOutcome.Document"/> is then null.</param>
    public DecisionOutcome FromFhir(FhirResourceSet resources, string? patientId, string? editionId, DateOnly? asOf, DateOnly today, bool withDocument = true)
    {
        var errors = new List<InputError>();
        var edition = FindEdition(editionId, errors);
        if (errors.Count > 0)
        {
            // A bad query value is the caller's error, not a gap in the record: no mapping, so a 400.
            return DecisionOutcome.Invalid(errors, mapping: null);
        }

        var read = ReadFhir(resources, patientId, asOf, today, errors);
        return read.Patient is { } patient
            ? Decide(patient, read.AsOf, edition!, read.Mapping, withDocument)
            : DecisionOutcome.Invalid(errors, read.Mapping);
    }

    /// <summary>The same patient decided under every edition, in knowledge-base order, side by side.</summary>
    public ComparisonOutcome CompareNative(string json, DateOnly? asOf, DateOnly today)
    {
        var errors = new List<InputError>();
        var read = ReadNative(json, asOf, today, errors);
        return Compare(read, errors);
    }

    public ComparisonOutcome CompareFhir(FhirResourceSet resources, string? patientId, DateOnly? asOf, DateOnly today)
    {
        var errors = new List<InputError>();
        var read = ReadFhir(resources, patientId, asOf, today, errors);
        return Compare(read, errors);
    }

    private ComparisonOutcome Compare(PatientRead read, List<InputError> errors)
    {
        if (read.Patient is not { } patient)
        {
            return new ComparisonOutcome(null, read.Mapping, errors);
        }

        var decisions = knowledge.Editions.Select(edition => DecideTimed(patient, read.AsOf, edition)).ToArray();
        return new ComparisonOutcome(ComparisonDocumentMapper.Map(decisions, Reading(read.Mapping)), read.Mapping, []);
    }

    private readonly record struct PatientRead(Herald.Core.Patients.Patient? Patient, DateOnly AsOf, FhirMappingResult? Mapping);

    // Errors are added to the caller's list; the patient is null when there is any.
    private PatientRead ReadNative(string json, DateOnly? asOf, DateOnly today, List<InputError> errors)
    {
        var read = PatientJsonReader.Read(json, knowledge, today, asOf);
        errors.AddRange(read.Errors);
        return new PatientRead(errors.Count == 0 && read.IsValid ? read.Patient : null, read.AsOf, null);
    }

    private PatientRead ReadFhir(FhirResourceSet resources, string? patientId, DateOnly? asOf, DateOnly today, List<InputError> errors)
    {
        var now = asOf ?? today;
        var mapping = FhirPatientMapper.Map(resources, knowledge, now, patientId);
        errors.AddRange(mapping.Problems.Select(p => new InputError(p.Field, p.Message)));
        if (errors.Count > 0)
        {
            return new PatientRead(null, now, mapping);
        }

        var read = PatientJsonReader.Read(mapping.Patient, knowledge, today, now);
        errors.AddRange(read.Errors);
        return new PatientRead(read.IsValid ? read.Patient : null, read.AsOf, mapping);
    }

    private DecisionOutcome Decide(Herald.Core.Patients.Patient patient, DateOnly asOf, Edition edition, FhirMappingResult? mapping, bool withDocument = true)
    {
        var decision = DecideTimed(patient, asOf, edition);
        var reading = Reading(mapping);
        return new DecisionOutcome(decision, withDocument ? DecisionDocumentMapper.Map(decision, reading) : null, mapping, []) { Reading = reading };
    }

    private Decision DecideTimed(Herald.Core.Patients.Patient patient, DateOnly asOf, Edition edition)
    {
        var started = Stopwatch.GetTimestamp();
        var decision = engine.Decide(patient, asOf, edition);
        metrics?.Decided(edition.Id, Stopwatch.GetElapsedTime(started));
        return decision;
    }

    /// <summary>What the FHIR mapping inferred, and the results it found but could not read, for every channel to say.</summary>
    public static RecordReading Reading(FhirMappingResult? mapping) => mapping is null
        ? RecordReading.None
        : new RecordReading(
            mapping.Inferences.Select(n => n.Text).ToArray(),
            mapping.Unmapped.Where(u => u.Field is not null).Select(u => new UnreadableResult(u.Field!, u.Description)).ToArray());
}

/// <summary>A decision and its document, or the input errors that kept Herald from deciding.</summary>
public sealed record DecisionOutcome(
    Decision? Decision,
    DecisionDocument? Document,
    FhirMappingResult? Mapping,
    IReadOnlyList<InputError> Errors)
{
    public bool Decided => Decision is not null;

    /// <summary>What reading the record added to the decision (inferences, unreadable results); none for native input.</summary>
    public RecordReading Reading { get; init; } = RecordReading.None;

    public static DecisionOutcome Invalid(IReadOnlyList<InputError> errors, FhirMappingResult? mapping) =>
        new(null, null, mapping, errors);
}

/// <summary>The comparison across editions, or the input errors that kept Herald from deciding.</summary>
public sealed record ComparisonOutcome(ComparisonDocument? Document, FhirMappingResult? Mapping, IReadOnlyList<InputError> Errors);
