using Herald.Fhir.Tests.Support;

namespace Herald.Fhir.Tests.Reference;

/// <summary>
/// Every FHIR input Herald has: the shipped examples (Bundles and CDS Hooks requests), the test Bundles, and every
/// corpus record and CDS Hooks request under tests/corpus (found by name, so cases added later are covered).
/// </summary>
public static class FhirInputs
{
    /// <summary>Paths relative to the repository root, sorted.</summary>
    public static IReadOnlyList<string> All()
    {
        var root = FhirTest.RepositoryRoot();
        var files = new List<string>();
        files.AddRange(Directory.GetFiles(Path.Combine(root, "examples", "fhir"), "*.json"));
        files.AddRange(Directory.GetFiles(Path.Combine(root, "tests", "Herald.Fhir.Tests", "Bundles"), "*.json"));
        files.AddRange(Corpus(root));
        return files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>tests/corpus/**/record.json and tests/corpus/**/cds-hooks.json.</summary>
    public static IEnumerable<string> Corpus(string root)
    {
        var corpus = Path.Combine(root, "tests", "corpus");
        return Directory.Exists(corpus)
            ? Directory.EnumerateFiles(corpus, "*.json", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is "record.json" or "cds-hooks.json")
            : [];
    }

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in All())
        {
            data.Add(file);
        }

        return data;
    }

    public static string Read(string relative) => File.ReadAllText(FhirTest.RepoFile(relative));
}
