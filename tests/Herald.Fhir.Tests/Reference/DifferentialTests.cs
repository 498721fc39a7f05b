namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Every FHIR input Herald has reads the same through Herald and through the Firely SDK (the reference reader):
/// for each resource of a type Herald reads, the same type, id and elements, or a refusal by both.
/// </summary>
public sealed class DifferentialTests
{
    [Theory]
    [MemberData(nameof(FhirInputs.Files), MemberType = typeof(FhirInputs))]
    public void EveryInputReadsTheSameThroughHeraldAndFirely(string file)
    {
        var report = Differential.Compare(FhirInputs.Read(file));
        Assert.True(report.Disagreements.Count == 0, $"{file}:\n" + string.Join("\n", report.Disagreements));
        if (!file.StartsWith("tests/corpus/", StringComparison.Ordinal))
        {
            // The examples and test Bundles are valid FHIR with resources Herald reads. A corpus case may hold
            // only what Herald does not read (an OperationOutcome for a failed prefetch), or be refused on
            // purpose; for it, agreeing with Firely is the whole test.
            Assert.True(report.Resources > 0, $"{file} holds no resource Herald reads");
            Assert.Equal(0, report.Refused);
        }
    }

    [Fact]
    public void TheInputsIncludeTheExamplesTheTestBundlesAndTheEhrShapedRecords()
    {
        var files = FhirInputs.All();
        Assert.Contains("examples/fhir/seed-case-1.bundle.json", files);
        Assert.Contains("examples/fhir/seed-case-2.cds-hooks.json", files);
        Assert.Contains("tests/Herald.Fhir.Tests/Bundles/ehr-shaped-searchset.json", files);
        Assert.Contains("tests/Herald.Fhir.Tests/Bundles/ehr-shaped.cds-hooks.json", files);
    }
}
