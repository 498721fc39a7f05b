using Herald.Fhir.Terminology;

namespace Herald.Server.CdsHooks;

/// <summary>
/// Herald's two CDS services and their prefetch templates. The templates ask for everything the FHIR
/// mapping reads, so that an EHR that honours prefetch needs no call back to its FHIR server.
/// </summary>
public static class CdsServiceCatalog
{
    public const string PatientViewId = "herald-patient-view";
    public const string OrderSignId = "herald-order-sign";
    public const string PatientViewHook = "patient-view";
    public const string OrderSignHook = "order-sign";

    /// <summary>The one context token the templates use.</summary>
    public const string PatientIdToken = "{{context.patientId}}";

    /// <summary>
    /// Every Observation code the FHIR mapping reads (HER2, ER, PR, ECOG, LVEF, cancer disease status, TNM M category,
    /// symptoms…), as <c>system|code</c> tokens, from the concept table that drives the mapping: one source, so the
    /// templates cannot fall behind what the mapper reads.
    /// </summary>
    public static IReadOnlyList<string> ObservationCodes { get; } =
        ConceptTable.Default.CodesReadFrom("Observation.code").Select(r => $"{r.System}|{r.Code}").Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The laboratory-category Observations: HER2, ER and PR results known only by name or a local code.</summary>
    public const string LaboratoryObservationsKey = "laboratoryObservations";

    /// <summary>
    /// Keys whose absence does not make the answer incomplete: the coded results come with <c>observations</c>; without
    /// this key (and no fhirServer to read it from) the answer says the name-only results were not searched.
    /// </summary>
    public static readonly IReadOnlySet<string> SupplementaryPrefetchKeys = new HashSet<string>(StringComparer.Ordinal) { LaboratoryObservationsKey };

    /// <summary>Prefetch key → FHIR query template, in the order the discovery document lists them.</summary>
    public static readonly IReadOnlyDictionary<string, string> PrefetchTemplates = BuildTemplates();

    public static readonly CdsServiceDefinition PatientView = new()
    {
        Id = PatientViewId,
        Hook = PatientViewHook,
        Title = "Herald: HER2-positive metastatic breast cancer - treatment options",
        Description =
            "Ranks the systemic treatment options for HER2-positive metastatic breast cancer at the patient's "
            + "decision point, from three cited guideline sources, with the quoted statements, the trial evidence, "
            + "safety exclusions and the data still needed.",
        Prefetch = PrefetchTemplates,
        UsageRequirements =
            "For patients with HER2-positive metastatic (or locally advanced unresectable) breast cancer. Decision "
            + "support for oncologists: it does not replace clinical judgement, and the sources are dated.",
    };

    public static readonly CdsServiceDefinition OrderSign = new()
    {
        Id = OrderSignId,
        Hook = OrderSignHook,
        Title = "Herald: HER2-positive metastatic breast cancer - order check",
        Description =
            "Checks drafted anti-HER2 agents, taxanes and capecitabine against the patient's record: warns when "
            + "Herald excludes the drug for this patient (a safety rule such as LVEF, lung disease or allergy, or "
            + "a regimen the patient already progressed on). Answers no card otherwise.",
        Prefetch = PrefetchTemplates,
        UsageRequirements = "For patients with HER2-positive metastatic breast cancer; draftOrders as MedicationRequest resources.",
    };

    public static IReadOnlyList<CdsServiceDefinition> Services { get; } = [PatientView, OrderSign];

    public static DiscoveryResponse Discovery { get; } = new() { Services = Services };

    /// <summary>The service with this id; null when there is none (answer 404).</summary>
    public static CdsServiceDefinition? Find(string id) =>
        Services.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// A template filled in for one patient: a relative FHIR query URL such as
    /// <c>Condition?patient=123</c>, to append to the fhirServer base when the prefetch is missing.
    /// The id is percent-encoded; the rest of the template is left as written.
    /// </summary>
    public static string Expand(string template, string patientId)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentException.ThrowIfNullOrWhiteSpace(patientId);
        return template.Replace(PatientIdToken, Uri.EscapeDataString(patientId), StringComparison.Ordinal);
    }

    /// <summary>Every template of a service filled in for one patient, by prefetch key.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ExpandAll(CdsServiceDefinition service, string patientId)
    {
        ArgumentNullException.ThrowIfNull(service);
        return (service.Prefetch ?? PrefetchTemplates)
            .Select(p => KeyValuePair.Create(p.Key, Expand(p.Value, patientId)))
            .ToArray();
    }

    private static IReadOnlyDictionary<string, string> BuildTemplates()
    {
        var codes = string.Join(",", ObservationCodes);
        var templates = new List<KeyValuePair<string, string>>
        {
            new("patient", $"Patient/{PatientIdToken}"),
            new("conditions", $"Condition?patient={PatientIdToken}"),
            new("observations", $"Observation?patient={PatientIdToken}&code={codes}"),
            // Receptor results an EHR codes locally or names only in words cannot be found by code: they are laboratory results.
            new(LaboratoryObservationsKey, $"Observation?patient={PatientIdToken}&category=laboratory"),
            // The Medication a record references comes along (_include), so a drug named only by reference can be read.
            new("medicationRequests", $"MedicationRequest?patient={PatientIdToken}&_include=MedicationRequest:medication"),
            new("medicationAdministrations", $"MedicationAdministration?patient={PatientIdToken}&_include=MedicationAdministration:medication"),
            new("medicationStatements", $"MedicationStatement?patient={PatientIdToken}&_include=MedicationStatement:medication"),
            new("procedures", $"Procedure?patient={PatientIdToken}"),
            new("allergies", $"AllergyIntolerance?patient={PatientIdToken}"),
        };

        // An ordered read-only map: discovery lists the keys in this order.
        return new OrderedReadOnlyMap(templates);
    }

    private sealed class OrderedReadOnlyMap(IReadOnlyList<KeyValuePair<string, string>> items) : IReadOnlyDictionary<string, string>
    {
        public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

        public IEnumerable<string> Keys => items.Select(i => i.Key);

        public IEnumerable<string> Values => items.Select(i => i.Value);

        public int Count => items.Count;

        public bool ContainsKey(string key) => items.Any(i => i.Key == key);

        public bool TryGetValue(string key, out string value)
        {
            foreach (var item in items)
            {
                if (item.Key == key)
                {
                    value = item.Value;
                    return true;
                }
            }

            value = "";
            return false;
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
