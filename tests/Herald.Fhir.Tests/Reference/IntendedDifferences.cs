using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Where Herald reads, on purpose, what the Firely SDK refuses (docs/fhir-mapping.md, "Checked against the Firely
/// SDK"). Each is tolerance that cannot change what Herald understands; anything else Firely refuses in an element
/// Herald reads, Herald must refuse too.
/// </summary>
internal static partial class IntendedDifferences
{
    /// <summary>Elements FHIR R4 requires (min cardinality 1) among those Herald reads: Herald refuses a resource without them.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Required = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        // Cardinalities from the R4 resource definitions (hl7.org/fhir/R4/<resource>.html).
        ["Observation"] = ["status", "code", "component.code"],
        ["Condition"] = ["subject"],
        ["MedicationRequest"] = ["status", "medication", "subject"],
        ["MedicationAdministration"] = ["status", "medication", "subject", "effective"],
        ["MedicationStatement"] = ["status", "medication", "subject"],
        ["Procedure"] = ["status", "subject"],
        ["AllergyIntolerance"] = ["patient", "reaction.manifestation"],
        ["Medication"] = ["ingredient.item"],
        ["Patient"] = [],
    };

    /// <summary>
    /// A JSON null given for an element ("status": null, "coding": null), which FHIR JSON does not allow: Herald reads it
    /// as absent. Firely is given the resource with such members removed (<see cref="WithoutNullMembers"/>), so it judges
    /// the rest, including a required element that is then missing, which both refuse.
    /// </summary>
    public static System.Text.Json.Nodes.JsonNode WithoutNullMembers(System.Text.Json.Nodes.JsonNode node)
    {
        switch (node)
        {
            case System.Text.Json.Nodes.JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is null)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        WithoutNullMembers(value);
                    }
                }

                break;
            case System.Text.Json.Nodes.JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        WithoutNullMembers(item); // a null item of an array stays: Herald refuses it, as Firely does
                    }
                }

                break;
        }

        return node;
    }

    /// <summary>Why Herald reads what Firely refused here, or null when Herald must refuse it as well.</summary>
    public static string? Reason(FirelyIssue issue, string type, string element)
    {
        var bare = Indices().Replace(element, "");
        switch (issue.Code)
        {
            // The companion "_birthDate" of a primitive (its id and extensions) malformed: Herald does not read it, and
            // the primitive's value is not changed by it.
            case "JSON134" or "JSON135":
                return "a primitive's \"_element\" companion is not read";

            // An empty object or array: Herald reads it as an element with nothing in it, as it reads one holding only
            // parts it does not read (a Reference with only an identifier).
            case "JSON120" or "JSON121" or "PVAL129":
                return "an empty object or array read as empty";


            case "PVAL124" when Literal().Match(issue.Message) is { Success: true } literal:
                var value = literal.Groups["value"].Value;
                var kind = literal.Groups["kind"].Value;
                if (string.IsNullOrWhiteSpace(value) && IsRequired(type, bare))
                {
                    return null; // an empty required code (status "") is missing: both refuse
                }

                if (kind is "dateTime" or "instant" or "date")
                {
                    return LenientDate(value, kind) ? "a date or dateTime Herald reads by its calendar date (no seconds, no time zone, or a date for an instant)" : null;
                }

                // Herald matches ids, uris, canonicals and codes as text and does not check their syntax; a too-long
                // string (over FHIR's 1 MB) is bounded by the server's request size instead.
                return kind is "id" or "uri" or "url" or "canonical" or "code" or "string" or "markdown" or "oid" or "uuid"
                    ? $"the syntax of a {kind} is not checked" : null;

            default:
                return null;
        }
    }

    /// <summary>
    /// Why Herald refused what Firely reads, or null when that is a disagreement. Two cases: a JSON number too large for
    /// a decimal where a string belongs (1e400 as a status), which Firely keeps as text without an issue, while Herald
    /// refuses a number where FHIR JSON wants a string, whatever its size; and a member given twice inside an extension
    /// or a contained resource (Herald reads them as raw JSON, which allows no duplicates).
    /// </summary>
    public static string? HeraldStricter(FhirReadError error, string at, JsonElement raw)
    {
        var open = error.Path.StartsWith(at + "(", StringComparison.Ordinal) ? error.Path.IndexOf(").", at.Length, StringComparison.Ordinal) : -1;
        if (open >= 0 && error.Message.Contains("twice", StringComparison.Ordinal)
            && error.Path[(open + 2)..] is var element && (element.StartsWith("extension", StringComparison.Ordinal) || element.StartsWith("contained", StringComparison.Ordinal)))
        {
            // Herald refuses a member given twice anywhere in an extension or a contained resource, also where it reads
            // nothing of them; Firely counts it only in what Herald reads.
            return "a member given twice inside an extension or a contained resource";
        }

        if (!error.Message.StartsWith("expected a string", StringComparison.Ordinal) || open < 0)
        {
            return null;
        }

        var value = At(raw, error.Path[(open + 2)..]);
        return value is { ValueKind: JsonValueKind.Number } number && !number.TryGetDecimal(out _)
            ? "a number beyond decimal range where a string belongs: Firely keeps it as text" : null;
    }

    /// <summary>The raw value at a path such as <c>code.coding[0].code</c>.</summary>
    private static JsonElement? At(JsonElement raw, string path)
    {
        var current = raw;
        foreach (Match step in Step().Matches(path))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(step.Groups["name"].Value, out current))
            {
                return null;
            }

            if (step.Groups["index"].Success)
            {
                var index = int.Parse(step.Groups["index"].Value, CultureInfo.InvariantCulture);
                if (current.ValueKind != JsonValueKind.Array || index >= current.GetArrayLength())
                {
                    return null;
                }

                current = current[index];
            }
        }

        return current;
    }

    [GeneratedRegex(@"(?<name>[A-Za-z_]+)(\[(?<index>\d+)\])?")]
    private static partial Regex Step();

    private static bool IsRequired(string type, string bare)
    {
        if (bare.StartsWith("contained.", StringComparison.Ordinal))
        {
            return IsRequired("Medication", bare["contained.".Length..]);
        }

        // Extension.url is 1..1 (hl7.org/fhir/R4/extensibility.html); Herald reads it where the value is a CodeableConcept.
        return bare == "extension.url" || (Required.TryGetValue(type, out var required) && required.Contains(bare));
    }

    /// <summary>
    /// A value that is a valid FHIR dateTime once ":00" seconds and a "Z" zone are supplied, on a real calendar day (for
    /// an instant, also a date alone; for a date, also a dateTime). The grammar is FHIR R4's (datatypes.html#dateTime), not Herald's.
    /// </summary>
    private static bool LenientDate(string value, string kind)
    {
        var match = Lenient().Match(value);
        if (!match.Success)
        {
            return false;
        }

        var full = match.Groups["date"].Value;
        if (match.Groups["time"].Success)
        {
            full += "T" + match.Groups["hm"].Value + (match.Groups["s"].Success ? match.Groups["s"].Value : ":00")
                + (match.Groups["zone"].Success ? match.Groups["zone"].Value : "Z");
        }

        if (!FhirDateTime().IsMatch(full))
        {
            return false;
        }

        var parts = match.Groups["date"].Value.Split('-');
        return parts.Length < 3 || DateTime.DaysInMonth(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture))
            >= int.Parse(parts[2], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^string '(?<value>.*)' is not a correct literal for an? (?<kind>\w+)\.$", RegexOptions.Singleline)]
    private static partial Regex Literal();

    [GeneratedRegex(@"^(?<date>[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)(?<time>T(?<hm>[0-9]{2}:[0-9]{2})(?<s>:[0-9]{2}(\.[0-9]+)?)?(?<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?$")]
    private static partial Regex Lenient();

    // FHIR R4 dateTime, from https://hl7.org/fhir/R4/datatypes.html#dateTime.
    [GeneratedRegex(@"^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$")]
    private static partial Regex FhirDateTime();

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indices();


}
