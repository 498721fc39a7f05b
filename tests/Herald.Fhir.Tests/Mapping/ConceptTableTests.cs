using Herald.Fhir.Terminology;
using static Herald.Fhir.Tests.Support.FhirTest;

namespace Herald.Fhir.Tests.Mapping;

public sealed class ConceptTableTests
{
    [Fact]
    public void EveryRowIsSourcedWithAConfidence()
    {
        var rows = ConceptTable.Default.Rows;
        Assert.True(rows.Count > 50);
        Assert.All(rows, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Source), $"{r.Code} has no source");
            Assert.Contains(r.Confidence, new[] { "high", "medium" });
        });
    }

    [Fact]
    public void TheDocumentationListsEveryCode()
    {
        var doc = File.ReadAllText(RepoFile("docs/fhir-mapping.md"));
        Assert.All(ConceptTable.Default.Rows, r => Assert.True(doc.Contains($"`{r.Code}"), $"docs/fhir-mapping.md lacks {r.Kind} {r.Code}"));
    }

    [Fact]
    public void PrefixRowsMatchIcd10Categories()
    {
        Assert.Equal("breast-cancer", ConceptTable.Default.Find("primary-breast-cancer", ConceptTable.Icd10Cm, "C50.911")?.Means);
        Assert.Equal("bone", ConceptTable.Default.Find("metastatic-site", ConceptTable.Icd10Cm, "C79.52")?.Means);
        Assert.Null(ConceptTable.Default.Find("metastatic-site", ConceptTable.Icd10Cm, "C79.9"));
    }
}
