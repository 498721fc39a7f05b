using Herald.Core.Knowledge;
using Herald.Knowledge;

namespace Herald.Tests.Knowledge;

/// <summary>
/// A small, valid knowledge directory in a temporary folder (plus an empty seeds folder), for tests that
/// break one file at a time. Independent of the real knowledge files.
/// </summary>
public sealed class KnowledgeDirectory : IDisposable
{
    public const string StatementsFile = "statements/test-edition.yaml";

    public const string Statements = """
        edition: test-edition
        source: seed-000
        statements:
          - id: second-line-tdm1
            kind: recommendation
            title: Second line T-DM1
            section: Second line
            voice: The panel
            quote: T-DM1 is recommended in the second line.
            strength: phase-iii
            at: [second-line]
            recommend:
              - regimen: trastuzumab-emtansine
                preference: preferred
        """;

    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["sources.yaml"] = """
            sources:
              - id: seed-000
                title: A seed document
                file: seed-000.txt
                year: 2014
                citation: Seed 000
            """,
        ["parameters.yaml"] = "parameters:\n"
            + string.Concat(Thresholds.RequiredIds.Select(id => $"  - {{ id: {id}, value: 1, unit: months, basis: test }}\n")),
        ["agents.yaml"] = """
            agents:
              - id: trastuzumab
                name: trastuzumab
                class: anti-her2-antibody
                routes: [intravenous, subcutaneous]
              - id: trastuzumab-emtansine
                name: trastuzumab emtansine
                abbreviation: T-DM1
                class: antibody-drug-conjugate
                routes: [intravenous]
              - id: lapatinib
                name: lapatinib
                class: her2-tyrosine-kinase-inhibitor
                routes: [oral]
                rxnorm: { code: "480167", confidence: high }
            """,
        ["regimens.yaml"] = """
            regimens:
              - id: trastuzumab-emtansine
                name: Trastuzumab emtansine (T-DM1)
                components: [trastuzumab-emtansine]
            """,
        ["trials.yaml"] = "trials: []\n",
        ["safety-rules.yaml"] = "rules: []\n",
        ["editions.yaml"] = """
            version: 1.0.0
            editions:
              - id: test-edition
                name: Test edition
                description: The only edition.
                precedence: 1
                default: true
                sources: [seed-000]
            """,
        [StatementsFile] = Statements,
    };

    public KnowledgeDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "herald-knowledge-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Seeds);
        foreach (var (path, text) in Defaults)
        {
            Write(path, text);
        }
    }

    public string Root { get; }

    public string Knowledge => Path.Combine(Root, "knowledge");

    public string Seeds => Path.Combine(Root, "seeds");

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Knowledge, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Delete(string relativePath) => File.Delete(Path.Combine(Knowledge, relativePath));

    public void WriteSeed(string fileName, string text) => File.WriteAllText(Path.Combine(Seeds, fileName), text);

    public LoadResult Load() => KnowledgeLoader.LoadDirectory(Knowledge);

    /// <summary>The 1-based line of the first line of <paramref name="text"/> that contains <paramref name="marker"/>.</summary>
    public static int LineOf(string text, string marker)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.True(index >= 0, $"fixture has no line containing '{marker}'");
        return index + 1;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
