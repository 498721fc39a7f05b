using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Herald.Fhir.Model;

namespace Herald.Fhir;

/// <summary>A fault in the FHIR input, with the path of the offending element.</summary>
/// <param name="Path">e.g. <c>entry[3].resource(Observation/abc).valueQuantity.value</c>.</param>
public sealed record FhirReadError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>The resources read, and every fault found; a faulty resource is left out, the rest are kept.</summary>
public sealed record FhirReadResult(FhirResourceSet Resources, IReadOnlyList<FhirReadError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>One resource as stored: the resource, its "Type/id", the Bundle fullUrl and where it was read.</summary>
internal sealed record Stored<T>(T Resource, string Key, string? FullUrl, string Path) where T : FhirResource;

public sealed partial class FhirResourceSet
{
    private readonly List<FhirReadError> errors = [];

    // False: every kept resource is copied out of its document, so the set outlives what it was read from.
    private bool elementsOutliveSet;

    /// <summary>
    /// A set that keeps the elements it is given instead of copying them: for a caller that keeps their documents alive
    /// as long as it uses the set (a CDS Hooks call keeps its request document until the answer is made). An element read
    /// after its document is disposed throws, so a mistake fails loudly rather than reading freed memory.
    /// </summary>
    public static FhirResourceSet OverLiveDocuments() => new() { elementsOutliveSet = true };
    private readonly Dictionary<string, Stored<Medication>> medicationsByAlias = new(StringComparer.Ordinal);

    // Every way a reference may name a kept resource ("Type/id", its fullUrl, the fullUrl reduced to "Type/id") → its key.
    private readonly Dictionary<string, string> keysByAlias = new(StringComparer.Ordinal);
    private int anonymous;

    // Each kept resource as read, so the same resource returned by two searches (observations by code and by category) is kept once.
    private readonly Dictionary<string, JsonElement> readByKey = new(StringComparer.Ordinal);

    internal List<Stored<Model.Patient>> Patients { get; } = [];

    internal List<Stored<Condition>> Conditions { get; } = [];

    internal List<Stored<Observation>> Observations { get; } = [];

    internal List<Stored<DiagnosticReport>> DiagnosticReports { get; } = [];

    internal List<Stored<MedicationRecord>> MedicationRecords { get; } = [];

    internal List<Stored<Medication>> Medications { get; } = [];

    internal List<Stored<Procedure>> Procedures { get; } = [];

    internal List<Stored<AllergyIntolerance>> Allergies { get; } = [];

    /// <summary>Every fault found so far, in the order read.</summary>
    public IReadOnlyList<FhirReadError> Errors => errors;

    /// <summary>How many resources of a type Herald reads were kept.</summary>
    public int Count => Patients.Count + Conditions.Count + Observations.Count + DiagnosticReports.Count + MedicationRecords.Count
        + Medications.Count + Procedures.Count + Allergies.Count;

    /// <summary>Reads JSON text holding a Bundle or a single resource. Never throws for bad input.</summary>
    public static FhirReadResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var set = new FhirResourceSet();
        try
        {
            using var document = JsonDocument.Parse(json);
            set.Add(document.RootElement);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "";
            set.errors.Add(new FhirReadError("$", $"is not valid JSON{where}."));
        }

        return new FhirReadResult(set, set.Errors);
    }

    /// <summary>Adds a resource or a Bundle (of any type; Bundles nested as entries are read too).</summary>
    /// <param name="location">Where it came from, prefixed to error paths (e.g. <c>prefetch.conditions</c>).</param>
    /// <returns>The faults found in this element.</returns>
    public IReadOnlyList<FhirReadError> Add(JsonElement resource, string? location = null)
    {
        var before = errors.Count;
        AddResource(resource, location ?? "", fullUrl: null);
        return errors.Skip(before).ToList();
    }

    /// <summary>
    /// Adds CDS Hooks prefetch values (key → resource or searchset Bundle). A null value means the EHR
    /// could not prefetch it and is skipped; the caller decides whether to fetch it instead.
    /// </summary>
    public IReadOnlyList<FhirReadError> AddPrefetch(IEnumerable<KeyValuePair<string, JsonElement>> prefetch)
    {
        ArgumentNullException.ThrowIfNull(prefetch);
        var before = errors.Count;
        foreach (var (key, value) in prefetch)
        {
            if (value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                continue;
            }

            AddResource(value, $"prefetch.{key}", fullUrl: null);
        }

        return errors.Skip(before).ToList();
    }

    /// <summary>Adds the members of a CDS Hooks <c>prefetch</c> object.</summary>
    public IReadOnlyList<FhirReadError> AddPrefetch(JsonElement prefetchObject)
    {
        if (prefetchObject.ValueKind != JsonValueKind.Object)
        {
            var error = new FhirReadError("prefetch", "expected an object");
            errors.Add(error);
            return [error];
        }

        return AddPrefetch(prefetchObject.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)));
    }

    private void AddResource(JsonElement element, string path, string? fullUrl)
    {
        var self = path.Length == 0 ? "resource" : path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FhirReadError(self, $"expected a FHIR resource (a JSON object), found {Describe(element.ValueKind)}"));
            return;
        }

        var typeText = element.TryGetProperty("resourceType", out var typeElement) && typeElement.ValueKind == JsonValueKind.String ? Text(typeElement) : null;
        if (string.IsNullOrWhiteSpace(typeText))
        {
            errors.Add(new FhirReadError(self + ".resourceType", typeElement.ValueKind == JsonValueKind.String && typeText is null
                ? FhirChecks.InvalidText : "is missing; every FHIR resource names its resourceType"));
            return;
        }

        var type = typeText;
        var id = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? Text(idElement) : null;
        if (type == "Bundle")
        {
            AddBundle(element, path);
            return;
        }

        var at = $"{self}({type}/{id ?? "?"})";
        switch (type)
        {
            case "Patient": KeepAs(element, at, fullUrl, FhirJsonContext.Default.Patient, Patients); break;
            case "Condition": KeepAs(element, at, fullUrl, FhirJsonContext.Default.Condition, Conditions); break;
            case "Observation": KeepAs(element, at, fullUrl, FhirJsonContext.Default.Observation, Observations); break;
            case "DiagnosticReport":
                if (KeepAs(element, at, fullUrl, FhirJsonContext.Default.DiagnosticReport, DiagnosticReports) is { } report)
                {
                    AddReportResults(element, report);
                }

                break;
            case "MedicationRequest": Keep<MedicationRecord, MedicationRequest>(element, at, fullUrl, FhirJsonContext.Default.MedicationRequest, MedicationRecords); break;
            case "MedicationAdministration": Keep<MedicationRecord, MedicationAdministration>(element, at, fullUrl, FhirJsonContext.Default.MedicationAdministration, MedicationRecords); break;
            case "MedicationStatement": Keep<MedicationRecord, MedicationStatement>(element, at, fullUrl, FhirJsonContext.Default.MedicationStatement, MedicationRecords); break;
            case "Medication":
                if (KeepAs(element, at, fullUrl, FhirJsonContext.Default.Medication, Medications) is { } medication)
                {
                    medicationsByAlias.TryAdd(medication.Key, medication);
                    if (medication.FullUrl is { } url)
                    {
                        medicationsByAlias.TryAdd(url, medication);
                        medicationsByAlias.TryAdd(References.Normalize(url), medication);
                    }
                }

                break;
            case "Procedure": KeepAs(element, at, fullUrl, FhirJsonContext.Default.Procedure, Procedures); break;
            case "AllergyIntolerance": KeepAs(element, at, fullUrl, FhirJsonContext.Default.AllergyIntolerance, Allergies); break;
            default: break; // a type Herald does not read: ignored, as FHIR consumers should
        }
    }

    private void AddBundle(JsonElement bundle, string path)
    {
        if (!bundle.TryGetProperty("entry", out var entries) || entries.ValueKind == JsonValueKind.Null)
        {
            return; // an empty Bundle (an empty searchset) is fine
        }

        if (entries.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FhirReadError(Join(path, "entry"), $"expected an array, found {Describe(entries.ValueKind)}"));
            return;
        }

        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var entryPath = Join(path, $"entry[{index++}]");
            if (entry.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new FhirReadError(entryPath, $"expected an object, found {Describe(entry.ValueKind)}"));
                continue;
            }

            string? fullUrl = null;
            if (entry.TryGetProperty("fullUrl", out var url) && url.ValueKind != JsonValueKind.Null) // null: absent
            {
                if (url.ValueKind != JsonValueKind.String || Text(url) is null)
                {
                    errors.Add(new FhirReadError(entryPath + ".fullUrl", url.ValueKind == JsonValueKind.String
                        ? FhirChecks.InvalidText : $"expected a string, found {Describe(url.ValueKind)}"));
                    continue;
                }

                fullUrl = Text(url);
            }

            if (!entry.TryGetProperty("resource", out var resource))
            {
                continue; // e.g. a transaction-response entry or a deleted resource in a history Bundle
            }

            AddResource(resource, entryPath + ".resource", fullUrl);
        }
    }

    /// <summary>
    /// The Observations a DiagnosticReport holds ('#id' results in its contained list), kept as "DiagnosticReport/id#cid"
    /// with the report's subject and date where they have none; a report with no result at all and a conclusion
    /// becomes one Observation of the report's code with the conclusion as its text value, kept as "DiagnosticReport/id",
    /// so a HER2, ER or PR report written only as a conclusion goes through the receptor text rules (or to unmapped).
    /// </summary>
    private void AddReportResults(JsonElement element, Stored<DiagnosticReport> stored)
    {
        var report = stored.Resource;
        var raw = JsonNode.Parse(element.GetRawText())!.AsObject();
        var contained = element.TryGetProperty("contained", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        for (var i = 0; i < (report.Result?.Count ?? 0); i++)
        {
            if (report.Result![i]?.Value is not { } reference || !reference.StartsWith('#'))
            {
                continue; // a result by reference is an Observation of the record (or reported missing by the mapping)
            }

            var index = contained.FindIndex(c => c.ValueKind == JsonValueKind.Object
                && c.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String && Text(t) == "Observation"
                && c.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && Text(id) == reference[1..]);
            if (index < 0)
            {
                continue;
            }

            var observation = JsonNode.Parse(contained[index].GetRawText())!.AsObject();
            Inherit(observation, raw, "subject");
            if (!observation.ContainsKey("effectiveDateTime") && !observation.ContainsKey("effectivePeriod") && !observation.ContainsKey("effectiveInstant"))
            {
                Inherit(observation, raw, "effectiveDateTime");
                Inherit(observation, raw, "effectivePeriod");
            }

            Inherit(observation, raw, "issued");
            using var document = JsonDocument.Parse(observation.ToJsonString());
            Keep<Observation, Observation>(document.RootElement.Clone(), $"{stored.Path}.contained[{index}]", null, FhirJsonContext.Default.Observation, Observations,
                key: $"{stored.Key}{reference}");
        }

        if ((report.Result?.Count ?? 0) == 0 && !string.IsNullOrWhiteSpace(report.Conclusion))
        {
            var observation = new JsonObject
            {
                ["resourceType"] = "Observation",
                ["id"] = report.Id,
                ["status"] = report.Status,
                ["valueString"] = report.Conclusion,
            };
            foreach (var name in new[] { "code", "subject", "effectiveDateTime", "effectivePeriod", "issued" })
            {
                Inherit(observation, raw, name);
            }

            using var document = JsonDocument.Parse(observation.ToJsonString());
            Keep<Observation, Observation>(document.RootElement.Clone(), $"{stored.Path}.conclusion", null, FhirJsonContext.Default.Observation, Observations,
                key: stored.Key);
        }

        static void Inherit(JsonObject into, JsonObject from, string name)
        {
            if (!into.ContainsKey(name) && from[name] is { } value)
            {
                into[name] = value.DeepClone();
            }
        }
    }

    private Stored<T>? KeepAs<T>(JsonElement element, string at, string? fullUrl, JsonTypeInfo<T> info, List<Stored<T>> into)
        where T : FhirResource => Keep<T, T>(element, at, fullUrl, info, into);

    private Stored<TList>? Keep<TList, T>(JsonElement element, string at, string? fullUrl, JsonTypeInfo<T> info, List<Stored<TList>> into, string? key = null)
        where TList : FhirResource
        where T : TList
    {
        // The resource is kept as read (below), and its raw extensions and contained resources are elements of that copy
        // (or of the caller's live document, OverLiveDocuments).
        element = elementsOutliveSet ? element : element.Clone();
        T? resource;
        try
        {
            resource = FhirModelReader.Read(element, info);
        }
        catch (JsonException e)
        {
            errors.Add(new FhirReadError(at + JsonFaults.ElementPath(e.Path), JsonFaults.Expected(e)));
            return null;
        }

        if (resource is null)
        {
            return null;
        }

        var checks = new FhirChecks();
        resource.Check(checks);
        foreach (var (path, message) in checks.Faults)
        {
            errors.Add(new FhirReadError($"{at}.{path}", message));
        }

        var bad = checks.Faults.Count > 0;
        foreach (var (datePath, value) in bad ? [] : resource.Dates())
        {
            if (value is not null && !FhirDate.TryParse(value, out _))
            {
                errors.Add(new FhirReadError($"{at}.{datePath}", $"'{value}' is not a FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)"));
                bad = true;
            }
        }

        if (bad)
        {
            return null;
        }

        key ??= $"{resource.ResourceType}/{resource.Id ?? $"#{++anonymous}"}";
        if (readByKey.TryGetValue(key, out var earlier) && JsonElement.DeepEquals(earlier, element))
        {
            return null; // the very same resource again: already kept
        }

        readByKey.TryAdd(key, element);
        var stored = new Stored<TList>(resource, key, fullUrl, at);
        into.Add(stored);
        keysByAlias.TryAdd(key, key);
        if (fullUrl is not null)
        {
            keysByAlias.TryAdd(fullUrl, key);
            keysByAlias.TryAdd(References.Normalize(fullUrl), key);
        }

        return stored;
    }

    /// <summary>The subject (AllergyIntolerance: patient) reference of every clinical resource kept, null where absent.</summary>
    internal IEnumerable<string?> Subjects() =>
        Conditions.Select(c => c.Resource.Subject?.Value)
            .Concat(Observations.Select(o => o.Resource.Subject?.Value))
            .Concat(DiagnosticReports.Select(r => r.Resource.Subject?.Value))
            .Concat(MedicationRecords.Select(m => m.Resource.Subject?.Value))
            .Concat(Procedures.Select(p => p.Resource.Subject?.Value))
            .Concat(Allergies.Select(a => a.Resource.Patient?.Value));

    /// <summary>
    /// The key ("Type/id") of the kept resource a reference names, however a Bundle writes it: relative
    /// ("Patient/7"), absolute ("https://ehr/fhir/Patient/7"), or a fullUrl ("urn:uuid:…"). Null when the
    /// record holds no such resource.
    /// </summary>
    internal string? ResolveKey(string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        var trimmed = reference.Trim();
        return keysByAlias.TryGetValue(trimmed, out var key) || keysByAlias.TryGetValue(References.Normalize(trimmed), out key) ? key : null;
    }

    /// <summary>Finds a Medication a record references: '#id' in the record's contained list, 'Medication/id', a fullUrl.</summary>
    internal Medication? ResolveMedication(FhirResource from, string? reference)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            return null;
        }

        if (reference.StartsWith('#'))
        {
            var id = reference[1..];
            foreach (var contained in from.Contained ?? [])
            {
                if (contained.ValueKind == JsonValueKind.Object
                    && contained.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String && Text(t) == "Medication"
                    && contained.TryGetProperty("id", out var cid) && cid.ValueKind == JsonValueKind.String && Text(cid) == id)
                {
                    try
                    {
                        return FhirModelReader.Read(contained, FhirJsonContext.Default.Medication);
                    }
                    catch (JsonException)
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        if (medicationsByAlias.TryGetValue(reference, out var exact))
        {
            return exact.Resource;
        }

        return medicationsByAlias.TryGetValue(References.Normalize(reference), out var byKey) ? byKey.Resource : null;
    }

    private static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    /// <summary>A JSON string's text, or null when it is not valid UTF-16 (an escaped lone surrogate).</summary>
    private static string? Text(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Describe(JsonValueKind kind) => FhirChecks.Describe(kind);
}

/// <summary>Reference strings reduced to a comparable form.</summary>
internal static class References
{
    /// <summary>
    /// "https://ehr/fhir/Patient/7/_history/2" → "Patient/7"; "Patient/7" stays; "urn:uuid:…" stays.
    /// </summary>
    public static string Normalize(string reference)
    {
        var value = reference.Trim();
        if (value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var history = value.IndexOf("/_history/", StringComparison.Ordinal);
        if (history >= 0)
        {
            value = value[..history];
        }

        var parts = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 2 ? $"{parts[^2]}/{parts[^1]}" : value;
    }
}
