using Herald.Fhir.Model;

namespace Herald.Fhir.Mapping;

/// <summary>
/// Which patient the mapping is for, and whether a reference points at that patient. References are matched
/// however Bundles write them (relative, absolute, urn:uuid fullUrls); a resource that cannot be tied to the
/// patient is remembered with the reason, so the mapping can report it instead of dropping it silently.
/// </summary>
internal sealed class PatientScope
{
    private readonly HashSet<string> aliases = new(StringComparer.Ordinal);
    private readonly FhirResourceSet set;
    private readonly List<(string Key, string Reason)> left = [];

    private PatientScope(FhirResourceSet set, string? id, Stored<Model.Patient>? patient, bool strict)
    {
        this.set = set;
        Id = id;
        Patient = patient;
        Strict = strict;
        if (id is not null)
        {
            aliases.Add($"Patient/{id}");
            aliases.Add($"urn:uuid:{id}");
        }

        if (patient is not null)
        {
            aliases.Add(patient.Key);
            if (patient.FullUrl is { } url)
            {
                aliases.Add(url);
                aliases.Add(References.Normalize(url));
            }
        }
    }

    /// <summary>The patient's id for the native input; null when none can be named.</summary>
    public string? Id { get; }

    public Stored<Model.Patient>? Patient { get; }

    /// <summary>When true, only resources whose subject names this patient are used.</summary>
    public bool Strict { get; }

    /// <summary>Resources left out because they could not be tied to the patient, with why.</summary>
    public IReadOnlyList<(string Key, string Reason)> LeftOut => left;

    /// <summary>
    /// With a patient id: that patient, strictly. Without: the one Patient resource (resources naming another
    /// patient are left out); with no Patient resource, the one patient every subject names; else every resource.
    /// </summary>
    public static PatientScope Choose(FhirResourceSet resources, string? patientId, List<MappingProblem> problems, List<MappingNote> notes)
    {
        if (patientId is not null)
        {
            var match = resources.Patients.FirstOrDefault(p => p.Resource.Id == patientId)
                ?? resources.Patients.FirstOrDefault(p => p.FullUrl is { } u
                    && (u == patientId || References.Normalize(u) == $"Patient/{patientId}" || IdFromFullUrl(u) == patientId));
            return new PatientScope(resources, patientId, match, strict: true);
        }

        switch (resources.Patients.Count)
        {
            case 0:
                return WithoutPatientResource(resources, notes);
            case 1:
                var only = resources.Patients[0];
                return new PatientScope(resources, only.Resource.Id ?? IdFromFullUrl(only.FullUrl), only, strict: true);
            default:
                problems.Add(new MappingProblem("id",
                    $"The resources hold {resources.Patients.Count} Patient resources ({string.Join(", ", resources.Patients.Select(p => p.Key))}); name the patient to map."));
                return new PatientScope(resources, null, null, strict: false);
        }
    }

    // No Patient resource (a prefetch without the patient key, a Bundle of clinical resources only): when every
    // subject names the same patient, that is the patient; otherwise nothing ties the resources to one patient.
    private static PatientScope WithoutPatientResource(FhirResourceSet resources, List<MappingNote> notes)
    {
        var subjects = resources.Subjects().Where(s => s is not null).Select(s => References.Normalize(s!)).Distinct(StringComparer.Ordinal).ToList();
        if (subjects.Count == 1 && IdFromReference(subjects[0]) is { } id)
        {
            notes.Add(new MappingNote("id", $"No Patient resource: every resource names the same subject ({subjects[0]}), read as the patient."));
            var scope = new PatientScope(resources, id, null, strict: true);
            scope.aliases.Add(subjects[0]);
            return scope;
        }

        return new PatientScope(resources, null, null, strict: false);
    }

    /// <summary>Whether a resource with this subject belongs to the patient; a resource that does not is remembered.</summary>
    public bool Includes(string key, ResourceReference? subject)
    {
        if (!Strict)
        {
            return true;
        }

        if (subject?.Value is not { } reference || string.IsNullOrWhiteSpace(reference))
        {
            left.Add((key, "it names no subject"));
            return false;
        }

        var trimmed = reference.Trim();
        if (aliases.Contains(trimmed) || aliases.Contains(References.Normalize(trimmed)))
        {
            return true;
        }

        var target = set.ResolveKey(trimmed);
        if (target is not null && Patient is not null && target == Patient.Key)
        {
            return true;
        }

        left.Add((key, target is not null && target.StartsWith("Patient/", StringComparison.Ordinal)
            ? $"its subject is another patient ({target})"
            : $"its subject '{trimmed}' is not this patient and is not in the record"));
        return false;
    }

    private static string? IdFromFullUrl(string? fullUrl) =>
        fullUrl is null ? null : fullUrl.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? fullUrl["urn:uuid:".Length..] : References.Normalize(fullUrl).Split('/')[^1];

    private static string? IdFromReference(string reference) =>
        reference.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? reference["urn:uuid:".Length..]
        : reference.StartsWith("Patient/", StringComparison.Ordinal) ? reference["Patient/".Length..]
        : null;
}
