using System.Globalization;
using System.Text.Json;

namespace Herald.Fhir;

/// <summary>One way a FHIR answer is not the whole record, with the path of the element that shows it.</summary>
/// <param name="Path">e.g. <c>prefetch.observations.link[1]</c> or <c>entry[2].resource(OperationOutcome/x).issue[0]</c>.</param>
/// <param name="Code">A reason code from <see cref="FhirCompleteness"/> (safe to log: it holds no patient data).</param>
public sealed record CompletenessFinding(string Path, string Code, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>
/// Tells whether FHIR data is a complete answer or only part of one, so Herald never decides from a partial record.
/// Pure: it reads the JSON it is given and nothing else. Findings:
/// <list type="bullet">
/// <item>an OperationOutcome where data was expected (the query failed), whatever its severity;</item>
/// <item>an OperationOutcome inside a Bundle (typically <c>search.mode: outcome</c>) with an issue of severity
/// error or fatal (or none given); warning and information issues are not errors;</item>
/// <item>a Bundle with a <c>next</c> link: one page of a larger result;</item>
/// <item>a <c>Bundle.total</c> larger than the Bundle's match entries (<c>search.mode</c> absent or <c>match</c>;
/// <c>include</c> and <c>outcome</c> entries do not count), or a total that is not a non-negative integer.</item>
/// </list>
/// Bundles inside Bundles are checked too. Anything else malformed is <see cref="FhirResourceSet"/>'s to report.
/// </summary>
public static class FhirCompleteness
{
    public const string OperationOutcome = "operation-outcome";
    public const string ErrorOutcomeEntry = "error-outcome-entry";
    public const string NextPage = "next-page";
    public const string TotalExceedsMatches = "total-exceeds-matches";
    public const string TotalUnreadable = "total-unreadable";

    /// <summary>Every finding in the resource (a Bundle, or one resource); empty when it is a complete answer.</summary>
    /// <param name="location">Where it came from, prefixed to paths (e.g. <c>prefetch.observations</c>); empty for a body.</param>
    public static IReadOnlyList<CompletenessFinding> Check(JsonElement resource, string? location = null)
    {
        var findings = new List<CompletenessFinding>();
        CheckResource(resource, location ?? "", asEntry: false, findings);
        return findings;
    }

    /// <summary>
    /// A cheap screen over UTF-8 JSON text: false only when no finding is possible, because none of the words a finding
    /// needs (<c>next</c>, <c>total</c>, <c>OperationOutcome</c>) appears and no <c>\u</c> escape could hide one. A
    /// caller may then skip parsing the text a second time for <see cref="Check"/>.
    /// </summary>
    public static bool MayBeIncomplete(ReadOnlySpan<byte> utf8Json) =>
        utf8Json.IndexOf("next"u8) >= 0 || utf8Json.IndexOf("total"u8) >= 0
        || utf8Json.IndexOf("OperationOutcome"u8) >= 0 || utf8Json.IndexOf("\\u"u8) >= 0;

    private static void CheckResource(JsonElement resource, string path, bool asEntry, List<CompletenessFinding> findings)
    {
        if (resource.ValueKind != JsonValueKind.Object || !resource.TryGetProperty("resourceType", out var type) || type.ValueKind != JsonValueKind.String)
        {
            return;
        }

        if (type.ValueEquals("Bundle"))
        {
            CheckBundle(resource, path, findings);
        }
        else if (type.ValueEquals("OperationOutcome"))
        {
            CheckOutcome(resource, Self(path, resource), asEntry, findings);
        }
    }

    private static void CheckOutcome(JsonElement outcome, string at, bool asEntry, List<CompletenessFinding> findings)
    {
        var errors = new List<(int Index, string Text)>();
        var all = new List<(int Index, string Text)>();
        if (outcome.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var issue in issues.EnumerateArray())
            {
                var severity = Text(issue, "severity");
                var described = Describe(issue, severity);
                all.Add((index, described));
                // A missing or unknown severity cannot be taken for a mere warning.
                if (severity is not ("warning" or "information"))
                {
                    errors.Add((index, described));
                }

                index++;
            }
        }

        if (!asEntry)
        {
            // In place of the data: the query failed, whatever the severity says.
            var said = all.Count == 0 ? "it has no issue" : string.Join("; ", all.Select(i => i.Text));
            findings.Add(new CompletenessFinding(at, OperationOutcome,
                $"is an OperationOutcome, not the data asked for (the query did not give its result): {said}"));
            return;
        }

        foreach (var (index, text) in errors)
        {
            findings.Add(new CompletenessFinding($"{at}.issue[{index}]", ErrorOutcomeEntry,
                $"the server reports an error with this result ({text}): the result may be incomplete"));
        }
    }

    private static void CheckBundle(JsonElement bundle, string path, List<CompletenessFinding> findings)
    {
        if (bundle.TryGetProperty("link", out var links) && links.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var link in links.EnumerateArray())
            {
                if (link.ValueKind == JsonValueKind.Object && Text(link, "relation") == "next")
                {
                    findings.Add(new CompletenessFinding(Join(path, $"link[{index}]"), NextPage,
                        "the Bundle has a 'next' link: it is one page of a larger result, and the other pages are not here"));
                }

                index++;
            }
        }

        var matches = 0;
        if (bundle.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                var entryPath = Join(path, $"entry[{index++}]");
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                var mode = entry.TryGetProperty("search", out var search) && search.ValueKind == JsonValueKind.Object ? Text(search, "mode") : null;
                if (mode is null or "match")
                {
                    matches++;
                }

                if (entry.TryGetProperty("resource", out var resource))
                {
                    CheckResource(resource, entryPath + ".resource", asEntry: true, findings);
                }
            }
        }

        if (bundle.TryGetProperty("total", out var total) && total.ValueKind != JsonValueKind.Null)
        {
            if (total.ValueKind != JsonValueKind.Number || !total.TryGetInt64(out var claimed) || claimed < 0)
            {
                findings.Add(new CompletenessFinding(Join(path, "total"), TotalUnreadable,
                    "Bundle.total is not a non-negative integer, so whether every match is here cannot be told"));
            }
            else if (claimed > matches)
            {
                findings.Add(new CompletenessFinding(Join(path, "total"), TotalExceedsMatches, string.Create(CultureInfo.InvariantCulture,
                    $"Bundle.total says {claimed} resources match, but the Bundle holds {matches} (entries whose search.mode is match or absent)")));
            }
        }
    }

    private static string Describe(JsonElement issue, string? severity)
    {
        var code = Text(issue, "code");
        var detail = Text(issue, "diagnostics")
            ?? (issue.ValueKind == JsonValueKind.Object && issue.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Object ? Text(details, "text") : null);
        var head = $"{severity ?? "no severity"}{(code is null ? "" : $" ({code})")}";
        return detail is null ? head : $"{head}: {Clip(detail)}";
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Self(string path, JsonElement resource)
    {
        var id = Text(resource, "id");
        return $"{(path.Length == 0 ? "resource" : path)}(OperationOutcome/{id ?? "?"})";
    }

    private static string Join(string path, string member) => path.Length == 0 ? member : $"{path}.{member}";

    // The server's words are echoed, but never a whole payload.
    private static string Clip(string value) => value.Length <= 200 ? value : value[..200] + "…";
}
