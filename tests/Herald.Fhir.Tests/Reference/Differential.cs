using System.Text.Json;
using Herald.Fhir.Model;
using Herald.Fhir.Tests.Support;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Reads one FHIR input through Herald (FhirResourceSet, then FhirPatientMapper) and through the Firely SDK, and
/// compares them resource by resource: for every resource of a type Herald reads, the same reading, or a refusal by
/// both. Problems Firely reports in elements Herald does not read, and the intended differences in
/// <see cref="IntendedDifferences"/>, are not disagreements.
/// </summary>
public static partial class Differential
{
    /// <summary>What was compared, and every disagreement (empty when the readers agree).</summary>
    public sealed record Report(int Resources, int Refused, IReadOnlyList<string> Disagreements);

    public static Report Compare(string text)
    {
        var request = TryParse(text);
        if (request is { } root && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("hook", out _))
        {
            return ComparePrefetch(root);
        }

        // A Bundle or a single resource, as the REST endpoint reads it.
        var read = HeraldMustNotThrow(() => FhirResourceSet.Parse(text));
        MapMustNotThrow(read.Resources);
        var parts = new List<(string Location, string Json, JsonElement? Raw)> { ("", text, request) };
        return CompareParts(read.Resources, parts);
    }

    private static Report ComparePrefetch(JsonElement request)
    {
        // As CdsHooksEndpoints gathers it: each non-null prefetch value added at "prefetch.{key}".
        var set = new FhirResourceSet();
        var parts = new List<(string, string, JsonElement?)>();
        if (request.TryGetProperty("prefetch", out var prefetch) && prefetch.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in prefetch.EnumerateObject())
            {
                if (member.Value.ValueKind is JsonValueKind.Null)
                {
                    continue;
                }

                HeraldMustNotThrow(() => set.Add(member.Value, $"prefetch.{member.Name}"));
                parts.Add(($"prefetch.{member.Name}", member.Value.GetRawText(), member.Value));
            }
        }

