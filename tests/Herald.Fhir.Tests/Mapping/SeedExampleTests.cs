using System.Text.Json;
using Herald.Contracts.Patients;
using Herald.Core.Engine;
using Herald.Fhir.Tests.Support;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

/// <summary>The mCODE Bundles in examples/fhir express exactly the two seed cases of examples/.</summary>
public sealed class SeedExampleTests
{
    [Theory]
    [InlineData("seed-case-1")]
    [InlineData("seed-case-2")]
    public void BundleGivesTheSameRecommendationsAsTheNativeExample(string name)
    {
        var nativeJson = File.ReadAllText(RepoFile($"examples/{name}.json"));
        var native = PatientJsonReader.Read(nativeJson, Kb, D("2100-01-01"));
        Assert.True(native.IsValid, native.Describe());
        var asOf = native.AsOf;

        var result = Map(File.ReadAllText(RepoFile($"examples/fhir/{name}.bundle.json")), asOf.ToString("yyyy-MM-dd"));
        Assert.True(result.IsComplete, string.Join("\n", result.Problems));
        Assert.Empty(result.Unmapped);

        var mapped = PatientJsonReader.Read(result.Patient, Kb, asOf);
        Assert.True(mapped.IsValid, mapped.Describe() + "\n" + result.Patient.ToJsonString());

        var engine = new DecisionEngine(Kb);
        var expected = engine.Decide(native.Patient!, asOf);
        var actual = engine.Decide(mapped.Patient!, asOf);
        Assert.Equal(expected.Point.Kind, actual.Point.Kind);
        Assert.Equal(expected.Point.Line, actual.Point.Line);
        Assert.Equal(
            expected.Recommendations.Select(r => $"{r.Rank}:{r.Regimen.Id}"),
            actual.Recommendations.Select(r => $"{r.Rank}:{r.Regimen.Id}"));
    }

    [Theory]
    [InlineData("seed-case-1")]
    [InlineData("seed-case-2")]
    public void BundleMapsTheFieldsOfTheNativeExample(string name)
    {
        var nativeJson = File.ReadAllText(RepoFile($"examples/{name}.json"));
        using var native = JsonDocument.Parse(nativeJson);
        var asOf = native.RootElement.GetProperty("assessmentDate").GetString()!;
        var patient = Map(File.ReadAllText(RepoFile($"examples/fhir/{name}.bundle.json")), asOf).Patient;

        foreach (var field in new[] { "id", "assessmentDate", "age", "sex", "receptors", "presentation", "symptoms", "metastaticRegimens" })
        {
            if (native.RootElement.TryGetProperty(field, out var expected))
            {
                Assert.True(patient[field] is not null, $"{field} is missing from {patient.ToJsonString()}");
                if (field is "metastaticRegimens")
                {
                    var lines = patient[field]!.AsArray();
                    Assert.Equal(expected.GetArrayLength(), lines.Count);
                    for (var i = 0; i < lines.Count; i++)
                    {
                        var e = expected[i];
                        Assert.Equal(e.GetProperty("start").GetString(), lines[i]!["start"]!.GetValue<string>());
                        Assert.Equal(e.GetProperty("stop").GetString(), lines[i]!["stop"]!.GetValue<string>());
                        Assert.Equal(e.GetProperty("stopReason").GetString(), lines[i]!["stopReason"]!.GetValue<string>());
                        var agents = e.GetProperty("agents").EnumerateArray().Select(a => Kb.FindAgent(a.GetString()!)!.Id).Order();
                        Assert.Equal(agents, lines[i]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).Order());
                    }
                }
                else
                {
                    Assert.True(JsonElement.DeepEquals(expected, JsonDocument.Parse(patient[field]!.ToJsonString()).RootElement),
                        $"{field}: expected {expected.GetRawText()}, got {patient[field]!.ToJsonString()}");
                }
            }
        }

