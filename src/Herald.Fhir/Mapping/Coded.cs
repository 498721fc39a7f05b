using System.Text.Json;
using Herald.Fhir.Lines;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

/// <summary>Small readers over the model shared by the mapping steps.</summary>
internal static class Coded
{
    public static IReadOnlyList<CodedValue> Values(CodeableConcept? concept) =>
        concept?.Coding?.Where(c => c is not null).Select(c => new CodedValue(c.System?.Trim(), c.Code?.Trim(), c.Display)).ToList() ?? [];

    public static bool HasCode(CodeableConcept? concept, string system, string code) =>
        concept?.Coding?.Any(c => c?.System?.Trim() == system && c.Code?.Trim() == code) == true;

    /// <summary>The code of a status element (clinicalStatus, verificationStatus), lower case.</summary>
    public static string? StatusCode(CodeableConcept? concept) =>
        (concept?.Coding?.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c?.Code))?.Code ?? concept?.Text)?.Trim().ToLowerInvariant();

    /// <summary>The first coding, for an unmapped report.</summary>
    public static UnmappedCode Unmapped(string resource, string element, string concept, CodeableConcept? value) =>
        value?.Coding?.FirstOrDefault(c => c is not null) is { } c
            ? new UnmappedCode(resource, element, concept, c.System, c.Code, c.Display ?? value.Text)
            : new UnmappedCode(resource, element, concept, null, null, value?.Text);

    public static UnmappedCode UnmappedText(string resource, string element, string concept, string? text) =>
        new(resource, element, concept, null, null, text);

    /// <summary>A recognised extension's CodeableConcept value (mCODE treatment intent, termination reason).</summary>
    public static CodeableConcept? ExtensionValue(FhirResource resource, IReadOnlyList<string> urls)
    {
        foreach (var raw in resource.Extension ?? [])
        {
            // The reader refuses a malformed extension (FhirChecks); the checks here keep the mapper safe on its own.
            if (raw.ValueKind != JsonValueKind.Object || !raw.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String
                || !FhirChecks.IsText(url) || !urls.Contains(url.GetString()!))
            {
                continue;
            }

            try
            {
                return FhirModelReader.Read(raw, FhirJsonContext.Default.Extension)?.ValueCodeableConcept;
            }
            catch (JsonException)
            {
                return null; // a malformed known extension reads as absent; the resource itself was valid
            }
        }

        return null;
    }

    public static string Describe(ConceptRow row) => $"{ShortSystem(row.System)} {row.Code} ({row.Display})";

    public static string ShortSystem(string? system) => system switch
    {
        ConceptTable.Loinc => "LOINC",
        ConceptTable.Snomed => "SNOMED CT",
        ConceptTable.Icd10Cm => "ICD-10-CM",
        ConceptTable.RxNorm => "RxNorm",
        null => "text",
        _ => system,
    };
}
