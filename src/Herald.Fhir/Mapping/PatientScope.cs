using Herald.Fhir.Model;

namespace Herald.Fhir.Mapping;

/// <summary>Which patient the mapping is for, and whether a reference points at that patient.</summary>
internal sealed class PatientScope
{
    private readonly HashSet<string> aliases = new(StringComparer.Ordinal);

    private PatientScope(string? id, Stored<Model.Patient>? patient, bool strict)
    {
        Id = id;
        Patient = patient;
        Strict = strict;
        if (id is not null)
        {
            aliases.Add($"Patient/{id}");
        }

        if (patient?.FullUrl is { } url)
        {
            aliases.Add(url);
            aliases.Add(References.Normalize(url));
        }
    }

    /// <summary>The patient's id for the native input; null when none can be named.</summary>
    public string? Id { get; }

    public Stored<Model.Patient>? Patient { get; }

    /// <summary>When true, only resources whose subject names this patient are used.</summary>
    public bool Strict { get; }

    /// <summary>
    /// With a patient id: that patient, strictly. Without: the one Patient resource (resources naming
    /// another patient are left out), or, when there is no Patient resource, every resource.
    /// </summary>
    public static PatientScope Choose(FhirResourceSet resources, string? patientId, List<MappingProblem> problems)
    {
        if (patientId is not null)
        {
            var match = resources.Patients.FirstOrDefault(p => p.Resource.Id == patientId)
                ?? resources.Patients.FirstOrDefault(p => p.FullUrl is { } u && (u == patientId || References.Normalize(u) == $"Patient/{patientId}"));
            return new PatientScope(patientId, match, strict: true);
        }

        switch (resources.Patients.Count)
        {
            case 0:
                return new PatientScope(null, null, strict: false);
            case 1:
                var only = resources.Patients[0];
                return new PatientScope(only.Resource.Id ?? IdFromFullUrl(only.FullUrl), only, strict: true);
            default:
                problems.Add(new MappingProblem("id",
                    $"The resources hold {resources.Patients.Count} Patient resources ({string.Join(", ", resources.Patients.Select(p => p.Key))}); name the patient to map."));
                return new PatientScope(null, null, strict: false);
        }
    }

    /// <summary>Whether a resource with this subject belongs to the patient.</summary>
    public bool Includes(ResourceReference? subject)
    {
        if (!Strict)
        {
            return true;
        }

        if (subject?.Value is not { } reference)
        {
            return false;
        }

        return aliases.Contains(reference) || aliases.Contains(References.Normalize(reference));
    }

    private static string? IdFromFullUrl(string? fullUrl) =>
        fullUrl is null ? null : fullUrl.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? fullUrl["urn:uuid:".Length..] : References.Normalize(fullUrl).Split('/')[^1];
}