        var disease = patient["disease"]!;
        var expectedSites = native.RootElement.GetProperty("disease").GetProperty("sites").EnumerateArray().Select(s => s.GetString()).Order();
        Assert.Equal(expectedSites, disease["sites"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        Assert.Equal("progressing", disease["extracranialStatus"]!.GetValue<string>());
        var early = patient["earlyDisease"]!["regimens"]!.AsArray();
        var single = Assert.Single(early);
        Assert.Equal("neoadjuvant", single!["setting"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("seed-case-1")]
    [InlineData("seed-case-2")]
    public void CdsHooksPrefetchMapsToTheSamePatientAsTheBundle(string name)
    {
        using var request = JsonDocument.Parse(File.ReadAllText(RepoFile($"examples/fhir/{name}.cds-hooks.json")));
        var root = request.RootElement;
        Assert.Equal("patient-view", root.GetProperty("hook").GetString());
        Assert.True(Guid.TryParse(root.GetProperty("hookInstance").GetString(), out _));
        Assert.Equal("https://ehr.example.org/fhir", root.GetProperty("fhirServer").GetString());
        var patientId = root.GetProperty("context").GetProperty("patientId").GetString()!;
        Assert.Equal("Practitioner/example", root.GetProperty("context").GetProperty("userId").GetString());
        Assert.Equal(
            ["patient", "conditions", "observations", "laboratoryObservations", "medicationRequests", "medicationAdministrations", "medicationStatements", "procedures", "allergies"],
            root.GetProperty("prefetch").EnumerateObject().Select(p => p.Name));

        var set = new FhirResourceSet();
        Assert.Empty(set.AddPrefetch(root.GetProperty("prefetch")));
        var asOf = JsonDocument.Parse(File.ReadAllText(RepoFile($"examples/{name}.json"))).RootElement.GetProperty("assessmentDate").GetString()!;
        var fromHooks = FhirPatientMapper.Map(set, Kb, D(asOf), patientId);
        var fromBundle = Map(File.ReadAllText(RepoFile($"examples/fhir/{name}.bundle.json")), asOf);

        Assert.True(fromHooks.IsComplete, string.Join("\n", fromHooks.Problems));
        Assert.Equal(fromBundle.Patient.ToJsonString(), fromHooks.Patient.ToJsonString());
    }

    [Theory]
    [InlineData("seed-case-1")]
    [InlineData("seed-case-2")]
    [InlineData("../../tests/Herald.Fhir.Tests/Bundles/ehr-shaped")]
    public void A_set_over_live_documents_reads_and_maps_what_a_copying_set_does(string name)
    {
        var request = JsonDocument.Parse(File.ReadAllText(RepoFile($"examples/fhir/{name}.cds-hooks.json")));
        var root = request.RootElement;
        var patientId = root.GetProperty("context").GetProperty("patientId").GetString()!;
        var copying = new FhirResourceSet();
        var borrowing = FhirResourceSet.OverLiveDocuments();
        var copyingFaults = copying.AddPrefetch(root.GetProperty("prefetch"));
        var borrowingFaults = borrowing.AddPrefetch(root.GetProperty("prefetch"));

        var copied = FhirPatientMapper.Map(copying, Kb, D("2026-12-03"), patientId);
        var borrowed = FhirPatientMapper.Map(borrowing, Kb, D("2026-12-03"), patientId);

        Assert.Equal(copyingFaults.Select(f => $"{f.Path}: {f.Message}"), borrowingFaults.Select(f => $"{f.Path}: {f.Message}"));
        Assert.Equal(copying.Count, borrowing.Count);
        Assert.Equal(copied.Patient.ToJsonString(), borrowed.Patient.ToJsonString());
        Assert.Equal(copied.Notes.Select(n => n.ToString()), borrowed.Notes.Select(n => n.ToString()));

        request.Dispose();
        // The copying set outlives the request's document and still maps the same patient.
        Assert.Equal(copied.Patient.ToJsonString(), FhirPatientMapper.Map(copying, Kb, D("2026-12-03"), patientId).Patient.ToJsonString());
    }
}
