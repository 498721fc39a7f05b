using System.Text.Json;

namespace Herald.Fhir.Model;

/// <summary>
/// What FHIR R4 requires of the elements Herald reads that the JSON deserializer does not check: no null inside an
/// array, the elements FHIR requires (cardinality 1..1) present, and the raw parts read later (extensions with a
/// CodeableConcept value, contained Medications) well formed. Checked once when a resource is read, so the mapper
/// never meets a malformed value (docs/fhir-mapping.md §1).
/// </summary>
internal sealed class FhirChecks
{
    private readonly List<(string Path, string Message)> faults = [];

    public IReadOnlyList<(string Path, string Message)> Faults => faults;

    public void Fault(string path, string message) => faults.Add((path, message));

    /// <summary>A required element: absent, JSON null, an empty string or an empty list is missing.</summary>
    public void Required(object? value, string path)
    {
        if (value is null || (value is string text && string.IsNullOrWhiteSpace(text)) || value is System.Collections.ICollection { Count: 0 })
        {
            faults.Add((path, "is required in FHIR R4 and is missing"));
        }
    }

    /// <summary>A required choice element (medication[x], effective[x]): one of its types must be present.</summary>
    public void RequiredChoice(string path, params object?[] values)
    {
        if (values.All(v => v is null))
        {
            faults.Add((path, "is required in FHIR R4 and is missing"));
        }
    }

    /// <summary>A choice element given as more than one of its types (valueString and valueQuantity): which one is meant?</summary>
    public void OneChoice(string path, params object?[] values)
    {
        if (values.Count(v => v is not null) > 1)
        {
            faults.Add((path, "is given as more than one type; FHIR allows one"));
        }
    }

    public void Concept(CodeableConcept? concept, string path)
    {
        if (concept is not null)
        {
            Items(concept.Coding, path + ".coding");
        }
    }

    public void Concepts(List<CodeableConcept>? concepts, string path) => Items(concepts, path, Concept);

    /// <summary>Each item present (FHIR JSON allows no null inside an array of elements), then checked by <paramref name="each"/>.</summary>
    public void Items<T>(List<T>? items, string path, Action<T, string>? each = null)
    {
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var item = items![i];
            if (item is null)
            {
                faults.Add(($"{path}[{i}]", "is null; an array in FHIR JSON holds no nulls"));
            }
            else
            {
                each?.Invoke(item, $"{path}[{i}]");
            }
        }
    }

    /// <summary>
    /// The raw extensions: each an object; one with a valueCodeableConcept (the only extension value Herald reads)
    /// has a url and a well-formed value.
    /// </summary>
    public void Extensions(List<JsonElement>? extensions, string path)
    {
        for (var i = 0; i < (extensions?.Count ?? 0); i++)
        {
            var raw = extensions![i];
            var at = $"{path}[{i}]";
            if (raw.ValueKind != JsonValueKind.Object)
            {
                faults.Add((at, $"expected an extension (a JSON object), found {Describe(raw.ValueKind)}"));
                continue;
            }

            if (!raw.TryGetProperty("valueCodeableConcept", out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue; // not a value Herald reads (the mapper compares the url only when it is valid text)
            }

            if (raw.EnumerateObject().Count(m => m.Name.Length > 5 && m.Name.StartsWith("value", StringComparison.Ordinal) && char.IsUpper(m.Name[5])) > 1)
            {
                faults.Add((at + ".value[x]", "is given as more than one type; FHIR allows one"));
                continue;
            }

            var extension = Deserialize(raw, FhirJsonContext.Default.Extension, at);
            if (extension is not null)
            {
                Required(extension.Url, at + ".url");
                Concept(extension.ValueCodeableConcept, at + ".valueCodeableConcept");
            }
        }
    }

    /// <summary>The contained resources: each an object; a Medication (the only contained type Herald reads) well formed.</summary>
    public void Contained(List<JsonElement>? contained, string path)
    {
        for (var i = 0; i < (contained?.Count ?? 0); i++)
        {
            var raw = contained![i];
            var at = $"{path}[{i}]";
            if (raw.ValueKind != JsonValueKind.Object)
            {
                faults.Add((at, $"expected a resource (a JSON object), found {Describe(raw.ValueKind)}"));
                continue;
            }

            if (!raw.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String || !IsText(type)
                || string.IsNullOrWhiteSpace(type.GetString()))
            {
                faults.Add((at + ".resourceType", type.ValueKind == JsonValueKind.String && !IsText(type)
                    ? InvalidText : "is missing; every FHIR resource names its resourceType"));
                continue;
            }

            if (type.GetString() != "Medication")
            {
                continue;
            }

            if (Deserialize(raw, FhirJsonContext.Default.Medication, at) is { } medication)
            {
                medication.Check(this, at + ".");
            }
        }
    }

    public const string InvalidText = "is not valid text (it holds a lone UTF-16 surrogate escape such as \\ud800)";

    /// <summary>Whether a JSON string decodes to valid UTF-16 (an escaped lone surrogate does not).</summary>
    public static bool IsText(JsonElement text)
    {
        try
        {
            _ = text.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "an object",
    };

    private T? Deserialize<T>(JsonElement raw, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, string at)
        where T : class
    {
        try
        {
            return FhirModelReader.Read(raw, info);
        }
        catch (JsonException e)
        {
            faults.Add((at + JsonFaults.ElementPath(e.Path), JsonFaults.Expected(e)));
            return null;
        }
    }
}

/// <summary>The System.Text.Json deserializer's faults in FHIR terms.</summary>
internal static class JsonFaults
{
    /// <summary>"$.valueQuantity.value" → ".valueQuantity.value".</summary>
    public static string ElementPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[1..] : path.TrimStart('$');

    /// <summary>
    /// Turns the serializer's fault into "expected a number" and the like. The inner exception names the
    /// token it could not read ("... token type 'String' as a number"); the outer one names the target type.
    /// </summary>
    public static string Expected(JsonException e)
    {
        var inner = e.InnerException?.Message ?? "";
        if (e.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) || inner.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "is given twice; FHIR JSON allows each member once";
        }

        if (e.InnerException is InvalidOperationException && inner.Contains("UTF-16", StringComparison.Ordinal))
        {
            return FhirChecks.InvalidText;
        }

        if (inner.Contains("Int32", StringComparison.Ordinal) || e.Message.Contains("Int32", StringComparison.Ordinal))
        {
            return "expected an integer (a whole number within ±2147483647)";
        }

        if (inner.Contains("as a number", StringComparison.Ordinal) || inner.Contains("Decimal", StringComparison.Ordinal)
            || e.Message.Contains("Decimal", StringComparison.Ordinal))
        {
            return "expected a number (a decimal within ±79228162514264337593543950335)";
        }

        if (inner.Contains("as a string", StringComparison.Ordinal) || e.Message.Contains("to System.String", StringComparison.Ordinal))
        {
            return "expected a string";
        }

        if (inner.Contains("as a boolean", StringComparison.Ordinal) || e.Message.Contains("Boolean", StringComparison.Ordinal))
        {
            return "expected true or false";
        }

        return e.Message.Contains("List`1", StringComparison.Ordinal) ? "expected an array" : "expected an object";
    }
}
