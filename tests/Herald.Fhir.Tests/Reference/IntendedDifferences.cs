using System.Globalization;
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
        ["AllergyIntolerance"] = ["patient"],
        ["Medication"] = ["ingredient.item"],
        ["Patient"] = [],
    };

    /// <summary>Why Herald reads what Firely refused here, or null when Herald must refuse it as well.</summary>
    public static string? Reason(FirelyIssue issue, string type, string element)
    {
        var bare = Indices().Replace(element, "");
        switch (issue.Code)
        {
            // An empty object or array, or a JSON null for an element: Herald reads it as absent. Unless the element is
            // required: then it is missing, and both refuse.
            case "JSON109" or "JSON120" or "JSON121" or "PVAL129" when !IsRequired(type, bare):
                return "empty or null read as absent";

            case "PVAL124" when Literal().Match(issue.Message) is { Success: true } literal:
                var value = literal.Groups["value"].Value;
                var kind = literal.Groups["kind"].Value;
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

    private static bool IsRequired(string type, string bare)
    {
        if (bare.StartsWith("contained.", StringComparison.Ordinal))
        {
            return IsRequired("Medication", bare["contained.".Length..]);
        }

        return Required.TryGetValue(type, out var required) && required.Contains(bare);
    }

    /// <summary>
    /// A value that is a valid FHIR dateTime once ":00" seconds and a "Z" zone are supplied, on a real calendar day (or,
    /// for an instant, any valid FHIR date or dateTime). The grammar is FHIR R4's (datatypes.html#dateTime), not Herald's.
    /// </summary>
    private static bool LenientDate(string value, string kind)
    {
        var match = Lenient().Match(value);
        if (!match.Success || (kind == "date" && match.Groups["time"].Success))
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
