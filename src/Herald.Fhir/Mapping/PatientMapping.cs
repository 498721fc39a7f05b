using System.Globalization;
using System.Text.Json.Nodes;
using Herald.Core.Knowledge;
using Herald.Fhir.Lines;
using Herald.Fhir.Medications;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

/// <summary>One mapping of one patient's resources to the native input. docs/fhir-mapping.md describes each step.</summary>
internal sealed partial class PatientMapping
{
    private readonly FhirResourceSet set;
    private readonly KnowledgeBase kb;
    private readonly DateOnly asOf;
    private readonly ConceptTable table = ConceptTable.Default;
    private readonly List<UnmappedCode> unmapped = [];
    private readonly List<MappingNote> notes = [];
    private readonly List<MappingProblem> problems = [];
    private PatientScope scope = null!;

    // What the steps find, in the order they run.
    private readonly List<CancerCondition> primaries = [];
    private readonly List<CancerCondition> secondaries = [];
    private readonly List<string> comorbidities = [];
    private readonly List<string> otherComorbidities = [];
    private readonly List<string> symptoms = [];
    private readonly Dictionary<string, DateOnly> symptomOnsets = new(StringComparer.Ordinal);
    private readonly List<DatedObservation<string>> mCategories = [];
    private readonly List<(DateOnly Date, string Key)> surgeries = [];
    private bool palliativeIntent;

    public PatientMapping(FhirResourceSet set, KnowledgeBase kb, DateOnly asOf)
    {
        this.set = set;
        this.kb = kb;
        this.asOf = asOf;
    }

    private sealed record CancerCondition(string Key, DateOnly? Onset, string? Site, bool Active, Condition Resource);

    private sealed record DatedObservation<T>(string Key, DateOnly Date, T Value, Observation Resource);

    public FhirMappingResult Run(string? patientId)
    {
        scope = PatientScope.Choose(set, patientId, problems, notes);
        var patient = new JsonObject();
        var id = scope.Id ?? scope.Patient?.Key;
        if (id is null && !problems.Any(p => p.Field == "id"))
        {
            problems.Add(new MappingProblem("id", "No Patient resource and no patient id: the native input needs an id."));
        }
        else
        {
            patient["id"] = id;
        }

        patient["assessmentDate"] = FhirDate.Format(asOf);
        ReadPatient(patient);

        ReadConditions();
        ReadProcedures();
        var observations = ReadableObservations();
        var statuses = ReadDiseaseStatuses(observations, out var brainStatuses);
        ReadMCategories(observations);
        ReadSymptomObservations(observations);
        var uses = ReadMedicationUses();
        palliativeIntent = uses.Any(u => u.Intent == TreatmentIntent.Palliative);

        var receptors = ReadReceptors(observations);
        if (receptors.Count > 0)
        {
            patient["receptors"] = receptors;
        }

        var initialDiagnosis = primaries.Where(p => p.Onset is not null).Select(p => p.Onset).Min();
        var metastaticDiagnosis = MetastaticDiagnosis();
        var derivation = metastaticDiagnosis is { } md ? LineOfTherapyDeriver.Derive(uses, md, statuses, asOf, kb) : null;
        if (derivation is not null)
        {
            notes.AddRange(derivation.Notes);
        }

        var type = PresentationType(initialDiagnosis, metastaticDiagnosis, derivation);
        var presentation = new JsonObject();
        if (type is not null)
        {
            presentation["type"] = type;
        }

        if (initialDiagnosis is { } initial && (metastaticDiagnosis is null || initial <= metastaticDiagnosis))
        {
            presentation["initialDiagnosisDate"] = FhirDate.Format(initial);
        }

        if (metastaticDiagnosis is { } metastatic)
        {
            presentation["metastaticDiagnosisDate"] = FhirDate.Format(metastatic);
        }

        patient["presentation"] = presentation;

        var disease = ReadDisease(statuses, brainStatuses);
        if (disease.Count > 0)
        {
            patient["disease"] = disease;
        }

        ReadEcog(observations, patient);
        ReportKarnofsky(observations, patient);
        ReadLvef(observations, uses, patient);
        ReadPregnancy(observations, patient);
        AddList(patient, "comorbidities", comorbidities);
        AddList(patient, "otherComorbidities", otherComorbidities);
        if (symptoms.Count > 0)
        {
            // A symptom with a known onset is written with it; one without, as the plain word.
            patient["symptoms"] = new JsonArray(symptoms.Select(s => symptomOnsets.TryGetValue(s, out var onset)
                ? (JsonNode)new JsonObject { ["symptom"] = s, ["onset"] = FhirDate.Format(onset) }
                : JsonValue.Create(s)!).ToArray());
        }
        ReadAllergies(patient);

        IReadOnlyList<DerivedLine> lines = [];
        if (derivation is not null)
        {
            if (type != "de-novo")
            {
                WriteEarlyDisease(patient, derivation.Early, uses);
            }

            lines = derivation.Lines;
            WriteMetastaticRegimens(patient, lines, disease);
        }

        ReportLeftOut();
        return new FhirMappingResult(patient, lines, unmapped, notes, problems);
    }