        var patientId = request.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
            && context.TryGetProperty("patientId", out var id) && id.ValueKind == JsonValueKind.String ? SafeString(id) : null;
        MapMustNotThrow(set, patientId);
        return CompareParts(set, parts);
    }

    private static Report CompareParts(FhirResourceSet herald, List<(string Location, string Json, JsonElement? Raw)> parts)
    {
        var disagreements = new List<string>();
        int resources = 0, refused = 0;
        foreach (var (location, json, raw) in parts)
        {
            if (raw is null)
            {
                // Not JSON at all: Herald must say so at "$"; Firely must fail.
                var firely = FirelyReader.Read(json);
                if (!herald.Errors.Any(e => e.Path == "$") || (firely.Threw is null && firely.Issues.Count == 0))
                {
                    disagreements.Add($"{Where(location)}: not JSON, but Herald: [{string.Join("; ", herald.Errors)}], Firely: {Describe(firely)}");
                }

                continue;
            }

            foreach (var (at, entry, type, element) in Resources(raw.Value, location, null, top: true))
            {
                resources++;
                var mine = HeraldOutcome(herald, at, type, element);
                var theirs = FirelyOutcome(type, element, entry);
                if (mine is null || theirs is null)
                {
                    continue; // an intended difference with no reading on one side (IntendedDifferences, FirelyOutcome)
                }

                if (mine.Refused && theirs.Refused)
                {
                    refused++;
                    continue;
                }

                if (mine.Refused)
                {
                    disagreements.Add($"{at} ({type}): Herald refused [{string.Join("; ", mine.Refusals)}], Firely read it");
                }
                else if (theirs.Refused)
                {
                    disagreements.Add($"{at} ({type}): Herald read it, Firely refused [{string.Join("; ", theirs.Refusals)}]");
                }
                else
                {
                    foreach (var difference in mine.Read!.DifferencesFrom(theirs.Read!))
                    {
                        disagreements.Add($"{at} ({type}): Herald vs Firely: {difference}");
                    }
                }
            }
        }

        return new Report(resources, refused, disagreements);
    }

    /// <summary>
    /// Every resource of a type Herald reads in the raw JSON, with Herald's location for it ("entry[2].resource",
    /// "prefetch.conditions.entry[0].resource", "resource" for a lone resource) and its Bundle entry, if any.
    /// </summary>
    private static IEnumerable<(string At, JsonElement? Entry, string Type, JsonElement Element)> Resources(JsonElement element, string location, JsonElement? entryOf, bool top)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("resourceType", out var typeElement)
            || typeElement.ValueKind != JsonValueKind.String || SafeString(typeElement) is not { } type)
        {
            yield break;
        }

        if (type == "Bundle")
        {
            if (!element.TryGetProperty("entry", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                yield break;
            }

            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var step = $"entry[{index++}]";
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("resource", out var resource))
                {
                    var at = (location.Length == 0 ? step : $"{location}.{step}") + ".resource";
                    foreach (var found in Resources(resource, at, entry, top: false))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (ReadElements.Types.Contains(type))
        {
            yield return (top && location.Length == 0 ? "resource" : location, entryOf, type, element);
        }
    }

    private static Outcome? HeraldOutcome(FhirResourceSet set, string at, string type, JsonElement raw)
    {
        var entry = at.EndsWith(".resource", StringComparison.Ordinal) ? at[..^".resource".Length] : null;
        var errors = set.Errors
            .Where(e => e.Path == "$" || e.Path.StartsWith(at + "(", StringComparison.Ordinal) || e.Path == at + ".resourceType"
                || (entry is not null && (e.Path == entry || e.Path == entry + ".fullUrl")))
            .ToList();
        if (errors.Count > 0 && errors.All(e => IntendedDifferences.HeraldStricter(e, at, raw) is not null))
        {
            return null; // refused on purpose where Firely is lenient: nothing to compare
        }

        if (errors.Count > 0)
        {
            return Outcome.Refuse(errors.Select(e => e.ToString()).ToList());
        }

        var kept = All(set).Where(s => s.Path.StartsWith(at + "(", StringComparison.Ordinal)).ToList();
        if (kept.Count == 0 && raw.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && All(set).FirstOrDefault(s => s.Key == $"{type}/{id.GetString()}") is { } earlier)
        {
            // The very same resource found by two searches (observations and laboratoryObservations) is kept once.
            kept = [earlier];
        }

        return kept.Count switch
        {
            1 => Outcome.Kept(HeraldReadings.Of(set, kept[0].Resource)),
            0 => Outcome.Refuse(["left out without an error"]),
            _ => Outcome.Refuse([$"kept {kept.Count} times"]),
        };
    }

    /// <summary>
    /// Firely's reading of one resource, parsed on its own (so that what Firely makes of one entry, including throwing
    /// on it, does not decide for the others). The entry's fullUrl, which Herald also reads, must be a JSON string
    /// (FHIR JSON: a uri is a string); its syntax is not compared (<see cref="IntendedDifferences"/>). Null when Firely
    /// threw on a lone surrogate outside what Herald reads: then there is no reading to compare.
    /// </summary>
    private static Outcome? FirelyOutcome(string type, JsonElement raw, JsonElement? entry)
    {
        var reasons = new List<string>();
        if (entry is { } e && e.TryGetProperty("fullUrl", out var fullUrl)
            && (fullUrl.ValueKind is not (JsonValueKind.String or JsonValueKind.Null) || (fullUrl.ValueKind == JsonValueKind.String && SafeString(fullUrl) is null)))
        {
            reasons.Add($"fullUrl: a uri is a JSON string of valid text, found {fullUrl.ValueKind}");
        }

        var part = FirelyReader.Read(WithoutNulls(raw));
        var issues = part.Issues;
        var surrogates = part.Threw is not null && part.Threw.Contains("surrogate", StringComparison.Ordinal);
        if (part.Threw is not null && !surrogates)
        {
            return Outcome.Refuse([$"threw {part.Threw}", .. reasons]);
        }

        if (surrogates)
        {
            // Firely throws on a lone surrogate escape, without a path: find where they are, and treat each as an issue
            // there, so Herald must refuse a resource that holds one in an element it reads.
            issues = BadText(raw, "").Select(p => new FirelyIssue("UTF16", p, "a lone UTF-16 surrogate escape")).ToList();
        }

        foreach (var found in issues)
        {
            // A duplicate member is reported at its object: name the member, so it counts only where Herald reads it.
            var issue = found.Code == "JSON129" && DuplicateName().Match(found.Message) is { Success: true } duplicate
                ? found with { Path = (found.Path.Length == 0 ? "" : found.Path + ".") + ChoiceName(duplicate.Groups[1].Value) }
                : found;
            if (!ReadElements.IsRead(type, issue.Path, raw))
            {
                continue; // an element Herald does not read
            }

            if (IntendedDifferences.Reason(issue, type, issue.Path) is null)
            {
                reasons.Add(issue.ToString());
            }
        }

        if (reasons.Count > 0)
        {
            return Outcome.Refuse(reasons);
        }

        if (surrogates)
        {
            return null;
        }

        return part.Root is { } resource && resource.TypeName == type
            ? Outcome.Kept(FirelyReadings.Of(resource))
            : Outcome.Refuse(["no resource built"]);
    }

    /// <summary>The resource's JSON without members whose value is null (IntendedDifferences.WithoutNullMembers).</summary>
    private static string WithoutNulls(JsonElement raw)
    {
        var text = raw.GetRawText();
        if (!HasNullMember(raw) || BadText(raw, "").Any())
        {
            return text; // nothing to remove; or a lone surrogate, which JsonNode cannot hold and Firely throws on anyway
        }

        try
        {
            return IntendedDifferences.WithoutNullMembers(System.Text.Json.Nodes.JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!)
                .ToJsonString(new JsonSerializerOptions { MaxDepth = 256 });
        }
        catch (ArgumentException)
        {
            // A member given twice, which JsonNode cannot hold: strip the nulls token by token instead, keeping the
            // duplicate for Firely to judge where it stands.
            return WithoutNullMembersStreamed(text);
        }
    }

    private static string WithoutNullMembersStreamed(string text)
    {
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(text), new JsonReaderOptions { MaxDepth = 256 });
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true, MaxDepth = 256 }))
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var lookAhead = reader;
                        lookAhead.Read();
                        if (lookAhead.TokenType == JsonTokenType.Null)
                        {
                            reader.Read(); // drop the member and its null
                            continue;
                        }

                        writer.WritePropertyName(reader.GetString()!);
                        break;
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.String: writer.WriteStringValue(reader.GetString()); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break; // a null item of an array stays
                }
            }
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static bool HasNullMember(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Any(m => m.Value.ValueKind == JsonValueKind.Null || HasNullMember(m.Value)),
        JsonValueKind.Array => element.EnumerateArray().Any(HasNullMember),
        _ => false,
    };

    /// <summary>The paths (Firely's form, below the root) of string values that are not valid UTF-16.</summary>
    private static IEnumerable<string> BadText(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when SafeString(element) is null:
                yield return path;
                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    var name = ChoiceName(member.Name);
                    foreach (var inner in BadText(member.Value, path.Length == 0 ? name : $"{path}.{name}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    foreach (var inner in BadText(item, $"{path}[{index++}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }

    /// <summary>"effectiveDateTime" → "effective": Firely names a choice element without its type.</summary>
    private static string ChoiceName(string name) =>
        new[] { "value", "effective", "onset", "performed", "medication", "item", "bounds" }
            .FirstOrDefault(c => name.Length > c.Length && name.StartsWith(c, StringComparison.Ordinal) && char.IsUpper(name[c.Length])) ?? name;

    private static IEnumerable<Stored<FhirResource>> All(FhirResourceSet set) =>
        set.Patients.Select(Up).Concat(set.Conditions.Select(Up)).Concat(set.Observations.Select(Up)).Concat(set.MedicationRecords.Select(Up))
            .Concat(set.Medications.Select(Up)).Concat(set.Procedures.Select(Up)).Concat(set.Allergies.Select(Up));

    private static Stored<FhirResource> Up<T>(Stored<T> s) where T : FhirResource => new(s.Resource, s.Key, s.FullUrl, s.Path);

    private static T HeraldMustNotThrow<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e)
        {
            Assert.Fail($"Herald's reader threw {e}");
            throw;
        }
    }

    private static void MapMustNotThrow(FhirResourceSet set, string? patientId = null)
    {
        try
        {
            FhirPatientMapper.Map(set, FhirTest.Kb, new DateOnly(2030, 1, 1), patientId);
        }
        catch (Exception e)
        {
            Assert.Fail($"FhirPatientMapper.Map threw {e}");
        }
    }

    private static JsonElement? TryParse(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? SafeString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null; // a lone surrogate escape
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("duplicate property '([^']+)'")]
    private static partial System.Text.RegularExpressions.Regex DuplicateName();

    private static string Where(string location) => location.Length == 0 ? "$" : location;

    private static string Describe(FirelyPart part) => part.Threw ?? $"[{string.Join("; ", part.Issues)}]";
}
