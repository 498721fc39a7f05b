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
public static class Differential
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
            var firely = FirelyReader.Read(json);
            if (raw is null)
            {
                // Not JSON at all: Herald must say so at "$"; Firely must fail.
                if (!herald.Errors.Any(e => e.Path == "$") || (firely.Threw is null && firely.Issues.Count == 0))
                {
                    disagreements.Add($"{Where(location)}: not JSON, but Herald: [{string.Join("; ", herald.Errors)}], Firely: {Describe(firely)}");
                }

                continue;
            }

            foreach (var (at, firelyPath, type, element) in Resources(raw.Value, location, "", top: true))
            {
                resources++;
                var mine = HeraldOutcome(herald, at);
                var theirs = FirelyOutcome(firely, firelyPath, type, element);
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
    /// "prefetch.conditions.entry[0].resource", "resource" for a lone resource) and the path Firely uses below the
    /// part's root ("" for the root itself).
    /// </summary>
    private static IEnumerable<(string At, string FirelyPath, string Type, JsonElement Element)> Resources(JsonElement element, string location, string firelyPath, bool top)
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
                    var path = (firelyPath.Length == 0 ? step : $"{firelyPath}.{step}") + ".resource";
                    foreach (var found in Resources(resource, at, path, top: false))
                    {
                        yield return found;
                    }
                }
            }
        }
        else if (ReadElements.Types.Contains(type))
        {
            yield return (top && location.Length == 0 ? "resource" : location, firelyPath, type, element);
        }
    }

    private static Outcome HeraldOutcome(FhirResourceSet set, string at)
    {
        var entry = at.EndsWith(".resource", StringComparison.Ordinal) ? at[..^".resource".Length] : null;
        var errors = set.Errors
            .Where(e => e.Path == "$" || e.Path.StartsWith(at + "(", StringComparison.Ordinal) || e.Path == at + ".resourceType"
                || (entry is not null && (e.Path == entry || e.Path == entry + ".fullUrl")))
            .Select(e => e.ToString()).ToList();
        if (errors.Count > 0)
        {
            return Outcome.Refuse(errors);
        }

        var kept = All(set).Where(s => s.Path.StartsWith(at + "(", StringComparison.Ordinal)).ToList();
        return kept.Count switch
        {
            1 => Outcome.Kept(HeraldReadings.Of(set, kept[0].Resource)),
            0 => Outcome.Refuse(["left out without an error"]),
            _ => Outcome.Refuse([$"kept {kept.Count} times"]),
        };
    }

    private static Outcome FirelyOutcome(FirelyPart part, string path, string type, JsonElement raw)
    {
        if (part.Threw is not null)
        {
            return Outcome.Refuse([$"threw {part.Threw}"]);
        }

        var entry = path.EndsWith(".resource", StringComparison.Ordinal) ? path[..^".resource".Length] : null;
        var reasons = new List<string>();
        foreach (var issue in part.Issues)
        {
            string? element = null;
            if (path.Length == 0 || issue.Path == path)
            {
                element = issue.Path;
            }
            else if (issue.Path.StartsWith(path + ".", StringComparison.Ordinal))
            {
                element = issue.Path[(path.Length + 1)..];
            }
            else if (entry is not null && (issue.Path == entry + ".fullUrl" || issue.Path == entry))
            {
                element = "";
            }

            if (element is null)
            {
                continue; // about another resource
            }

            if (element.Length > 0 && !ReadElements.IsRead(type, element, raw))
            {
                continue; // an element Herald does not read
            }

            if (IntendedDifferences.Reason(issue, type, element) is null)
            {
                reasons.Add(issue.ToString());
            }
        }

        if (reasons.Count > 0)
        {
            return Outcome.Refuse(reasons);
        }

        return FirelyReader.At(part.Root, path) is { } resource && resource.TypeName == type
            ? Outcome.Kept(FirelyReadings.Of(resource))
            : Outcome.Refuse(["no resource built"]);
    }

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

    private static string Where(string location) => location.Length == 0 ? "$" : location;

    private static string Describe(FirelyPart part) => part.Threw ?? $"[{string.Join("; ", part.Issues)}]";
}
