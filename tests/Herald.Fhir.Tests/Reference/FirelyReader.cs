using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace Herald.Fhir.Tests.Reference;

/// <summary>One problem the Firely SDK reported: its code, where (a path inside the part read), and its message.</summary>
public sealed record FirelyIssue(string Code, string Path, string Message)
{
    public override string ToString() => $"{Code} {Path}: {Message}";
}

/// <summary>One JSON text Firely read: the resource it built (possibly partial), its issues, or the exception it threw.</summary>
public sealed record FirelyPart(Resource? Root, IReadOnlyList<FirelyIssue> Issues, string? Threw);

/// <summary>
/// The Firely SDK configured as the reference reader. Backwards-compatible mode: every problem of FHIR JSON syntax
/// and data type is reported, while unknown elements, unknown codes and unknown choice types are accepted, as a
/// consumer should accept content from a later FHIR version (https://hl7.org/fhir/R4/versions.html#b-compat).
/// Herald ignores elements it does not read for the same reason. Strict mode would also refuse unknown elements
/// (e.g. an R5 element in an R4 record), which Herald reads past; recoverable mode accepts wrong JSON types and
/// malformed dates, which would hide exactly the faults this comparison is for.
/// </summary>
public static class FirelyReader
{
    public static readonly DeserializerSettings Settings = new DeserializerSettings().UsingMode(DeserializationMode.BackwardsCompatible);

    private static readonly FhirJsonDeserializer Deserializer = new(Settings);

    public static FirelyPart Read(string json)
    {
        try
        {
            var ok = Deserializer.TryDeserializeResource(json, out var resource, out var issues);
            var list = ok ? [] : issues.Select(Issue).ToList();
            return new FirelyPart(resource, list, null);
        }
        catch (Exception e)
        {
            // Whatever Firely throws is its refusal of the input (it throws, rather than reports, e.g. on a lone
            // surrogate escape, or on an element whose JSON shape it cannot map at all).
            return new FirelyPart(null, [], $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>"Bundle.entry[0].resource.code.coding[1]" → "entry[0].resource.code.coding[1]": the path below the root resource.</summary>
    private static FirelyIssue Issue(CodedException e)
    {
        var extended = e as ExtendedCodedException;
        var path = extended?.InstancePath ?? "";
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        path = dot < 0 ? "" : path[(dot + 1)..];
        return new FirelyIssue(e.ErrorCode, path, extended?.BaseErrorMessage ?? e.Message);
    }
}