    /// <summary>Resources that could not be tied to the patient are said, never dropped silently.</summary>
    private void ReportLeftOut()
    {
        foreach (var group in scope.LeftOut.DistinctBy(l => l.Key).GroupBy(l => l.Reason))
        {
            var keys = group.Select(l => l.Key).ToList();
            notes.Add(new MappingNote("subject",
                $"{keys.Count} resource{(keys.Count == 1 ? " was" : "s were")} not used because {group.Key}: {string.Join(", ", keys)}.",
                string.Join(", ", keys)));
        }
    }

    // ---- Patient ----

    private void ReadPatient(JsonObject patient)
    {
        if (scope.Patient?.Resource is not { } resource)
        {
            notes.Add(new MappingNote("age", "No Patient resource: age and sex are not known.", scope.Id is null ? null : $"Patient/{scope.Id}"));
            return;
        }

        var key = scope.Patient.Key;
        if (FhirDate.Read(resource.BirthDate) is { } birth)
        {
            var age = asOf.Year - birth.Year - (asOf < birth.AddYears(asOf.Year - birth.Year) ? 1 : 0);
            if (age is >= 0 and <= 120)
            {
                patient["age"] = age;
            }
            else
            {
                problems.Add(new MappingProblem("age", $"birthDate {resource.BirthDate} gives an age of {age} on {FhirDate.Format(asOf)}."));
            }
        }

        switch (resource.Gender?.Trim().ToLowerInvariant())
        {
            case "female": patient["sex"] = "female"; break;
            case "male": patient["sex"] = "male"; break;
            case "other": patient["sex"] = "other"; break;
            case null or "unknown": break;
            default: unmapped.Add(Coded.UnmappedText(key, "gender", "sex", resource.Gender)); break;
        }
    }

    // ---- helpers ----

    private IEnumerable<Stored<T>> Mine<T>(IEnumerable<Stored<T>> items, Func<T, ResourceReference?> subject) where T : FhirResource =>
        items.Where(s => scope.Includes(s.Key, subject(s.Resource)));

    private static void AddList(JsonObject patient, string name, List<string> values)
    {
        if (values.Count > 0)
        {
            patient[name] = new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)!).ToArray());
        }
    }

    private static string Format(DateOnly date) => FhirDate.Format(date);

    private static string Cite(string key, string element) => $"{key}.{element}";

    private static bool Refuted(CodeableConcept? verification) =>
        Coded.StatusCode(verification) is "refuted" or "entered-in-error";

    private static bool ActiveClinically(CodeableConcept? clinical) =>
        Coded.StatusCode(clinical) is null or "active" or "recurrence" or "relapse";

    private static string Label(CodeableConcept? concept) => concept?.Label ?? "(no text)";

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
