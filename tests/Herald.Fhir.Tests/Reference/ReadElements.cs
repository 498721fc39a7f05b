using System.Text.Json;
using System.Text.RegularExpressions;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// The elements Herald reads (docs/fhir-mapping.md §1), in the Firely SDK's path form: choice elements by their
/// name without the type ("value", "effective", "onset"), indices left out. A problem Firely reports in one of
/// these must make Herald refuse the resource too; a problem elsewhere is in an element Herald ignores, as a FHIR
/// consumer may (https://hl7.org/fhir/R4/extensibility.html, "ignore what it does not understand"), and is not
/// compared.
/// </summary>
internal static partial class ReadElements
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "Patient", "Condition", "Observation", "MedicationRequest", "MedicationAdministration", "MedicationStatement",
        "Medication", "Procedure", "AllergyIntolerance",
    };

    private static readonly string[] Common = ["id", "resourceType", "meta", "meta.profile", "extension", "contained"];

    private static readonly Dictionary<string, HashSet<string>> Paths = new(StringComparer.Ordinal)
    {
        ["Patient"] = Set(["birthDate", "gender"]),
        ["Condition"] = Set([.. Cc("clinicalStatus"), .. Cc("verificationStatus"), .. Cc("code"), .. Cc("bodySite"), .. Ref("subject"),
            .. Period("onset"), "recordedDate"]),
        ["Observation"] = Set(["status", .. Cc("code"), .. Ref("subject"), .. Ref("focus"), .. Period("effective"), "issued",
            .. Value("value"), .. Cc("bodySite"), .. Cc("interpretation"), "component", .. Cc("component.code"), .. Value("component.value"),
            .. Cc("component.interpretation")]),
        ["MedicationRequest"] = Set([.. Record(), .. Cc("statusReason"), "authoredOn", "dosageInstruction", "dosageInstruction.timing",
            "dosageInstruction.timing.repeat", .. Period("dosageInstruction.timing.repeat.bounds"), "dispenseRequest",
            .. Period("dispenseRequest.validityPeriod")]),
        ["MedicationAdministration"] = Set([.. Record(), .. Cc("statusReason"), .. Period("effective")]),
        ["MedicationStatement"] = Set([.. Record(), .. Cc("statusReason"), .. Period("effective"), "dateAsserted"]),
        ["Medication"] = Set([.. Cc("code"), "ingredient", .. Cc("ingredient.item"), .. Ref("ingredient.item")]),
        ["Procedure"] = Set(["status", .. Cc("code"), .. Ref("subject"), .. Period("performed")]),
        ["AllergyIntolerance"] = Set([.. Cc("clinicalStatus"), .. Cc("verificationStatus"), .. Cc("code"), .. Ref("patient"), "criticality",
            "reaction", .. Cc("reaction.manifestation"), "reaction.description"]),
    };

    /// <summary>
    /// Whether an element (a path inside the resource, with indices, e.g. <c>code.coding[1].system</c>) is one Herald
    /// reads. Extensions count when they carry a valueCodeableConcept (the only extension value Herald reads); contained
    /// resources when they are a Medication (the only contained type Herald reads).
    /// </summary>
    public static bool IsRead(string type, string path, JsonElement raw)
    {
        if (path.Length == 0)
        {
            return true; // the resource itself
        }

        var bare = Indices().Replace(path, "");
        if (bare.StartsWith("extension", StringComparison.Ordinal))
        {
            if (bare == "extension")
            {
                return true;
            }

            return Item(raw, "extension", path) is { } extension && extension.TryGetProperty("valueCodeableConcept", out var value)
                && value.ValueKind != JsonValueKind.Null
                && (bare is "extension.url" or "extension.value" || bare.StartsWith("extension.value.", StringComparison.Ordinal));
        }

        if (bare.StartsWith("contained", StringComparison.Ordinal))
        {
            if (bare == "contained")
            {
                return true;
            }

            var contained = Item(raw, "contained", path);
            return contained is { } c && c.TryGetProperty("resourceType", out var t) && t.ValueKind == JsonValueKind.String
                && t.ValueEquals("Medication")
                && Matches("Medication", bare["contained.".Length..]);
        }

        return Matches(type, bare);
    }

    private static bool Matches(string type, string bare) =>
        Common.Contains(bare) || (Paths.TryGetValue(type, out var paths) && paths.Contains(bare));

    /// <summary>The raw array item a path such as <c>extension[2].url</c> names.</summary>
    private static JsonElement? Item(JsonElement raw, string array, string path)
    {
        var match = Regex.Match(path, $@"^{array}\[(\d+)\]");
        if (!match.Success || raw.ValueKind != JsonValueKind.Object || !raw.TryGetProperty(array, out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return index < items.GetArrayLength() && items[index].ValueKind == JsonValueKind.Object ? items[index] : null;
    }

    private static HashSet<string> Set(IEnumerable<string> paths) => new(paths, StringComparer.Ordinal);

    private static IEnumerable<string> Cc(string at) => [at, at + ".coding", at + ".coding.system", at + ".coding.code", at + ".coding.display", at + ".text"];

    private static IEnumerable<string> Ref(string at) => [at, at + ".reference", at + ".display"];

    private static IEnumerable<string> Period(string at) => [at, at + ".start", at + ".end"];

    private static IEnumerable<string> Value(string at) =>
        [.. Cc(at), at + ".value", at + ".comparator", at + ".unit", at + ".system", at + ".code"];

    private static IEnumerable<string> Record() => ["status", .. Cc("medication"), .. Ref("medication"), .. Ref("subject"), .. Cc("reasonCode"), .. Ref("reasonReference")];

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indices();
}
