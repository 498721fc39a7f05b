using System.Text.Json.Nodes;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>
/// A minimal complete patient (recurrence, liver metastasis, adjuvant trastuzumab, one ongoing line) in
/// Synthea's shape (collection Bundle, urn:uuid references, RxNorm and SNOMED codes) that a test extends.
/// </summary>
internal sealed class Scenario
{
    public List<JsonObject> Resources { get; } =
    [
        Patient(),
        Condition("primary", Concept(Snomed, "254837009", "Malignant neoplasm of breast (disorder)"), "2016-01-10", clinical: "remission"),
        Condition("liver", Concept(Snomed, "94381002", "Secondary malignant neoplasm of liver (disorder)"), "2019-09-16"),
        Administration("adj-trastuzumab", Rx("224905", "trastuzumab"), "2016-03-01", "2017-03-01"),
        Administration("line1-trastuzumab", Rx("224905", "trastuzumab"), "2019-10-01", null, status: "in-progress"),
        Administration("line1-pertuzumab", Rx("1298944", "pertuzumab"), "2019-10-01", null, status: "in-progress"),
        Administration("line1-docetaxel", Rx("72962", "docetaxel"), "2019-10-01", null, status: "in-progress"),
    ];

    public Scenario Add(params JsonObject[] resources)
    {
        Resources.AddRange(resources);
        return this;
    }

    public Scenario Without(string id)
    {
        Resources.RemoveAll(r => r["id"]?.GetValue<string>() == id);
        return this;
    }

    public FhirMappingResult Map(string asOf = "2020-06-01", string? patientId = null) =>
        Herald.Fhir.Tests.Support.FhirTest.Map(Bundle([.. Resources]), asOf, patientId);
}
