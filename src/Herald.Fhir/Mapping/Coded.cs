using System.Text.Json;
using Herald.Fhir.Lines;
using Herald.Fhir.Model;
using Herald.Fhir.Terminology;

namespace Herald.Fhir.Mapping;

/// <summary>Small readers over the model shared by the mapping steps.</summary>
internal static class Coded
{
    public static IReadOnlyList<CodedValue> Values(CodeableConcept? concept)
    {
        if (concept?.Coding is not { Count: > 0 } codings)
        {
            return [];
        }

        var values = new List<CodedValue>(codings.Count);
        foreach (var c in codings)
        {
            if (c is not null)
            {
                values.Add(new CodedValue(c.System?.Trim(), c.Code?.Trim(), c.Display));
            }
        }

        return values;
    }

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
        foreach (var (url, value) in resource.ExtensionValues())
        {
            if (url is not null && urls.Contains(url))
            {
                return value;
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
